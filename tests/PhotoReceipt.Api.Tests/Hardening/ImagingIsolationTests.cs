using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.Consents;
using PhotoReceipt.Testing;
using Xunit.Abstractions;

namespace PhotoReceipt.Api.Tests.Hardening;

/// <summary>
/// DESIGN.md §3: only the worker loads the imaging code. The API runs here as its own process (its own
/// /proc/PID/maps, which a test host composing the worker would blur) and serves a login, an upload, the
/// photo's status and the OpenAPI document; then not one imaging library may be mapped into it.
/// </summary>
public sealed class ImagingIsolationTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private static readonly string[] ImagingLibraries = ["libvips", "libOpenCvSharpExtern", "NetVips", "OpenCvSharp"];

    [Fact]
    public async Task The_API_process_serves_an_upload_without_mapping_any_imaging_library()
    {
        await using var api = await ApiProcess.StartAsync(database.ConnectionString, []);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };

        var session = await http.PostAsJsonAsync("/api/v1/session", new { code = "maps-check" });
        var token = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await http.ConsentAsync(ConsentCatalog.FacePhoto);
        var upload = await http.PostAsync("/api/v1/photos?productId=residence-permit-shenzhen",
            ApiClient.PhotoForm(await File.ReadAllBytesAsync(RepoPaths.Portrait("test0.jpg"))));
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var photoId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // No worker runs: the photo waits, and the API answers about it without any imaging code.
        var photo = await http.GetFromJsonAsync<JsonElement>($"/api/v1/photos/{photoId}");
        Assert.Equal("processing", photo.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/openapi/v1.json")).StatusCode);

        var mapped = File.ReadAllLines($"/proc/{api.Pid}/maps")
            .Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6 && f[5].StartsWith('/'))
            .Select(f => f[5].Trim()).Distinct().ToList();
        output.WriteLine($"API pid {api.Pid}: {mapped.Count} files mapped, e.g. {string.Join(", ", mapped.Select(Path.GetFileName).Where(m => m!.StartsWith("libcoreclr", StringComparison.Ordinal) || m.StartsWith("PhotoReceipt", StringComparison.Ordinal)))}");
        // The check reads what it thinks it reads: the runtime and our own assemblies are there.
        Assert.Contains(mapped, m => m.EndsWith("libcoreclr.so", StringComparison.Ordinal));
        Assert.Contains(mapped, m => m.EndsWith("PhotoReceipt.Data.dll", StringComparison.Ordinal));
        var imaging = mapped.Where(m => ImagingLibraries.Any(lib => Path.GetFileName(m).Contains(lib, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(imaging.Count == 0, $"imaging code mapped into the API: {string.Join(", ", imaging)}");
    }
}

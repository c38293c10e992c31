using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Platform;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Testing;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Api.Tests.Hardening;

/// <summary>Temporary files a killed upload left behind are there before the app starts.</summary>
public sealed class LeftoverTempApiFactory : ApiFactory
{
    public string OldTemp => Path.Combine(BlobRoot, ".tmp", "killed-mid-upload");
    public string FreshTemp => Path.Combine(BlobRoot, ".tmp", "still-uploading");

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(BlobRoot, ".tmp"));
        await File.WriteAllBytesAsync(OldTemp, new byte[4096]);
        File.SetLastWriteTimeUtc(OldTemp, DateTime.UtcNow.AddHours(-2));
        await File.WriteAllBytesAsync(FreshTemp, new byte[4096]);
        await base.InitializeAsync();
    }
}

public sealed class StartupTempCleanupTests(LeftoverTempApiFactory app) : IClassFixture<LeftoverTempApiFactory>
{
    [Fact]
    public async Task Start_up_deletes_temporary_files_older_than_the_grace_period_and_keeps_fresh_ones()
    {
        Assert.True(File.Exists(app.OldTemp));
        await app.LoginAsync(); // starts the host
        Assert.False(File.Exists(app.OldTemp), "a stale temp file survived start-up");
        Assert.True(File.Exists(app.FreshTemp), "a temp file inside the grace period (a live upload) was deleted");
    }
}

public sealed class OrphanBlobTests(SmallUploadApiFactory app) : IClassFixture<SmallUploadApiFactory>
{
    private IEnumerable<string> UploadFolders =>
        Directory.Exists(Path.Combine(app.BlobRoot, "uploads")) ? Directory.EnumerateDirectories(Path.Combine(app.BlobRoot, "uploads")) : [];

    [Fact]
    public async Task Forty_refused_uploads_leave_no_folder_and_no_temp_file()
    {
        var client = await app.LoginAsync();
        var before = UploadFolders.ToHashSet();
        var tooLarge = new byte[2 * 1024 * 1024];
        tooLarge[0] = 0xFF; tooLarge[1] = 0xD8; tooLarge[2] = 0xFF;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/api/v1/photos?productId=residence-permit-shenzhen", Chunked(tooLarge))).StatusCode);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.UploadAsync(Encoding.ASCII.GetBytes("not a photo at all, just text"))).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.UploadAsync([])).StatusCode);
            var truncated = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n\xFF\xD8\xFF\xE0partial"));
            truncated.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/v1/photos?productId=residence-permit-shenzhen", truncated)).StatusCode);
        }
        Assert.Empty(UploadFolders.Except(before));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(app.BlobRoot, ".tmp")));
    }

    private static HttpContent Chunked(byte[] photo)
    {
        var form = ApiClient.PhotoForm(photo);
        form.Headers.ContentLength = null; // no Content-Length: the limit is met while streaming, after the blob write began
        return form;
    }

    [Fact]
    public async Task The_cleanup_job_deletes_old_blobs_no_row_points_to_and_keeps_referenced_and_recent_ones()
    {
        var client = await app.LoginAsync();
        var kept = await client.ProcessedPhotoAsync(app); // source, standard and preview, all referenced by the photo row
        var keptFiles = Directory.EnumerateFiles(app.BlobRoot, "*", SearchOption.AllDirectories)
            .Where(f => f.Contains(kept.ToString("N"), StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(keptFiles);

        var oldOrphan = Path.Combine(app.BlobRoot, "uploads", Guid.NewGuid().ToString("N"), "source");
        var oldReceiptOrphan = Path.Combine(app.BlobRoot, "receipts", Guid.NewGuid().ToString("N"), "receipt.pdf");
        var recentOrphan = Path.Combine(app.BlobRoot, "uploads", Guid.NewGuid().ToString("N"), "source");
        foreach (var f in new[] { oldOrphan, oldReceiptOrphan, recentOrphan })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(f)!);
            await File.WriteAllBytesAsync(f, new byte[100]);
        }
        foreach (var f in keptFiles.Append(oldOrphan).Append(oldReceiptOrphan)) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddDays(-2));

        await app.Services.GetRequiredService<JobQueue>().EnqueueAsync(JobKinds.Cleanup, new RecurringSlot(1), ct: CancellationToken.None);
        Assert.True(await app.RunJobsAsync() >= 1);

        Assert.False(File.Exists(oldOrphan));
        Assert.False(Directory.Exists(Path.GetDirectoryName(oldOrphan)), "the orphan's folder stayed");
        Assert.False(File.Exists(oldReceiptOrphan));
        Assert.True(File.Exists(recentOrphan), "a blob inside the grace period was deleted");
        Assert.All(keptFiles, f => Assert.True(File.Exists(f), $"{f} is referenced by a row and was deleted"));
        var photo = await (await client.GetAsync($"/api/v1/photos/{kept}")).JsonAsync();
        Assert.Equal("processed", photo.GetProperty("status").GetString());
    }
}

using System.Net;
using Microsoft.Extensions.Options;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Hardening;

internal static class HostHeaders
{
    /// <summary>A processed photo's preview URL as returned to a request that names <paramref name="host"/> in its Host header.</summary>
    public static async Task<string> PreviewUrlAsync(ApiFactory app, string host)
    {
        var client = await app.LoginAsync();
        var id = await client.ProcessedPhotoAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/photos/{id}");
        request.Headers.Host = host;
        return (await (await client.SendAsync(request)).JsonAsync()).GetProperty("previewUrl").GetString()!;
    }
}

public sealed class SessionEndTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task DELETE_session_ends_the_mini_program_session_at_once()
    {
        var client = await app.LoginAsync();
        var other = await app.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/orders")).StatusCode); // now also in the session cache
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/session")).StatusCode);
        await (await client.GetAsync("/api/v1/orders")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.DeleteAsync("/api/v1/session")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/orders")).StatusCode);
    }

    [Fact]
    public async Task A_signed_URL_never_follows_the_Host_header()
    {
        var url = await HostHeaders.PreviewUrlAsync(app, "evil.example");
        Assert.StartsWith("http://localhost/files/", url, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", url, StringComparison.Ordinal);
    }
}

public sealed class PublicBaseUrlApiFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Files:PublicBaseUrl", "https://api.example.com")];
}

public sealed class PublicBaseUrlTests(PublicBaseUrlApiFactory app) : IClassFixture<PublicBaseUrlApiFactory>
{
    [Fact]
    public async Task Signed_URLs_use_the_configured_public_origin_whatever_the_Host_header()
    {
        var url = await HostHeaders.PreviewUrlAsync(app, "evil.example");
        Assert.StartsWith("https://api.example.com/files/", url, StringComparison.Ordinal);
    }
}

/// <summary>Production without Files:PublicBaseUrl: the app must refuse to start rather than sign URLs for whatever Host arrives.</summary>
public sealed class ProductionWithoutPublicBaseUrlFactory : ApiFactory
{
    protected override string EnvironmentName => "Production";
}

public sealed class PublicBaseUrlRequiredTests(ProductionWithoutPublicBaseUrlFactory app) : IClassFixture<ProductionWithoutPublicBaseUrlFactory>
{
    [Fact]
    public void Outside_Development_the_app_does_not_start_without_Files_PublicBaseUrl()
    {
        var error = app.StartFailure();
        var all = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains("Files:PublicBaseUrl is required outside Development", all, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        yield return e;
        if (e is AggregateException agg) foreach (var inner in agg.InnerExceptions.SelectMany(Flatten)) yield return inner;
        else if (e.InnerException is not null) foreach (var inner in Flatten(e.InnerException)) yield return inner;
    }
}

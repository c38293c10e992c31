using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Hardening;

/// <summary>The app on a PostgreSQL cluster of its own, which the test stops and starts; no other class shares it.</summary>
public sealed class OutageApiFactory : ApiFactory
{
    public DedicatedPostgres Postgres { get; private set; } = null!;

    public override string ConnectionString => Postgres.ConnectionString;

    public override async Task InitializeAsync()
    {
        Postgres = await DedicatedPostgres.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

public sealed class DatabaseOutageTests(OutageApiFactory app) : IClassFixture<OutageApiFactory>
{
    private static readonly byte[] Jpeg = File.ReadAllBytes(RepoPaths.Portrait("test0.jpg"));

    private int UploadBlobCount => Directory.Exists(Path.Combine(app.BlobRoot, "uploads"))
        ? Directory.EnumerateFiles(Path.Combine(app.BlobRoot, "uploads"), "*", SearchOption.AllDirectories).Count() : 0;

    [Fact]
    public async Task With_PostgreSQL_down_the_API_answers_503_with_Retry_After_logs_once_leaves_no_blob_and_recovers_without_a_restart()
    {
        var client = await app.LoginAsync();
        var photoId = await client.ProcessedPhotoAsync(app, "photo-1in");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/orders")).StatusCode); // the session is now cached, as in real use
        var blobsBefore = UploadBlobCount;

        await app.Postgres.StopServerAsync();
        var mark = app.Logs.Mark;
        try
        {
            for (var round = 0; round < 3; round++)
            {
                await AssertUnavailableAsync(await client.GetAsync("/api/v1/orders"));
                await AssertUnavailableAsync(await app.CreateClient().PostAsJsonAsync("/api/v1/session", new { code = Guid.NewGuid().ToString("N") }));
                await AssertUnavailableAsync(await client.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in")));
                await AssertUnavailableAsync(await client.UploadAsync(Jpeg));
            }
            Assert.Equal(blobsBefore, UploadBlobCount);
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(app.BlobRoot, ".tmp")));

            var logged = app.Logs.Since(mark);
            Assert.Single(logged, e => e.Level == LogLevel.Warning && e.Message.Contains("PostgreSQL is unavailable", StringComparison.Ordinal));
            Assert.DoesNotContain(logged, e => e.Level >= LogLevel.Error || e.Exception is not null);
        }
        finally
        {
            await app.Postgres.StartServerAsync();
        }

        // No restart: the same app serves again once the server is back.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage orders;
        while ((orders = await client.GetAsync("/api/v1/orders")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            await Task.Delay(250);
        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.UploadAsync(Jpeg)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).StatusCode);
        while (!app.Logs.Since(mark).Any(e => e.Message.Contains("PostgreSQL is back", StringComparison.Ordinal)) && DateTime.UtcNow < deadline.AddSeconds(15))
            await Task.Delay(250);
        Assert.Single(app.Logs.Since(mark), e => e.Message.Contains("PostgreSQL is back", StringComparison.Ordinal));
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, "503 without Retry-After");
        Assert.DoesNotContain("开小差", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

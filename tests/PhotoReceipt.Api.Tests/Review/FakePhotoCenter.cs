using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PhotoReceipt.Api.Tests.Review;

/// <summary>
/// An external photo center on loopback (Kestrel, 127.0.0.1, a free port) that records what it
/// receives at POST /submissions and answers with a submission id, or with the status a test sets.
/// </summary>
public sealed class FakePhotoCenter : IAsyncDisposable
{
    public sealed record Received(IReadOnlyDictionary<string, string> Headers, byte[] Body);

    private readonly WebApplication _app;
    public ConcurrentQueue<Received> Submissions { get; } = new();
    public int NextStatus { get; set; } = 200;
    public string BaseUrl { get; }

    public FakePhotoCenter()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/submissions", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            Submissions.Enqueue(new Received(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), buffer.ToArray()));
            return NextStatus == 200 ? Results.Json(new { submissionId = $"C-{Submissions.Count:D4}" }) : Results.StatusCode(NextStatus);
        });
        _app.Start();
        BaseUrl = _app.Urls.Single();
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) await _app.DisposeAsync();
    }
}

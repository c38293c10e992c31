using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace PhotoReceipt.Api.Tests.Support;

/// <summary>
/// How many body bytes the app pulled for a request tagged <c>X-Test-Meter: id</c>. TestServer copies
/// the whole client body whatever the app does, so the client cannot tell; the app's side can.
/// </summary>
public sealed class BodyMeter : IStartupFilter
{
    public const string Header = "X-Test-Meter";
    private readonly ConcurrentDictionary<string, CountingStream> _requests = new();

    public long BytesRead(string id) => _requests.TryGetValue(id, out var s) ? s.Count : 0;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, nextMiddleware) =>
        {
            if (http.Request.Headers[Header].ToString() is { Length: > 0 } id)
                http.Request.Body = _requests[id] = new CountingStream(http.Request.Body);
            await nextMiddleware(http);
        });
        next(app);
    };

    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _count;
        public long Count => Interlocked.Read(ref _count);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Interlocked.Add(ref _count, n);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            Interlocked.Add(ref _count, n);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

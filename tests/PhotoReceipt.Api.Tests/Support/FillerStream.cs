namespace PhotoReceipt.Api.Tests.Support;

/// <summary>A request body of <c>length</c> filler bytes made on the fly, never held in memory.</summary>
public sealed class FillerStream(long length, byte filler = (byte)'a') : Stream
{
    private long _position;
    public long BytesRead => Interlocked.Read(ref _position);

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        if (n <= 0) return 0;
        buffer.AsSpan(offset, n).Fill(filler);
        Interlocked.Add(ref _position, n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        if (n <= 0) return ValueTask.FromResult(0);
        buffer.Span[..n].Fill(filler);
        Interlocked.Add(ref _position, n);
        return ValueTask.FromResult(n);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

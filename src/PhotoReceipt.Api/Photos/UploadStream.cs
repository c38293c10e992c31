namespace PhotoReceipt.Api.Photos;

/// <summary>The upload went past the size limit; nothing of it is kept.</summary>
public sealed class UploadTooLargeException(long limit) : IOException($"upload exceeds {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Passes an upload through to storage while counting it against the limit and keeping its first
/// bytes for sniffing, so the file is never held in memory whole.
/// </summary>
internal sealed class UploadStream(Stream inner, long limit) : Stream
{
    private readonly byte[] _head = new byte[ImageSniffer.HeaderLength];
    private int _headLength;

    public long Length64 { get; private set; }
    public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        Track(buffer.Span[..n]);
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        Track(buffer.AsSpan(offset, n));
        return n;
    }

    private void Track(ReadOnlySpan<byte> chunk)
    {
        if (_headLength < _head.Length)
        {
            var take = Math.Min(chunk.Length, _head.Length - _headLength);
            chunk[..take].CopyTo(_head.AsSpan(_headLength));
            _headLength += take;
        }
        Length64 += chunk.Length;
        if (Length64 > limit) throw new UploadTooLargeException(limit);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Length64; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

namespace PhotoReceipt.Core.Blobs;

public static class BlobStoreExtensions
{
    /// <summary>
    /// The whole blob in memory (photos and receipts are a few MB at most), or null when it does not exist.
    /// <paramref name="sizeHint"/> sizes the buffer when the caller knows the length.
    /// </summary>
    public static async Task<byte[]?> ReadAllBytesAsync(this IBlobStore blobs, string key, CancellationToken ct, long sizeHint = 0)
    {
        await using var stream = await blobs.OpenReadAsync(key, ct);
        if (stream is null) return null;
        using var buffer = new MemoryStream(checked((int)sizeHint));
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}

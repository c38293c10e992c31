namespace PhotoReceipt.Api.Platform;

/// <summary>
/// Reads a whole request body that must stay small (a signed callback whose signature covers the raw
/// bytes), never holding more than <c>limit</c> bytes, whatever the client announced or chunked.
/// </summary>
public static class BoundedBody
{
    /// <summary>The raw bytes, or null when the body is larger than <paramref name="limit"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)n : 4096);
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

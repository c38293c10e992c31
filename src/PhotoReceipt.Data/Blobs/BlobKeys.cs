namespace PhotoReceipt.Data.Blobs;

/// <summary>What every blob store agrees on about keys: which are valid, and the content type a key's extension means.</summary>
public static class BlobKeys
{
    /// <summary>Keys are ours (made from ids), but refuse anything that could leave a folder or name two objects alike.</summary>
    public static string EnsureValid(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.StartsWith('/') || key.Contains('\\', StringComparison.Ordinal) || key.Split('/').Any(s => s is "" or "." or ".."))
            throw new ArgumentException($"Invalid blob key '{key}'.", nameof(key));
        return key;
    }

    public static string ContentTypeOf(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => "image/jpeg",
        ".png" => "image/png",
        ".pdf" => "application/pdf",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };
}

namespace PhotoReceipt.Core.Blobs;

/// <summary>A stored blob's key and when it was last written.</summary>
public sealed record BlobInfo(string Key, DateTimeOffset LastModified);

/// <summary>
/// Where photo and receipt bytes live: a local directory by default, an S3-compatible bucket across hosts.
/// Keys are relative paths such as <c>photos/2026/11/abc.jpg</c>, made by the caller.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes the stream under the key, atomically: readers see the whole blob or none.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);
    /// <summary>Opens the blob for reading, or null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);
    Task DeleteAsync(string key, CancellationToken cancellationToken);
    /// <summary>Every blob whose key starts with <paramref name="prefix"/> (e.g. <c>uploads/</c>), for the orphan sweep.</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken);
    /// <summary>
    /// A URL the storage itself serves the blob from for <paramref name="lifetime"/> (a presigned GET on a
    /// bucket), saved as <paramref name="downloadName"/>; null when the store cannot make one (a local folder:
    /// the API serves the blob through its own signed /files URLs instead).
    /// </summary>
    string? DownloadUrl(string key, string downloadName, TimeSpan lifetime);
    /// <summary>Removes what interrupted writes left behind (a crash mid-upload) and is older than <paramref name="olderThan"/>.</summary>
    Task<int> PurgeIncompleteAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}

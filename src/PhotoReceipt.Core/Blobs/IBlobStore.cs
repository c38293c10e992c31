namespace PhotoReceipt.Core.Blobs;

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
}

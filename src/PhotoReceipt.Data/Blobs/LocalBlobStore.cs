using PhotoReceipt.Core.Blobs;

namespace PhotoReceipt.Data.Blobs;

public sealed class BlobOptions
{
    public const string Section = "Blobs";
    public const string LocalStore = "Local";
    public const string S3Store = "S3";

    /// <summary><see cref="LocalStore"/> (a folder; one host, or a volume all hosts share) or <see cref="S3Store"/> (a bucket).</summary>
    public string Store { get; set; } = LocalStore;

    /// <summary>The bucket when <see cref="Store"/> is S3.</summary>
    public S3BlobOptions S3 { get; set; } = new();

    /// <summary>Folder for the local blob store; relative paths are under the content root.</summary>
    public string Root { get; set; } = "data/blobs";

    /// <summary>
    /// A blob no row points to is deleted once it is this old: younger ones may belong to an upload
    /// or a processing step whose row is still being written.
    /// </summary>
    public double OrphanGraceMinutes { get; set; } = 360;

    /// <summary>A half-written temporary file (the writer was killed) is deleted once it is this old.</summary>
    public double IncompleteGraceMinutes { get; set; } = 60;
}

/// <summary>
/// Blobs as files under one folder. Writes go to a temporary file that is renamed into place, so a
/// crash mid-upload never leaves a half-written blob under a real key; the key's folder is made only
/// when the blob is complete and removed with its last blob, so refused uploads leave nothing.
/// </summary>
public sealed class LocalBlobStore : IBlobStore
{
    private const string TempFolder = ".tmp";
    private readonly string _root;
    private readonly string _temp;

    public LocalBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        _temp = Path.Combine(_root, TempFolder);
        Directory.CreateDirectory(_temp);
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true)
            : null;
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        File.Delete(path);
        // Empty folders up to the root go with their last blob (uploads/<id>/ of a refused upload).
        for (var dir = Path.GetDirectoryName(path); dir is not null && dir.Length > _root.Length; dir = Path.GetDirectoryName(dir))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(dir).Any()) break;
                Directory.Delete(dir);
            }
            catch (IOException) { break; } // a concurrent write put something there
            catch (UnauthorizedAccessException) { break; }
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = Path.Combine(_root, prefix.TrimEnd('/'));
        if (!Directory.Exists(start)) yield break;
        foreach (var file in Directory.EnumerateFiles(start, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(TempFolder + "/", StringComparison.Ordinal)) continue;
            yield return new BlobInfo(key, File.GetLastWriteTimeUtc(file));
        }
        await Task.CompletedTask;
    }

    /// <summary>A folder serves nothing itself: the API's signed /files URLs do (<see cref="FileUrls"/>).</summary>
    public string? DownloadUrl(string key, string downloadName, TimeSpan lifetime) => null;

    public Task<int> PurgeIncompleteAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var n = 0;
        foreach (var file in Directory.EnumerateFiles(_temp))
        {
            if (File.GetLastWriteTimeUtc(file) >= olderThan.UtcDateTime) continue;
            try
            {
                File.Delete(file);
                n++;
            }
            catch (IOException) { } // still being written by a slow upload after all
        }
        return Task.FromResult(n);
    }

    private string PathOf(string key) => Path.Combine(_root, BlobKeys.EnsureValid(key));
}

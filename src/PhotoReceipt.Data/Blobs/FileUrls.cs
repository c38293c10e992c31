using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Blobs;

namespace PhotoReceipt.Data.Blobs;

public sealed class FilesOptions
{
    public const string Section = "Files";

    /// <summary>Base64 of ≥ 32 random bytes; signs download URLs (environment Files__SigningKey).</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>How long a download URL works.</summary>
    public double UrlLifetimeMinutes { get; set; } = 10;

    /// <summary>
    /// Scheme and host the mini-program reaches us at (e.g. https://api.example.com). Required outside
    /// Development, where it defaults to http://localhost (./build.sh run sets it to its own port).
    /// A request's Host header never picks it: a signed URL on a host of the caller's choosing would
    /// hand them the signature.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}

/// <summary>
/// Short-lived download URLs for photos and receipts. From a bucket, the bucket's own presigned URL,
/// so the file never passes through an API replica. From the local folder,
/// /files/{key}?name=&amp;exp=&amp;sig= on the public origin, where sig is HMAC-SHA256 over key, name
/// and expiry. Anyone holding the URL may download until it expires, which is what wx.downloadFile
/// needs (it cannot send our bearer token).
/// </summary>
public sealed class FileUrls
{
    private readonly byte[] _key;
    private readonly FilesOptions _options;
    private readonly IBlobStore _blobs;
    private readonly TimeProvider _clock;

    public FileUrls(IOptions<FilesOptions> options, IBlobStore blobs, TimeProvider clock)
    {
        _options = options.Value;
        _blobs = blobs;
        _clock = clock;
        try
        {
            _key = Convert.FromBase64String(_options.SigningKey);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException("Files:SigningKey is not valid base64.", ex);
        }
        if (_key.Length < 32) throw new InvalidOperationException("Files:SigningKey must be at least 32 bytes (base64); set Files__SigningKey.");
    }

    /// <summary>A URL for the mini-program or the console, valid for Files:UrlLifetimeMinutes.</summary>
    public string Create(string key, string downloadName) =>
        Create(key, downloadName, TimeSpan.FromMinutes(_options.UrlLifetimeMinutes));

    /// <summary>A URL valid for <paramref name="lifetime"/> (WeChat's image check downloads within 30 minutes of being asked).</summary>
    public string Create(string key, string downloadName, TimeSpan lifetime) =>
        _blobs.DownloadUrl(key, downloadName, lifetime) ?? SignedFilesUrl(key, downloadName, lifetime);

    private string SignedFilesUrl(string key, string downloadName, TimeSpan lifetime)
    {
        var baseUrl = string.IsNullOrWhiteSpace(_options.PublicBaseUrl) ? "http://localhost" : _options.PublicBaseUrl;
        var exp = _clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var sig = Sign(key, downloadName, exp);
        return $"{baseUrl.TrimEnd('/')}/files/{key}?name={Uri.EscapeDataString(downloadName)}&exp={exp}&sig={sig}";
    }

    public bool Verify(string key, string name, string? exp, string? sig)
    {
        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || sig is null) return false;
        if (expiry < _clock.GetUtcNow().ToUnixTimeSeconds()) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(key, name, expiry));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(sig));
    }

    private string Sign(string key, string name, long exp)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{key}\n{name}\n{exp.ToString(CultureInfo.InvariantCulture)}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

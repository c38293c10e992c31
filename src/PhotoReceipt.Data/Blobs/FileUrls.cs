using Microsoft.AspNetCore.Http;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

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
    /// Development; without it a URL uses the request's host only when that is in <see cref="AllowedHosts"/>.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Hosts a request may name for its URLs when no PublicBaseUrl is set (Development).</summary>
    public string[] AllowedHosts { get; set; } = ["localhost", "127.0.0.1", "[::1]"];
}

/// <summary>
/// Short-lived signed URLs for photos and receipts: /files/{key}?name=&amp;exp=&amp;sig= where sig is
/// HMAC-SHA256 over key, name and expiry. Anyone holding the URL may download until it expires,
/// which is what wx.downloadFile needs (it cannot send our bearer token).
/// </summary>
public sealed class FileUrls
{
    private readonly byte[] _key;
    private readonly FilesOptions _options;
    private readonly TimeProvider _clock;

    public FileUrls(IOptions<FilesOptions> options, TimeProvider clock)
    {
        _options = options.Value;
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

    /// <summary>
    /// A URL for the mini-program on the configured public origin. Without one (Development), on the
    /// host the request named if that host is allowed: a Host header is the caller's to choose, and a
    /// signed URL on a host of theirs would hand them the signature.
    /// </summary>
    public string Create(HttpRequest request, string key, string downloadName) =>
        Create(BaseUrlFor(request), key, downloadName, TimeSpan.FromMinutes(_options.UrlLifetimeMinutes));

    private string BaseUrlFor(HttpRequest request)
    {
        if (!string.IsNullOrWhiteSpace(_options.PublicBaseUrl)) return _options.PublicBaseUrl;
        var allowed = _options.AllowedHosts.Any(h => string.Equals(h, request.Host.Host, StringComparison.OrdinalIgnoreCase));
        return allowed ? $"{request.Scheme}://{request.Host}{request.PathBase}" : "http://localhost";
    }

    /// <summary>
    /// A URL for a party outside any request (WeChat's image check downloads it within 30 minutes):
    /// needs Files:PublicBaseUrl, the origin the internet reaches us at.
    /// </summary>
    public string CreatePublic(string key, string downloadName, TimeSpan lifetime) =>
        Create(_options.PublicBaseUrl ?? "http://localhost", key, downloadName, lifetime);

    private string Create(string baseUrl, string key, string downloadName, TimeSpan lifetime)
    {
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

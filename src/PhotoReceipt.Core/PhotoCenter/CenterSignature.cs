using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PhotoReceipt.Core.PhotoCenter;

/// <summary>
/// The signature both directions of the photo-center HTTP contract use (docs/photo-center-http.md):
/// hex HMAC-SHA256 over "{unix seconds}\n{raw body}", sent as "sha256=&lt;hex&gt;". The timestamp is
/// signed so a captured request cannot be replayed outside the window.
/// </summary>
public static class CenterSignature
{
    public const string TimestampHeader = "X-PhotoCenter-Timestamp";
    public const string SignatureHeader = "X-PhotoCenter-Signature";
    private const string Prefix = "sha256=";

    public static string Sign(ReadOnlySpan<byte> secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var head = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "\n");
        var message = new byte[head.Length + body.Length];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, message));
    }

    public enum Outcome { Valid, Missing, Stale, Forged }

    /// <summary>Checks the timestamp against the window first (cheap), then the signature in constant time.</summary>
    public static Outcome Verify(ReadOnlySpan<byte> secret, string? timestamp, string? signature, ReadOnlySpan<byte> body,
        DateTimeOffset now, TimeSpan window)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)) return Outcome.Missing;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts)) return Outcome.Forged;
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > window.TotalSeconds) return Outcome.Stale;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, ts, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)) ? Outcome.Valid : Outcome.Forged;
    }
}

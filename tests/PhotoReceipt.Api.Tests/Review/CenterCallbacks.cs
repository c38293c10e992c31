using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PhotoReceipt.Core.PhotoCenter;

namespace PhotoReceipt.Api.Tests.Review;

/// <summary>What an external photo center sends to /photo-center/callback.</summary>
public static class CenterCallbacks
{
    public static string Sign(byte[] secret, long timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{timestamp}\n{body}")));

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string body, long timestamp, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/photo-center/callback") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(CenterSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        if (signature is not null) request.Headers.Add(CenterSignature.SignatureHeader, signature);
        return await client.SendAsync(request);
    }

    /// <summary>Signed now with the center's secret, as a well-behaved center does.</summary>
    public static Task<HttpResponseMessage> PostSignedAsync(HttpClient client, byte[] secret, string body)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return PostAsync(client, body, now, Sign(secret, now, body));
    }
}

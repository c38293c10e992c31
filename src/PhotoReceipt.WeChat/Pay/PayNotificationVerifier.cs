using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PhotoReceipt.WeChat.Pay;

/// <summary>
/// Verifies and decrypts WeChat Pay notices with no state of its own: Wechatpay-Serial check, timestamp
/// window, SHA256withRSA over "timestamp\nnonce\nRAW BODY\n" with the platform public key, then AES-256-GCM
/// with the APIv3 key. The body must be the raw bytes as received: re-serialized JSON does not verify.
/// </summary>
public sealed class PayNotificationVerifier(WeChatPayKeys keys, IOptionsMonitor<WeChatPayOptions> payOptions,
    IOptionsMonitor<WeChatOptions> wechatOptions, TimeProvider clock)
{
    public bool IsConfigured => !payOptions.CurrentValue.IsSandbox && !wechatOptions.CurrentValue.IsSandbox;

    public PayNotificationResult VerifyAndDecrypt(PayNoticeHeaders headers, ReadOnlySpan<byte> rawBody)
    {
        var o = payOptions.CurrentValue;
        if (o.IsSandbox || wechatOptions.CurrentValue.IsSandbox)
            return PayNotificationResult.Refused(PayNoticeRefusal.NotConfigured);
        var refusal = CheckSignature(headers, rawBody);
        if (refusal != PayNoticeRefusal.None) return PayNotificationResult.Refused(refusal);

        JsonElement notice;
        try
        {
            using var doc = JsonDocument.Parse(rawBody.ToArray());
            notice = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return PayNotificationResult.Refused(PayNoticeRefusal.Malformed);
        }
        var id = PayJson.Text(notice, "id");
        var eventType = PayJson.Text(notice, "event_type");
        if (!notice.TryGetProperty("resource", out var resource) || resource.ValueKind != JsonValueKind.Object)
            return PayNotificationResult.Refused(PayNoticeRefusal.Malformed, id, eventType);

        var plaintext = TryDecrypt(o.ApiV3Key!, PayJson.Text(resource, "nonce"), PayJson.Text(resource, "associated_data"),
            PayJson.Text(resource, "ciphertext"));
        if (plaintext is null) return PayNotificationResult.Refused(PayNoticeRefusal.DecryptFailed, id, eventType);

        JsonElement content;
        try
        {
            using var doc = JsonDocument.Parse(plaintext);
            content = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return PayNotificationResult.Refused(PayNoticeRefusal.Malformed, id, eventType);
        }
        // Refund notices carry mchid but no appid; transactions carry both.
        if (PayJson.Text(content, "mchid") != o.MchId
            || (PayJson.Text(content, "appid") is { } appId && appId != wechatOptions.CurrentValue.AppId))
            return PayNotificationResult.Refused(PayNoticeRefusal.NotOurs, id, eventType);

        var originalType = PayJson.Text(resource, "original_type");
        var isRefund = originalType == "refund" || eventType?.StartsWith("REFUND.", StringComparison.Ordinal) == true;
        return isRefund
            ? new PayNotificationResult(PayNoticeRefusal.None, id, eventType, null, PayJson.ReadRefund(content))
            : new PayNotificationResult(PayNoticeRefusal.None, id, eventType, PayJson.ReadTransaction(content), null);
    }

    /// <summary>
    /// The signature WeChat Pay puts on notices and on API answers alike: Wechatpay-Serial must name one of our keys,
    /// Wechatpay-Timestamp must be within the window, Wechatpay-Signature must verify over the raw body.
    /// </summary>
    public PayNoticeRefusal CheckSignature(PayNoticeHeaders headers, ReadOnlySpan<byte> rawBody)
    {
        var o = payOptions.CurrentValue;
        if (headers is not { Serial: { } serial, Signature: { } signature, Timestamp: { } timestamp, Nonce: { } nonce })
            return PayNoticeRefusal.MissingHeaders;
        if (keys.PlatformFor(serial) is not { } platform)
            return PayNoticeRefusal.UnknownSerial;
        if (!long.TryParse(timestamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            || (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > o.NotifyTimestampWindow)
            return PayNoticeRefusal.StaleTimestamp;
        var signatureBytes = new byte[512];
        return Convert.TryFromBase64String(signature, signatureBytes, out var signatureLength)
            && platform.VerifyData(WeChatPaySignature.NoticeMessage(timestamp, nonce, rawBody),
                signatureBytes.AsSpan(0, signatureLength), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            ? PayNoticeRefusal.None
            : PayNoticeRefusal.BadSignature;
    }

    /// <summary>
    /// AEAD_AES_256_GCM: key = the 32 ASCII bytes of the APIv3 key, nonce = 12 ASCII bytes, AAD = associated_data
    /// (may be empty), ciphertext = Base64(ciphertext ‖ 16-byte tag). Null when anything does not authenticate.
    /// </summary>
    public static string? TryDecrypt(string apiV3Key, string? nonce, string? associatedData, string? ciphertextBase64)
    {
        if (nonce is null || ciphertextBase64 is null) return null;
        var key = Encoding.ASCII.GetBytes(apiV3Key);
        var nonceBytes = Encoding.ASCII.GetBytes(nonce);
        if (key.Length != 32 || nonceBytes.Length != 12) return null;
        byte[] sealedBytes;
        try { sealedBytes = Convert.FromBase64String(ciphertextBase64); }
        catch (FormatException) { return null; }
        if (sealedBytes.Length < 16) return null;
        var cipher = sealedBytes.AsSpan(0, sealedBytes.Length - 16);
        var tag = sealedBytes.AsSpan(sealedBytes.Length - 16);
        var plain = new byte[cipher.Length];
        try
        {
            using var gcm = new AesGcm(key, 16);
            gcm.Decrypt(nonceBytes, cipher, tag, plain, Encoding.UTF8.GetBytes(associatedData ?? ""));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The inverse of <see cref="TryDecrypt"/>: what WeChat Pay does (used by the test fake).</summary>
    public static string Encrypt(string apiV3Key, string nonce, string associatedData, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[plain.Length + 16];
        using var gcm = new AesGcm(Encoding.ASCII.GetBytes(apiV3Key), 16);
        gcm.Encrypt(Encoding.ASCII.GetBytes(nonce), plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length),
            Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(sealedBytes);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using PhotoReceipt.WeChat.Push;

namespace PhotoReceipt.WeChat.Tests.Fake;

/// <summary>A message-push delivery as WeChat would POST it: the query string and the body.</summary>
public sealed record FakePush(IReadOnlyDictionary<string, string> Query, string Body)
{
    /// <summary>The query as a URL suffix, e.g. for <c>client.PostAsync("/wechat/push" + push.QueryString, …)</c>.</summary>
    public string QueryString => "?" + string.Join('&', Query.Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value)));
}

public sealed partial class FakeWeChatServer
{
    /// <summary>The message-push Token the configuration from <see cref="Configuration"/> uses.</summary>
    public string PushToken { get; } = "AAAAA";
    /// <summary>43 × 'A': the all-zero key of the official vectors.</summary>
    public string EncodingAesKey { get; } = new('A', 43);

    /// <summary>Configuration (section:key) that points both WeChat and WeChat Pay at this fake.</summary>
    public Dictionary<string, string?> Configuration() => new()
    {
        ["WeChat:AppId"] = AppId,
        ["WeChat:AppSecret"] = AppSecret,
        ["WeChat:ApiBaseUrl"] = BaseUrl,
        ["WeChat:Token"] = PushToken,
        ["WeChat:EncodingAESKey"] = EncodingAesKey,
        ["WeChat:Timeout"] = "00:00:05",
        ["WeChatPay:MchId"] = MchId,
        ["WeChatPay:MerchantSerialNo"] = MerchantSerialNo,
        ["WeChatPay:MerchantPrivateKeyPem"] = MerchantPrivateKeyPem,
        ["WeChatPay:ApiV3Key"] = ApiV3Key,
        ["WeChatPay:PlatformPublicKeyPem"] = PlatformPublicKeyPem,
        ["WeChatPay:PublicKeyId"] = PublicKeyId,
        ["WeChatPay:ApiBaseUrl"] = BaseUrl,
        ["WeChatPay:NotifyUrl"] = "https://photoreceipt.example/wechat/pay/notify",
        ["WeChatPay:RefundNotifyUrl"] = "https://photoreceipt.example/wechat/pay/refund-notify",
        ["WeChatPay:Timeout"] = "00:00:05",
    };

    /// <summary>A safe-mode JSON push of <paramref name="plaintext"/> (msg_signature over the Encrypt field).</summary>
    public FakePush SafeModePush(string plaintext)
    {
        var encrypt = new MessagePushCrypto(PushToken, AppId, EncodingAesKey).Encrypt(plaintext);
        var (ts, nonce) = StampAndNonce();
        return new FakePush(new Dictionary<string, string>
        {
            ["signature"] = MessagePushCrypto.Signature(PushToken, ts, nonce),
            ["timestamp"] = ts,
            ["nonce"] = nonce,
            ["openid"] = "o_push_fake",
            ["encrypt_type"] = "aes",
            ["msg_signature"] = MessagePushCrypto.Signature(PushToken, ts, nonce, encrypt),
        }, JsonSerializer.Serialize(new { ToUserName = "gh_fake000000", Encrypt = encrypt }));
    }

    /// <summary>A plaintext-mode push (JSON or XML as given), signed with the URL signature.</summary>
    public FakePush PlaintextPush(string body)
    {
        var (ts, nonce) = StampAndNonce();
        return new FakePush(new Dictionary<string, string>
        {
            ["signature"] = MessagePushCrypto.Signature(PushToken, ts, nonce),
            ["timestamp"] = ts,
            ["nonce"] = nonce,
        }, body);
    }

    private static (string Timestamp, string Nonce) StampAndNonce() =>
        (DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
         RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture));
}

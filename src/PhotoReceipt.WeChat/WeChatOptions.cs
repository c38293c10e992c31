namespace PhotoReceipt.WeChat;

/// <summary>Section <c>WeChat</c>. Secrets come from the environment (<c>WeChat__AppSecret</c>), never from files in git.</summary>
public sealed class WeChatOptions
{
    public const string Section = "WeChat";

    /// <summary>The mini-program's appid. Empty means sandbox mode: nothing is sent to WeChat.</summary>
    public string? AppId { get; set; }
    public string? AppSecret { get; set; }
    public string ApiBaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>Message-push Token from 开发管理 → 消息推送配置.</summary>
    public string? Token { get; set; }
    /// <summary>43-character key of safe mode; decodes (with a trailing '=') to the 32-byte AES key.</summary>
    public string? EncodingAESKey { get; set; }
    /// <summary>The key before the last rotation: WeChat keeps sending with it for a while.</summary>
    public string? PreviousEncodingAESKey { get; set; }

    /// <summary>A push whose timestamp is further than this from our clock is refused (WeChat sends within seconds).</summary>
    public TimeSpan PushTimestampWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>developer | trial | formal: which build a subscribe message opens.</summary>
    public string MiniProgramState { get; set; } = "formal";

    /// <summary>Per-call timeout; the caller's CancellationToken still applies on top.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long before expiry a cached access token is refreshed (WeChat renews stable tokens 5 min early).</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsSandbox => string.IsNullOrWhiteSpace(AppId);
}

/// <summary>Section <c>WeChatPay</c> (API v3). Payments are simulated (sandbox) when no MchId is configured.</summary>
public sealed class WeChatPayOptions
{
    public const string Section = "WeChatPay";

    public string? MchId { get; set; }
    /// <summary>Serial number of the merchant API certificate; goes into the Authorization header.</summary>
    public string? MerchantSerialNo { get; set; }
    /// <summary>The merchant API private key (apiclient_key.pem) inline, or …</summary>
    public string? MerchantPrivateKeyPem { get; set; }
    /// <summary>… a path to it.</summary>
    public string? MerchantPrivateKeyPath { get; set; }
    /// <summary>The 32-character APIv3 key, used as ASCII bytes for AES-256-GCM.</summary>
    public string? ApiV3Key { get; set; }
    /// <summary>WeChat Pay public key (or platform certificate public key) that signs notices, inline …</summary>
    public string? PlatformPublicKeyPem { get; set; }
    /// <summary>… or a path to it.</summary>
    public string? PlatformPublicKeyPath { get; set; }
    /// <summary>Expected <c>Wechatpay-Serial</c>: <c>PUB_KEY_ID_…</c> or the platform certificate serial.</summary>
    public string? PublicKeyId { get; set; }
    /// <summary>
    /// More keys WeChat Pay may sign with, each under its own Wechatpay-Serial: during a rotation (a new
    /// platform certificate, or the move from certificates to a WeChat Pay public key) notices come signed
    /// by either, and each must verify with the key its serial names.
    /// </summary>
    public List<WeChatPayPublicKey> AdditionalPublicKeys { get; set; } = [];
    public string ApiBaseUrl { get; set; } = "https://api.mch.weixin.qq.com";
    /// <summary>HTTPS, no query string (WeChat drops it).</summary>
    public string? NotifyUrl { get; set; }
    public string? RefundNotifyUrl { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Notices whose Wechatpay-Timestamp is further than this from our clock are refused.</summary>
    public TimeSpan NotifyTimestampWindow { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsSandbox => string.IsNullOrWhiteSpace(MchId);

    /// <summary>Every configured verification key by its serial / public-key id, the primary one first.</summary>
    public IEnumerable<WeChatPayPublicKey> AllPublicKeys() =>
        [new WeChatPayPublicKey { Id = PublicKeyId ?? "", PublicKeyPem = PlatformPublicKeyPem, PublicKeyPath = PlatformPublicKeyPath }, .. AdditionalPublicKeys];

    /// <summary>Payments are simulated unless both a merchant and a mini-program are configured: no real money can move then.</summary>
    public bool SimulatedWith(WeChatOptions wechat) => IsSandbox || wechat.IsSandbox;
}

/// <summary>A WeChat Pay verification key: the id notices name in Wechatpay-Serial, and the PEM inline or as a path.</summary>
public sealed class WeChatPayPublicKey
{
    public string Id { get; set; } = "";
    public string? PublicKeyPem { get; set; }
    public string? PublicKeyPath { get; set; }
}

using Microsoft.Extensions.Options;

namespace PhotoReceipt.WeChat;

internal sealed class WeChatOptionsValidation : IValidateOptions<WeChatOptions>
{
    private static readonly string[] States = ["developer", "trial", "formal"];

    public ValidateOptionsResult Validate(string? name, WeChatOptions o)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _))
            errors.Add("WeChat:ApiBaseUrl must be an absolute URL.");
        if (o.Timeout <= TimeSpan.Zero)
            errors.Add("WeChat:Timeout must be positive.");
        if (!States.Contains(o.MiniProgramState))
            errors.Add("WeChat:MiniProgramState must be developer, trial or formal.");
        if (!o.IsSandbox && string.IsNullOrWhiteSpace(o.AppSecret))
            errors.Add("WeChat:AppSecret is required when WeChat:AppId is set.");
        CheckAesKey(o.EncodingAESKey, "WeChat:EncodingAESKey", errors);
        CheckAesKey(o.PreviousEncodingAESKey, "WeChat:PreviousEncodingAESKey", errors);
        if (!string.IsNullOrEmpty(o.EncodingAESKey) && string.IsNullOrEmpty(o.Token))
            errors.Add("WeChat:Token is required when WeChat:EncodingAESKey is set.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckAesKey(string? key, string name, List<string> errors)
    {
        if (string.IsNullOrEmpty(key)) return;
        if (key.Length != 43 || !Push.MessagePushCrypto.TryDecodeKey(key, out _))
            errors.Add($"{name} must be the 43-character key from the console.");
    }
}

internal sealed class WeChatPayOptionsValidation(IOptions<WeChatOptions> wechat) : IValidateOptions<WeChatPayOptions>
{
    public ValidateOptionsResult Validate(string? name, WeChatPayOptions o)
    {
        if (o.IsSandbox) return ValidateOptionsResult.Success;
        var errors = new List<string>();
        if (wechat.Value.IsSandbox)
            errors.Add("WeChat:AppId is required when WeChatPay:MchId is set.");
        if (string.IsNullOrWhiteSpace(o.MerchantSerialNo))
            errors.Add("WeChatPay:MerchantSerialNo is required.");
        if (string.IsNullOrWhiteSpace(o.MerchantPrivateKeyPem) && string.IsNullOrWhiteSpace(o.MerchantPrivateKeyPath))
            errors.Add("WeChatPay:MerchantPrivateKeyPem or WeChatPay:MerchantPrivateKeyPath is required.");
        if (o.ApiV3Key is not { Length: 32 })
            errors.Add("WeChatPay:ApiV3Key must be the 32-character APIv3 key.");
        if (string.IsNullOrWhiteSpace(o.PlatformPublicKeyPem) && string.IsNullOrWhiteSpace(o.PlatformPublicKeyPath))
            errors.Add("WeChatPay:PlatformPublicKeyPem or WeChatPay:PlatformPublicKeyPath is required.");
        if (string.IsNullOrWhiteSpace(o.PublicKeyId))
            errors.Add("WeChatPay:PublicKeyId is required (PUB_KEY_ID_… or the platform certificate serial).");
        foreach (var (key, i) in o.AdditionalPublicKeys.Select((k, i) => (k, i)))
            if (string.IsNullOrWhiteSpace(key.Id) || (string.IsNullOrWhiteSpace(key.PublicKeyPem) && string.IsNullOrWhiteSpace(key.PublicKeyPath)))
                errors.Add($"WeChatPay:AdditionalPublicKeys:{i} needs an Id and a PublicKeyPem or PublicKeyPath.");
        if (!Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _))
            errors.Add("WeChatPay:ApiBaseUrl must be an absolute URL.");
        CheckNotifyUrl(o.NotifyUrl, "WeChatPay:NotifyUrl", errors);
        CheckNotifyUrl(o.RefundNotifyUrl, "WeChatPay:RefundNotifyUrl", errors);
        if (o.Timeout <= TimeSpan.Zero)
            errors.Add("WeChatPay:Timeout must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // WeChat Pay only calls HTTPS URLs and silently drops a query string, so both are configuration bugs.
    private static void CheckNotifyUrl(string? url, string name, List<string> errors)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Query.Length > 0)
            errors.Add($"{name} must be an https URL without a query string.");
    }
}

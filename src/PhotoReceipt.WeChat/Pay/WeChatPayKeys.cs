using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PhotoReceipt.WeChat.Pay;

/// <summary>The merchant's signing key and WeChat Pay's verification key, loaded once from PEM text or files.</summary>
public sealed class WeChatPayKeys : IDisposable
{
    private readonly Lazy<RSA> _merchant;
    private readonly Lazy<RSA> _platform;

    public WeChatPayKeys(IOptions<WeChatPayOptions> options)
    {
        var o = options.Value;
        _merchant = new Lazy<RSA>(() => Load(o.MerchantPrivateKeyPem, o.MerchantPrivateKeyPath, "merchant private key"));
        _platform = new Lazy<RSA>(() => Load(o.PlatformPublicKeyPem, o.PlatformPublicKeyPath, "platform public key"));
    }

    public RSA Merchant => _merchant.Value;
    public RSA Platform => _platform.Value;

    /// <summary>SHA256withRSA (PKCS#1 v1.5), Base64: the signature scheme of every v3 request and of paySign.</summary>
    public string Sign(string message) =>
        Convert.ToBase64String(Merchant.SignData(System.Text.Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    private static RSA Load(string? pem, string? path, string what)
    {
        var text = !string.IsNullOrWhiteSpace(pem) ? pem
            : !string.IsNullOrWhiteSpace(path) ? File.ReadAllText(path)
            : throw new InvalidOperationException($"WeChat Pay {what} is not configured.");
        var rsa = RSA.Create();
        // Environment variables often carry the PEM with literal "\n"; ImportFromPem needs real line breaks.
        rsa.ImportFromPem(text.Replace("\\n", "\n", StringComparison.Ordinal));
        return rsa;
    }

    public void Dispose()
    {
        if (_merchant.IsValueCreated) _merchant.Value.Dispose();
        if (_platform.IsValueCreated) _platform.Value.Dispose();
    }
}

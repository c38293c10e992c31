using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace PhotoReceipt.WeChat.Pay;

/// <summary>The merchant's signing key and WeChat Pay's verification key, loaded once from PEM text or files.</summary>
public sealed class WeChatPayKeys : IDisposable
{
    private readonly Lazy<RSA> _merchant;
    private readonly Dictionary<string, Lazy<RSA>> _platform;

    public WeChatPayKeys(IOptions<WeChatPayOptions> options)
    {
        var o = options.Value;
        _merchant = new Lazy<RSA>(() => Load(o.MerchantPrivateKeyPem, o.MerchantPrivateKeyPath, "merchant private key"));
        _platform = o.AllPublicKeys().Where(k => k.Id.Length > 0).DistinctBy(k => k.Id, StringComparer.Ordinal)
            .ToDictionary(k => k.Id, k => new Lazy<RSA>(() => Load(k.PublicKeyPem, k.PublicKeyPath, $"public key {k.Id}")), StringComparer.Ordinal);
    }

    public RSA Merchant => _merchant.Value;

    /// <summary>The verification key a Wechatpay-Serial names, or null for a serial we were not given.</summary>
    public RSA? PlatformFor(string serial) => _platform.TryGetValue(serial, out var key) ? key.Value : null;

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
        foreach (var key in _platform.Values.Where(k => k.IsValueCreated)) key.Value.Dispose();
    }
}

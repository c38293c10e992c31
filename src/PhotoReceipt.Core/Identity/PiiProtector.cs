using System.Security.Cryptography;
using System.Text;

namespace PhotoReceipt.Core.Identity;

/// <summary>Keys for personal data. Secrets come only from the environment (Pii__Keys__&lt;id&gt;=base64).</summary>
public sealed class PiiOptions
{
    public const string Section = "Pii";

    /// <summary>The key id new data is encrypted with; older ids stay readable for rotation.</summary>
    public string CurrentKeyId { get; set; } = "";

    /// <summary>Key id → base64 of 32 random bytes (AES-256-GCM).</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>Base64 of ≥ 32 random bytes for the keyed look-up hash (HMAC-SHA256).</summary>
    public string LookupKey { get; set; } = "";
}

/// <summary>
/// Encrypts personal data at rest with AES-256-GCM and makes keyed hashes for exact look-ups
/// (support finds an order by ID number without the database ever holding it in clear).
/// Ciphertext layout: [key id length][key id][12-byte nonce][16-byte tag][ciphertext].
/// </summary>
public sealed class PiiProtector
{
    private readonly string _currentKeyId;
    private readonly Dictionary<string, byte[]> _keys;
    private readonly byte[] _lookupKey;

    public PiiProtector(PiiOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CurrentKeyId))
            throw new InvalidOperationException("Pii:CurrentKeyId is not set (environment Pii__CurrentKeyId).");
        _keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, value) in options.Keys)
        {
            var key = DecodeKey(value, $"Pii:Keys:{id}");
            if (key.Length != 32) throw new InvalidOperationException($"Pii:Keys:{id} must be 32 bytes (base64), not {key.Length}.");
            if (Encoding.ASCII.GetByteCount(id) is 0 or > 255) throw new InvalidOperationException($"Pii key id '{id}' must be 1–255 ASCII characters.");
            _keys[id] = key;
        }
        if (!_keys.ContainsKey(options.CurrentKeyId))
            throw new InvalidOperationException($"Pii:Keys has no key '{options.CurrentKeyId}' (the current key id).");
        _currentKeyId = options.CurrentKeyId;
        _lookupKey = DecodeKey(options.LookupKey, "Pii:LookupKey");
        if (_lookupKey.Length < 32) throw new InvalidOperationException("Pii:LookupKey must be at least 32 bytes (base64).");
    }

    public string CurrentKeyId => _currentKeyId;

    public byte[] Encrypt(string plaintext)
    {
        var idBytes = Encoding.ASCII.GetBytes(_currentKeyId);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[1 + idBytes.Length + 12 + 16 + data.Length];
        output[0] = (byte)idBytes.Length;
        idBytes.CopyTo(output, 1);
        var nonce = output.AsSpan(1 + idBytes.Length, 12);
        RandomNumberGenerator.Fill(nonce);
        var tag = output.AsSpan(1 + idBytes.Length + 12, 16);
        using var aes = new AesGcm(_keys[_currentKeyId], 16);
        aes.Encrypt(nonce, data, output.AsSpan(1 + idBytes.Length + 28), tag, idBytes);
        return output;
    }

    public string Decrypt(byte[] ciphertext)
    {
        var idLength = ciphertext[0];
        var idBytes = ciphertext.AsSpan(1, idLength);
        var id = Encoding.ASCII.GetString(idBytes);
        if (!_keys.TryGetValue(id, out var key))
            throw new CryptographicException($"Personal data was encrypted with key '{id}', which is not configured.");
        var nonce = ciphertext.AsSpan(1 + idLength, 12);
        var tag = ciphertext.AsSpan(1 + idLength + 12, 16);
        var data = ciphertext.AsSpan(1 + idLength + 28);
        var plain = new byte[data.Length];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(nonce, data, tag, plain, idBytes);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>HMAC-SHA256 of the value under a purpose label, so equal ID numbers hash equal.</summary>
    public byte[] LookupHash(string purpose, string value) =>
        HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(purpose + "\n" + value));

    private static byte[] DecodeKey(string value, string name)
    {
        try
        {
            return Convert.FromBase64String(value ?? "");
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{name} is not valid base64.", ex);
        }
    }
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PhotoReceipt.WeChat.Push;

/// <summary>An encrypted passive reply: the four fields of the reply body.</summary>
public sealed record EncryptedReply(string Encrypt, string MsgSignature, long TimeStamp, string Nonce);

/// <summary>
/// Message-push signatures and safe-mode crypto (wechat.md §5). WeChat pads with PKCS#7 to a 32-byte block,
/// not AES's 16, so the framework's padding is off and the pad is stripped by hand. The current and the
/// previous EncodingAESKey are both tried, because WeChat keeps using the old key for a while after rotation.
/// </summary>
public sealed class MessagePushCrypto
{
    private const int PadBlock = 32;
    private readonly string _token;
    private readonly string _appId;
    private readonly byte[][] _keys;

    public MessagePushCrypto(string token, string appId, string? encodingAesKey, string? previousEncodingAesKey = null)
    {
        _token = token;
        _appId = appId;
        var keys = new List<byte[]>();
        foreach (var k in new[] { encodingAesKey, previousEncodingAesKey })
        {
            if (string.IsNullOrEmpty(k)) continue;
            if (!TryDecodeKey(k, out var key)) throw new ArgumentException("An EncodingAESKey must be 43 base64 characters.");
            keys.Add(key);
        }
        _keys = [.. keys];
    }

    public bool CanDecrypt => _keys.Length > 0;

    /// <summary>43 characters + "=" is base64 for the 32-byte AES key.</summary>
    public static bool TryDecodeKey(string encodingAesKey, out byte[] key)
    {
        key = [];
        if (encodingAesKey.Length != 43) return false;
        var buffer = new byte[33];
        if (!Convert.TryFromBase64String(encodingAesKey + "=", buffer, out var written) || written != 32) return false;
        key = buffer[..32];
        return true;
    }

    /// <summary>sha1 over the parts sorted ordinally and concatenated, lowercase hex.</summary>
    public static string Signature(params string[] parts)
    {
        var sorted = parts.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
#pragma warning disable CA5350 // SHA1 is WeChat's protocol, not our choice.
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted))));
#pragma warning restore CA5350
    }

    /// <summary>The URL <c>signature</c> (GET verification and plaintext POST): sha1(sort(token, timestamp, nonce)).</summary>
    public bool VerifyUrlSignature(string? signature, string? timestamp, string? nonce) =>
        signature is not null && timestamp is not null && nonce is not null
        && FixedTimeEquals(signature, Signature(_token, timestamp, nonce));

    /// <summary>Safe mode's <c>msg_signature</c>: sha1(sort(token, timestamp, nonce, Encrypt)).</summary>
    public bool VerifyMsgSignature(string? msgSignature, string? timestamp, string? nonce, string encrypt) =>
        msgSignature is not null && timestamp is not null && nonce is not null
        && FixedTimeEquals(msgSignature, Signature(_token, timestamp, nonce, encrypt));

    /// <summary>Decrypts with the current key, then the previous one.</summary>
    public bool TryDecrypt(string encrypt, out string message)
    {
        foreach (var key in _keys)
        {
            if (TryDecrypt(encrypt, key, _appId, out message)) return true;
        }
        message = "";
        return false;
    }

    /// <summary>
    /// AES-256-CBC (IV = key[0..16]) → strip the 32-byte PKCS#7 pad → random(16) | msg_len(4, big-endian) | msg | appid.
    /// Fails when the pad, the length or the appid tail is wrong, which is also what a wrong key looks like.
    /// </summary>
    public static bool TryDecrypt(string encrypt, byte[] key, string appId, out string message)
    {
        message = "";
        byte[] cipher;
        try { cipher = Convert.FromBase64String(encrypt); }
        catch (FormatException) { return false; }
        if (cipher.Length == 0 || cipher.Length % 16 != 0) return false;
        using var aes = Aes.Create();
        aes.Key = key;
        var plain = aes.DecryptCbc(cipher, key.AsSpan(0, 16), PaddingMode.None);
        int pad = plain[^1];
        if (pad is < 1 or > PadBlock || pad > plain.Length) return false;
        var content = plain.AsSpan(0, plain.Length - pad);
        if (content.Length < 20) return false;
        var length = BinaryPrimitives.ReadInt32BigEndian(content.Slice(16, 4));
        if (length < 0 || 20 + length > content.Length) return false;
        var tail = Encoding.UTF8.GetString(content[(20 + length)..]);
        if (!string.Equals(tail, appId, StringComparison.Ordinal)) return false;
        message = Encoding.UTF8.GetString(content.Slice(20, length));
        return true;
    }

    /// <summary>Encrypts with the current key and 16 fresh random bytes.</summary>
    public string Encrypt(string message) => Encrypt(message, RandomNumberGenerator.GetBytes(16));

    /// <summary>Encrypts with given random bytes (the official reply vector fixes them).</summary>
    public string Encrypt(string message, ReadOnlySpan<byte> random16)
    {
        if (_keys.Length == 0) throw new InvalidOperationException("No EncodingAESKey is configured.");
        return Encrypt(message, random16, _keys[0], _appId);
    }

    public static string Encrypt(string message, ReadOnlySpan<byte> random16, byte[] key, string appId)
    {
        if (random16.Length != 16) throw new ArgumentException("The random prefix is 16 bytes.", nameof(random16));
        var msg = Encoding.UTF8.GetBytes(message);
        var app = Encoding.UTF8.GetBytes(appId);
        var length = 16 + 4 + msg.Length + app.Length;
        var pad = PadBlock - length % PadBlock;
        var full = new byte[length + pad];
        random16.CopyTo(full);
        BinaryPrimitives.WriteInt32BigEndian(full.AsSpan(16), msg.Length);
        msg.CopyTo(full, 20);
        app.CopyTo(full, 20 + msg.Length);
        full.AsSpan(length).Fill((byte)pad);
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(full, key.AsSpan(0, 16), PaddingMode.None));
    }

    /// <summary>The encrypted passive reply for a plaintext reply body.</summary>
    public EncryptedReply BuildReply(string plaintext, long timeStamp, string nonce) =>
        BuildReply(plaintext, timeStamp, nonce, RandomNumberGenerator.GetBytes(16));

    public EncryptedReply BuildReply(string plaintext, long timeStamp, string nonce, ReadOnlySpan<byte> random16)
    {
        var encrypt = Encrypt(plaintext, random16);
        var ts = timeStamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new EncryptedReply(encrypt, Signature(_token, ts, nonce, encrypt), timeStamp, nonce);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a.ToLowerInvariant()), Encoding.ASCII.GetBytes(b));
}

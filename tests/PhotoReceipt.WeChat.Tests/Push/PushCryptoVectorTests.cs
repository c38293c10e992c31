using System.Text;
using PhotoReceipt.WeChat.Push;

namespace PhotoReceipt.WeChat.Tests.Push;

/// <summary>The official vectors of wechat.md §5, verbatim.</summary>
public sealed class PushCryptoVectorTests
{
    private const string ZeroKey = WeChatTestHost.EncodingAesKey;
    private const string VectorAppId = "wxba5fad812f8e6fb9";
    private const string VectorEncrypt = "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";
    private const string VectorMessage = """{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}""";

    [Fact]
    public void Get_verification_vector_matches_and_echoes()
    {
        Assert.Equal("f464b24fc39322e44b38aa78f5edd27bd1441696", MessagePushCrypto.Signature("AAAAA", "1714036504", "1514711492"));
        var crypto = new MessagePushCrypto("AAAAA", VectorAppId, null);
        Assert.True(crypto.VerifyUrlSignature("f464b24fc39322e44b38aa78f5edd27bd1441696", "1714036504", "1514711492"));
        Assert.False(crypto.VerifyUrlSignature("f464b24fc39322e44b38aa78f5edd27bd1441697", "1714036504", "1514711492"));
        Assert.False(crypto.VerifyUrlSignature(null, "1714036504", "1514711492"));
    }

    [Fact]
    public void Plaintext_post_signature_vector_matches()
    {
        var crypto = new MessagePushCrypto("AAAAA", VectorAppId, null);
        Assert.True(crypto.VerifyUrlSignature("899cf89e464efb63f54ddac96b0a0a235f53aa78", "1714037059", "486452656"));
    }

    [Fact]
    public void Safe_mode_json_vector_verifies_and_decrypts_to_the_documented_message()
    {
        var crypto = new MessagePushCrypto("AAAAA", VectorAppId, ZeroKey);
        Assert.True(crypto.VerifyMsgSignature("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3", "1714112445", "415670741", VectorEncrypt));
        Assert.True(crypto.VerifyUrlSignature("6c5c811b55cc85e0e1b54100749188c20beb3f5d", "1714112445", "415670741"));
        Assert.True(crypto.TryDecrypt(VectorEncrypt, out var message));
        Assert.Equal(VectorMessage, message);
        Assert.Equal(167, Encoding.UTF8.GetByteCount(message));
    }

    [Fact]
    public void Safe_mode_vector_is_refused_for_another_appid()
    {
        var crypto = new MessagePushCrypto("AAAAA", "wx0000000000000000", ZeroKey);
        Assert.False(crypto.TryDecrypt(VectorEncrypt, out _));
    }

    [Fact]
    public void Reply_vector_encrypts_to_the_documented_ciphertext_and_signature()
    {
        var crypto = new MessagePushCrypto("AAAAA", VectorAppId, ZeroKey);
        var reply = crypto.BuildReply("""{"demo_resp":"good luck"}""", 1713424427, "415670741", "707722b803182950"u8);
        Assert.Equal("ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==", reply.Encrypt);
        Assert.Equal("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1", reply.MsgSignature);
        Assert.Equal(64, Convert.FromBase64String(reply.Encrypt).Length);
        var json = MessagePushHandlerCore.FormatReply(reply, PushFormat.Json);
        Assert.Equal("""{"Encrypt":"ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==","MsgSignature":"1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1","TimeStamp":1713424427,"Nonce":"415670741"}""", json);
    }

    [Fact]
    public void Messages_under_the_previous_key_still_decrypt_after_rotation()
    {
        const string oldKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
        var before = new MessagePushCrypto("AAAAA", VectorAppId, oldKey);
        var encrypted = before.Encrypt("""{"MsgType":"text","Content":"hi"}""");

        var onlyNew = new MessagePushCrypto("AAAAA", VectorAppId, ZeroKey);
        var rotated = new MessagePushCrypto("AAAAA", VectorAppId, ZeroKey, oldKey);
        Assert.False(onlyNew.TryDecrypt(encrypted, out _));
        Assert.True(rotated.TryDecrypt(encrypted, out var message));
        Assert.Equal("""{"MsgType":"text","Content":"hi"}""", message);
        // Replies always use the current key.
        Assert.True(onlyNew.TryDecrypt(rotated.Encrypt("x"), out _));
    }

    [Theory]
    [InlineData(1)]   // pad value 1
    [InlineData(13)]  // 45 bytes of message → pad 31 … covers both ends of the 1..32 range with the next case
    [InlineData(44)]  // 16+4+44+18 = 82 → pad 14
    [InlineData(30)]  // 16+4+30+18 = 68 → pad 28
    [InlineData(42)]  // 16+4+42+18 = 80 → pad 16 (a whole AES block of padding that a 16-byte unpad would mangle)
    [InlineData(58)]  // 16+4+58+18 = 96 → pad 32 (a full extra 32-byte block)
    public void Round_trips_every_padding_length(int length)
    {
        var crypto = new MessagePushCrypto("AAAAA", VectorAppId, ZeroKey);
        var message = new string('m', length);
        var cipher = Convert.FromBase64String(crypto.Encrypt(message));
        Assert.Equal(0, cipher.Length % 32);
        Assert.True(crypto.TryDecrypt(Convert.ToBase64String(cipher), out var back));
        Assert.Equal(message, back);
    }

    // The WXBizMsgCrypt sample (XML), as published with the official SDK.
    private const string SampleEncrypt = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

    [Fact]
    public void Xml_sample_vector_verifies_decrypts_and_parses_as_a_text_message()
    {
        var crypto = new MessagePushCrypto("QDG6eK", "wx5823bf96d3bd56c7", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C");
        Assert.True(crypto.VerifyMsgSignature("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", SampleEncrypt));
        Assert.True(crypto.TryDecrypt(SampleEncrypt, out var xml));

        var message = PushMessageParser.Parse(xml);
        Assert.Equal(PushFormat.Xml, message.Format);
        Assert.Equal("text", message.MsgType);
        Assert.Equal("hello", message.Content);
        Assert.Equal("mycreate", message.FromUserName);
        Assert.Equal(1409659813, message.CreateTime);
        Assert.Equal("4561255354251345929", message.MsgId);

        // Its pad byte is 30: more than AES's 16-byte block allows, which is why padding is stripped by hand.
        Assert.True(MessagePushCrypto.TryDecodeKey("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", out var key));
        using var aes = System.Security.Cryptography.Aes.Create();
        aes.Key = key;
        var raw = aes.DecryptCbc(Convert.FromBase64String(SampleEncrypt), key.AsSpan(0, 16), System.Security.Cryptography.PaddingMode.None);
        Assert.Equal(30, raw[^1]);
    }
}

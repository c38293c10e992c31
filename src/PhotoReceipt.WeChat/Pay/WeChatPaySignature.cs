namespace PhotoReceipt.WeChat.Pay;

/// <summary>The v3 signing strings. Every line ends in '\n', the last one included.</summary>
public static class WeChatPaySignature
{
    public const string Scheme = "WECHATPAY2-SHA256-RSA2048";

    /// <summary>METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n (body empty for GET).</summary>
    public static string RequestMessage(string method, string pathAndQuery, long timestamp, string nonce, string body) =>
        $"{method}\n{pathAndQuery}\n{timestamp}\n{nonce}\n{body}\n";

    /// <summary>The Authorization header value (without the scheme) for a signed request.</summary>
    public static string AuthorizationParameters(string mchId, string nonce, string signature, long timestamp, string serialNo) =>
        $"mchid=\"{mchId}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{serialNo}\"";

    /// <summary>wx.requestPayment's paySign input: appId\ntimeStamp\nnonceStr\npackage\n (signType is not signed).</summary>
    public static string PaySignMessage(string appId, string timeStamp, string nonceStr, string package) =>
        $"{appId}\n{timeStamp}\n{nonceStr}\n{package}\n";

    /// <summary>What WeChat Pay signs on notices and responses: timestamp\nnonce\nbody\n over the raw body.</summary>
    public static byte[] NoticeMessage(string timestamp, string nonce, ReadOnlySpan<byte> rawBody)
    {
        var head = System.Text.Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n");
        var message = new byte[head.Length + rawBody.Length + 1];
        head.CopyTo(message, 0);
        rawBody.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'\n';
        return message;
    }
}

using Microsoft.AspNetCore.Http;
using PhotoReceipt.Core.WeChat;

namespace PhotoReceipt.WeChat.Pay;

/// <summary>The four Wechatpay-* headers of a notice.</summary>
public sealed record PayNoticeHeaders(string? Serial, string? Signature, string? Timestamp, string? Nonce)
{
    public static PayNoticeHeaders From(IHeaderDictionary headers) => new(
        headers["Wechatpay-Serial"], headers["Wechatpay-Signature"], headers["Wechatpay-Timestamp"], headers["Wechatpay-Nonce"]);
}

public enum PayNoticeRefusal
{
    None,
    /// <summary>Sandbox mode: no merchant is configured, so no notice can be genuine.</summary>
    NotConfigured,
    MissingHeaders,
    /// <summary>Wechatpay-Serial is not our WeChat Pay public key id / platform certificate serial.</summary>
    UnknownSerial,
    /// <summary>Wechatpay-Timestamp is outside the 5-minute window.</summary>
    StaleTimestamp,
    /// <summary>Includes WeChat's deliberate bad-signature probes.</summary>
    BadSignature,
    Malformed,
    DecryptFailed,
    /// <summary>Decrypted, but for another appid or mchid.</summary>
    NotOurs,
    /// <summary>The same signed (timestamp, nonce) was already delivered: a replay.</summary>
    Replayed,
}

/// <summary>
/// A notice after verification. <see cref="Ok"/> means signature, serial, time window and decryption all held.
/// Exactly one of <see cref="Transaction"/> (TRANSACTION.*) and <see cref="Refund"/> (REFUND.*) is set when Ok.
/// </summary>
public sealed record PayNotificationResult(
    PayNoticeRefusal Refusal,
    string? NoticeId,
    string? EventType,
    PayTransaction? Transaction,
    PayRefund? Refund,
    bool Duplicate = false)
{
    public bool Ok => Refusal == PayNoticeRefusal.None;

    /// <summary>200 with no body acknowledges; anything else makes WeChat retry (15 s, 15 s, 30 s, 3 m, …).</summary>
    public int StatusCode => Ok ? StatusCodes.Status200OK
        : Refusal switch
        {
            PayNoticeRefusal.Malformed => StatusCodes.Status400BadRequest,
            PayNoticeRefusal.NotConfigured => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status401Unauthorized,
        };

    /// <summary>Empty when acknowledged; WeChat's failure shape otherwise.</summary>
    public string? ResponseBody => Ok ? null : """{"code":"FAIL","message":"失败"}""";

    internal static PayNotificationResult Refused(PayNoticeRefusal refusal, string? noticeId = null, string? eventType = null) =>
        new(refusal, noticeId, eventType, null, null);
}

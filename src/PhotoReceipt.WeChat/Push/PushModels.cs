using PhotoReceipt.Data.WeChat;
using Microsoft.AspNetCore.Http;
using PhotoReceipt.WeChat.Api;

namespace PhotoReceipt.WeChat.Push;

/// <summary>The query string WeChat puts on a push (GET verification or POST delivery).</summary>
public sealed record PushRequest(
    string? Signature,
    string? Timestamp,
    string? Nonce,
    string? EchoStr = null,
    string? EncryptType = null,
    string? MsgSignature = null,
    string? OpenId = null)
{
    public bool IsSafeMode => string.Equals(EncryptType, "aes", StringComparison.OrdinalIgnoreCase);

    public static PushRequest FromQuery(IQueryCollection query) => new(
        query["signature"], query["timestamp"], query["nonce"], query["echostr"],
        query["encrypt_type"], query["msg_signature"], query["openid"]);
}

public enum PushOutcome
{
    /// <summary>First delivery: handled, the reply is in the response.</summary>
    Accepted,
    /// <summary>A retry of a delivery already handled: answer it, do nothing else.</summary>
    Duplicate,
    /// <summary>Bad signature, wrong appid, undecryptable or malformed: nothing was handled.</summary>
    Refused,
}

/// <summary>What the endpoint writes back, verbatim.</summary>
public sealed record PushResponse(int StatusCode, string Body, string ContentType)
{
    public static PushResponse Success() => new(StatusCodes.Status200OK, "success", "text/plain; charset=utf-8");
    internal static PushResponse Refuse(int status, string reason) => new(status, reason, "text/plain; charset=utf-8");
}

/// <param name="MediaCheck">For wxa_media_check: the verdict already stored, with the photo it belongs to.</param>
public sealed record PushHandlingResult(
    PushOutcome Outcome,
    string? RefusalReason,
    PushMessage? Message,
    MediaCheckOutcome? MediaCheck,
    PushResponse Response);

/// <summary>
/// The app's handling of an accepted message. Returns the plaintext passive reply (JSON or XML in the
/// message's format), or null for none ("success"). Throwing gives the delivery back to WeChat's retry.
/// </summary>
public delegate Task<string?> PushMessageCallback(PushMessage message, MediaCheckOutcome? mediaCheck, CancellationToken cancellationToken);

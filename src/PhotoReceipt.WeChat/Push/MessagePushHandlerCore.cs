using PhotoReceipt.Data.WeChat;
using System.Globalization;
using System.Security;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PhotoReceipt.WeChat.Api;

namespace PhotoReceipt.WeChat.Push;

/// <summary>
/// Everything <c>/wechat/push</c> does short of HTTP: verify, decrypt (safe mode, both keys), parse,
/// de-duplicate, record customer-service traffic and media-check verdicts, run the app's callback, and build
/// the (encrypted when the request was) reply.
/// </summary>
public sealed class MessagePushHandlerCore(
    IOptionsMonitor<WeChatOptions> options,
    PushDedupeStore dedupe,
    ConversationLog conversation,
    MediaCheckStore mediaChecks,
    TimeProvider clock,
    ILogger<MessagePushHandlerCore> log)
{
    // PascalCase as WeChat names the fields; base64 '+' and '/' written as is rather than \u002B.
    private static readonly JsonSerializerOptions ReplyJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>False when no Token is configured: every request is a 404, and the body need not be read.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(options.CurrentValue.Token);

    /// <summary>GET: echo <c>echostr</c> verbatim when the signature matches (the console's "submit" check).</summary>
    public PushResponse VerifyEndpoint(PushRequest request)
    {
        var crypto = Crypto();
        if (crypto is null) return PushResponse.Refuse(StatusCodes.Status404NotFound, "message push is not configured");
        return crypto.VerifyUrlSignature(request.Signature, request.Timestamp, request.Nonce) && request.EchoStr is not null
            ? new PushResponse(StatusCodes.Status200OK, request.EchoStr, "text/plain; charset=utf-8")
            : PushResponse.Refuse(StatusCodes.Status401Unauthorized, "invalid signature");
    }

    /// <summary>POST: handles one delivery. <paramref name="body"/> is the raw request body as UTF-8 text.</summary>
    public async Task<PushHandlingResult> HandleAsync(PushRequest request, string body, PushMessageCallback? onMessage, CancellationToken ct)
    {
        var crypto = Crypto();
        if (crypto is null) return Refused(StatusCodes.Status404NotFound, "message push is not configured");
        // With an EncodingAESKey configured WeChat always sends encrypt_type=aes; plaintext is then a forgery
        // that chose the weaker mode (its signature does not cover the body).
        if (!request.IsSafeMode && !string.IsNullOrEmpty(options.CurrentValue.EncodingAESKey))
            return Refused(StatusCodes.Status400BadRequest, "plaintext push refused: safe mode is configured");

        string plaintext;
        if (request.IsSafeMode)
        {
            var encrypt = PushMessageParser.ReadEncrypt(body);
            if (encrypt is null) return Refused(StatusCodes.Status400BadRequest, "safe mode body without Encrypt");
            // The docs say to check msg_signature in safe mode, not the URL signature.
            if (!crypto.VerifyMsgSignature(request.MsgSignature, request.Timestamp, request.Nonce, encrypt))
                return Refused(StatusCodes.Status401Unauthorized, "invalid msg_signature");
            if (!crypto.TryDecrypt(encrypt, out plaintext))
                return Refused(StatusCodes.Status401Unauthorized, "cannot decrypt with the current or previous key, or not our appid");
        }
        else
        {
            if (!crypto.VerifyUrlSignature(request.Signature, request.Timestamp, request.Nonce))
                return Refused(StatusCodes.Status401Unauthorized, "invalid signature");
            plaintext = body;
        }

        // Signed, so the timestamp is WeChat's: refuse old deliveries, and a (timestamp, nonce) reused with another body.
        if (!long.TryParse(request.Timestamp, NumberStyles.Integer, CultureInfo.InvariantCulture, out var timestamp)
            || (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > options.CurrentValue.PushTimestampWindow)
            return Refused(StatusCodes.Status401Unauthorized, "timestamp outside the window");
        var bodyHash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body));
        if (!await dedupe.TryClaimNonceAsync(timestamp, request.Nonce ?? "", bodyHash, ct))
            return Refused(StatusCodes.Status401Unauthorized, "timestamp and nonce already used with another body");

        PushMessage message;
        try { message = PushMessageParser.Parse(plaintext); }
        catch (FormatException e) { return Refused(StatusCodes.Status400BadRequest, e.Message); }

        if (!await dedupe.TryClaimAsync(message.DedupeKey, message.MsgType, message.Event, message.FromUserName, ct))
        {
            log.LogInformation("WeChat push {DedupeKey} is a retry; already handled", message.DedupeKey);
            return new PushHandlingResult(PushOutcome.Duplicate, null, message, null, PushResponse.Success());
        }

        try
        {
            MediaCheckOutcome? verdict = null;
            if (message.MediaCheck is { } check)
            {
                verdict = await mediaChecks.CompleteAsync(check.TraceId, check.Suggest, check.Label, check.ErrCode, ct);
                if (verdict is null) log.LogWarning("wxa_media_check for unknown trace id {TraceId}", check.TraceId);
            }
            var reply = onMessage is null ? null : await onMessage(message, verdict, ct);
            // Logged after the callback, so a delivery given back to WeChat's retry is not logged twice.
            if (message.IsCustomerService && message.FromUserName is { } from)
                await conversation.AppendAsync(from, ConversationLog.Inbound, ConversationType(message), ConversationContent(message), ct);
            var response = reply is null ? PushResponse.Success() : BuildReply(crypto, request, message.Format, reply);
            return new PushHandlingResult(PushOutcome.Accepted, null, message, verdict, response);
        }
        catch
        {
            // Give the claim back so WeChat's retry (about 5 s later) is handled instead of taken for a duplicate.
            await dedupe.ReleaseAsync(message.DedupeKey, CancellationToken.None);
            throw;
        }
    }

    private PushResponse BuildReply(MessagePushCrypto crypto, PushRequest request, PushFormat format, string reply)
    {
        var contentType = format == PushFormat.Xml ? "application/xml; charset=utf-8" : "application/json; charset=utf-8";
        if (!request.IsSafeMode) return new PushResponse(StatusCodes.Status200OK, reply, contentType);
        var nonce = request.Nonce ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var r = crypto.BuildReply(reply, clock.GetUtcNow().ToUnixTimeSeconds(), nonce);
        return new PushResponse(StatusCodes.Status200OK, FormatReply(r, format), contentType);
    }

    /// <summary>The encrypted reply body in the request's format.</summary>
    public static string FormatReply(EncryptedReply r, PushFormat format) => format == PushFormat.Json
        ? JsonSerializer.Serialize(new { r.Encrypt, r.MsgSignature, r.TimeStamp, r.Nonce }, ReplyJson)
        : $"<xml><Encrypt><![CDATA[{r.Encrypt}]]></Encrypt><MsgSignature><![CDATA[{r.MsgSignature}]]></MsgSignature>"
          + $"<TimeStamp>{r.TimeStamp.ToString(CultureInfo.InvariantCulture)}</TimeStamp><Nonce><![CDATA[{SecurityElement.Escape(r.Nonce)}]]></Nonce></xml>";

    /// <summary>The passive reply that hands the conversation to the web customer-service tool (30-minute session).</summary>
    public static string TransferToCustomerService(PushMessage message, long now) => message.Format == PushFormat.Json
        ? JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["ToUserName"] = message.FromUserName, ["FromUserName"] = message.ToUserName,
            ["CreateTime"] = now, ["MsgType"] = "transfer_customer_service",
        }, ReplyJson)
        : $"<xml><ToUserName><![CDATA[{message.FromUserName}]]></ToUserName><FromUserName><![CDATA[{message.ToUserName}]]></FromUserName>"
          + $"<CreateTime>{now.ToString(CultureInfo.InvariantCulture)}</CreateTime><MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>";

    private MessagePushCrypto? Crypto()
    {
        var o = options.CurrentValue;
        return string.IsNullOrEmpty(o.Token) ? null : new MessagePushCrypto(o.Token, o.AppId ?? "", o.EncodingAESKey, o.PreviousEncodingAESKey);
    }

    private PushHandlingResult Refused(int status, string reason)
    {
        // WeChat Pay-style bad-signature probes exist here too; refusing is normal, so this is not an error.
        log.LogInformation("WeChat push refused: {Reason}", reason);
        return new PushHandlingResult(PushOutcome.Refused, reason, null, null, PushResponse.Refuse(status, reason));
    }

    private static string ConversationType(PushMessage m) => m.MsgType == "event" ? m.Event ?? "event" : m.MsgType;

    private static string? ConversationContent(PushMessage m) => m.MsgType switch
    {
        "text" => m.Content,
        "image" => m.Field("PicUrl"),
        "miniprogrampage" => $"{m.Field("Title")} → {m.Field("PagePath")}",
        _ => m.SessionFrom,
    };
}

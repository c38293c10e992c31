using PhotoReceipt.Data.WeChat;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PhotoReceipt.WeChat.Pay;

/// <summary>
/// Everything <c>/wechat/pay/notify</c> does short of HTTP and of changing the order: verify and decrypt, refuse
/// replays, recognise re-deliveries of a notice already applied, and run the app's <c>apply</c> for new ones.
/// A notice is marked processed only after <c>apply</c> returned, so a failed apply is retried by WeChat.
/// <c>apply</c> must itself be idempotent (lock the order row, change it only if not yet PAID) because two
/// deliveries of one notice can race.
/// </summary>
public sealed class PayNotificationHandler(PayNotificationVerifier verifier, PayNoticeStore store, ILogger<PayNotificationHandler> log)
{
    /// <summary>False in sandbox mode: notices are refused with 404 and need not be read.</summary>
    public bool IsConfigured => verifier.IsConfigured;

    public Task<PayNotificationResult> HandleAsync(IHeaderDictionary headers, byte[] rawBody,
        Func<PayNotificationResult, CancellationToken, Task> apply, CancellationToken ct) =>
        HandleAsync(PayNoticeHeaders.From(headers), rawBody, apply, ct);

    public async Task<PayNotificationResult> HandleAsync(PayNoticeHeaders headers, byte[] rawBody,
        Func<PayNotificationResult, CancellationToken, Task> apply, CancellationToken ct)
    {
        var result = verifier.VerifyAndDecrypt(headers, rawBody);
        if (!result.Ok)
        {
            // WeChat sends deliberate bad-signature probes; refusing them is the expected behaviour.
            log.LogInformation("WeChat Pay notice {NoticeId} refused: {Refusal}", result.NoticeId, result.Refusal);
            return result;
        }
        var timestamp = long.Parse(headers.Timestamp!, CultureInfo.InvariantCulture);
        if (!await store.TryClaimNonceAsync(timestamp, headers.Nonce!, ct))
        {
            log.LogWarning("WeChat Pay notice {NoticeId} replayed (same timestamp and nonce)", result.NoticeId);
            return PayNotificationResult.Refused(PayNoticeRefusal.Replayed, result.NoticeId, result.EventType);
        }
        if (result.NoticeId is { } id && await store.IsProcessedAsync(id, ct))
        {
            log.LogInformation("WeChat Pay notice {NoticeId} already applied", id);
            return result with { Duplicate = true };
        }
        try
        {
            await apply(result, ct);
        }
        catch
        {
            // Not applied: let an identical re-delivery through instead of refusing it as a replay.
            await store.ReleaseNonceAsync(timestamp, headers.Nonce!, CancellationToken.None);
            throw;
        }
        if (result.NoticeId is { } processed)
            await store.MarkProcessedAsync(processed, result.EventType ?? "", ct);
        return result;
    }
}

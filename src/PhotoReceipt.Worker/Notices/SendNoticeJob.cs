using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Core.Telemetry;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Notices;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Core.Notices;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Worker.Notices;

/// <summary>
/// Sends one notice, at most once. The notice is marked 'sending' (and the user's grant taken) in a
/// committed transaction before WeChat is called, and 'sent' after. A run that finds the notice still
/// 'sending' knows an earlier run stopped in between — WeChat may or may not have delivered — and parks
/// it as 'uncertain' for support rather than risk a second copy: WeChat's send has no idempotency key to
/// ask with, and a missing notice can be resent from the console while a duplicate cannot be taken back.
/// </summary>
/// <remarks>
/// Outcomes: 43101 → no_grant (not retried; the grant is gone at WeChat); -1 (busy), 45009 (rate limit)
/// and a connection that could not be opened → back to pending and the job retries with backoff, keeping
/// the grant it took; a request that went out unanswered (timeout, 5xx) → uncertain, like a crash; any
/// other error → failed, grant given back (WeChat spends a grant only on a delivered message).
/// </remarks>
public sealed class SendNoticeJob(NoticeStore notices, OrderStore orders, PhotoStore photos, ReviewStore reviews, ProductCatalog catalog,
    IWeChatApi wechat, IOptions<NoticeOptions> options, TimeProvider clock, ILogger<SendNoticeJob> logger) : IJobHandler
{
    public string Kind => JobKinds.SendNotice.Name;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var outboxId = job.PayloadAs(JobKinds.SendNotice).OutboxId;
        var notice = await notices.FindAsync(outboxId, cancellationToken)
            ?? throw new InvalidOperationException($"Notice {outboxId} was not dispatched.");
        if (notice.State is not (NoticeStates.Pending or NoticeStates.Sending)) return;

        var template = options.Value.TemplateFor(notice.Kind);
        var (message, problem) = await ComposeAsync(notice, template, cancellationToken);
        if (message is null)
        {
            if (await notices.MarkFailedAsync(outboxId, NoticeStates.Pending, null, problem, cancellationToken))
            {
                Count(notice, "not_composed");
                logger.LogWarning("Notice {OutboxId} ({Kind}) cannot be composed: {Problem}", outboxId, notice.Kind, problem);
                return;
            }
        }

        var start = await notices.BeginSendAsync(outboxId, JsonSerializer.Serialize(message?.Data, Json), cancellationToken);
        switch (start)
        {
            case SendStart.NoGrant:
                Count(notice, "no_grant");
                logger.LogInformation("Notice {OutboxId} ({Kind}) not sent: the user has no grant for {TemplateId}", outboxId, notice.Kind, notice.TemplateId);
                return;
            case SendStart.Uncertain:
                Count(notice, "uncertain");
                logger.LogError("Notice {OutboxId} ({Kind}) was left 'sending' by an interrupted run: possibly delivered, not resent; support must check",
                    outboxId, notice.Kind);
                return;
            case SendStart.Finished:
                return;
        }
        if (message is null) throw new InvalidOperationException($"Notice {outboxId} moved to sending without a message.");

        WeChatResult<WeChatAck> result;
        try
        {
            result = await wechat.SendSubscribeMessageAsync(message, cancellationToken);
        }
        catch (WeChatTransportException e) when (NeverReachedWeChat(e))
        {
            // Nothing left this machine: safe to retry with backoff; the grant taken stays with the notice.
            await notices.ReleaseForRetryAsync(outboxId, -1, e.Message, CancellationToken.None);
            Count(notice, "retry");
            throw;
        }
        catch (WeChatTransportException e)
        {
            // The request went out and no answer came back (timeout, 5xx, connection lost mid-exchange):
            // WeChat may have delivered it, exactly like a worker that stopped before marking. Not resent.
            await notices.MarkUncertainAsync(outboxId, "发送无应答，可能已送达（未自动重发）：" + e.Message, CancellationToken.None);
            Count(notice, "uncertain");
            logger.LogError(e, "Notice {OutboxId} ({Kind}) got no answer from WeChat: possibly delivered, not resent; support must check",
                outboxId, notice.Kind);
            return;
        }

        if (result.Ok)
        {
            Count(notice, "sent");
            if (!await notices.MarkSentAsync(outboxId, CancellationToken.None))
                logger.LogError("Notice {OutboxId} was sent but was no longer 'sending' when marked", outboxId);
            return;
        }
        var errmsg = $"{result.ErrMsg} (rid {result.Rid})";
        switch (result.ErrCode)
        {
            case 43101:
                await notices.MarkRefusedGrantAsync(outboxId, result.ErrCode, errmsg, CancellationToken.None);
                Count(notice, "no_grant");
                logger.LogInformation("Notice {OutboxId}: WeChat says the user has no grant (43101)", outboxId);
                return;
            case -1 or 45009:
                await notices.ReleaseForRetryAsync(outboxId, result.ErrCode, errmsg, CancellationToken.None);
                Count(notice, "retry");
                throw new InvalidOperationException($"WeChat did not send notice {outboxId} for now: {result.ErrCode} {errmsg}");
            default:
                await notices.MarkFailedAsync(outboxId, NoticeStates.Sending, result.ErrCode, errmsg, CancellationToken.None);
                Count(notice, "failed");
                logger.LogError("Notice {OutboxId} refused by WeChat: {ErrCode} {ErrMsg}", outboxId, result.ErrCode, errmsg);
                return;
        }
    }

    private static void Count(NoticeRow notice, string outcome) =>
        PhotoReceiptTelemetry.Notices.Add(1, new KeyValuePair<string, object?>("notice.kind", notice.Kind),
            new KeyValuePair<string, object?>("notice.outcome", outcome));

    /// <summary>True when the connection to WeChat could not even be opened, so the request cannot have arrived.</summary>
    public static bool NeverReachedWeChat(WeChatTransportException e) =>
        e.InnerException is HttpRequestException
        {
            HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.ProxyTunnelError
                or HttpRequestError.SecureConnectionError,
        };

    private async Task<(SubscribeMessage? Message, string Problem)> ComposeAsync(NoticeRow notice, NoticeTemplate template, CancellationToken ct)
    {
        if (notice.OrderId is not { } orderId || await orders.FindAsync(orderId, ct) is not { } order) return (null, "订单已不存在");
        if (notice.OpenId is null) return (null, "用户已不存在");
        using var payload = JsonDocument.Parse(notice.Payload);
        var root = payload.RootElement;

        string? reasons = null;
        if (notice.Kind == NoticeKinds.Rejected && root.TryGetProperty("reasonCodes", out var codes) && codes.ValueKind == JsonValueKind.Array)
        {
            var report = await photos.FindReportAsync(order.PhotoId, ct);
            reasons = NoticeComposer.ReasonsText(codes.EnumerateArray().Select(c => ReviewReasons.Message(c.GetString() ?? "", report)).ToList());
        }
        var imageNumber = root.TryGetProperty("imageNumber", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : order.ImageNumber;
        DateOnly? validUntil = root.TryGetProperty("validUntil", out var v) && v.ValueKind == JsonValueKind.String
            && DateOnly.TryParse(v.GetString()![..Math.Min(10, v.GetString()!.Length)], System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
        // A decision notice tells when the review decided (a resend too); a reminder tells when it is sent.
        var decided = notice.Kind is NoticeKinds.Approved or NoticeKinds.Rejected ? await reviews.LatestDecisionAsync(orderId, ct) : null;
        var at = decided is null ? clock.GetUtcNow() : new DateTimeOffset(DateTime.SpecifyKind(decided.DecidedAt, DateTimeKind.Utc));

        var facts = new NoticeFacts(order.OrderNo, catalog.FindProduct(order.ProductId)?.Name, imageNumber, reasons, at, validUntil);
        var data = NoticeComposer.Compose(template, notice.Kind, facts);
        if (data.FirstOrDefault(kv => kv.Value.Length == 0) is { Key: { } missing })
            return (null, $"通知缺少 {missing} 的内容");
        return (new SubscribeMessage(notice.OpenId, notice.TemplateId, data, NoticeComposer.Page(orderId)), "");
    }
}

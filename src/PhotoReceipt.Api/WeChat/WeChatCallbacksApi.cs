using System.Text;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.WeChat.Pay;
using PhotoReceipt.WeChat.Push;
using PhotoReceipt.Data.Orders;

namespace PhotoReceipt.Api.WeChat;

/// <summary>
/// What WeChat calls us at: message push (GET verification and POSTed messages/events) and WeChat
/// Pay notices. Both are verified inside the WeChat library before anything here runs.
/// </summary>
public static class WeChatCallbacksApi
{
    /// <summary>Pushes are a message or an event, a few KB; 256 KB is far beyond any WeChat sends.</summary>
    public const int MaxPushBytes = 256 * 1024;
    /// <summary>A pay or refund notice is about 1 KB.</summary>
    public const int MaxPayNoticeBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapWeChatCallbacks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/wechat").WithTags("WeChat callbacks").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/push", VerifyPush).WithName("VerifyPush");
        group.MapPost("/push", PushAsync).WithName("Push").DisableAntiforgery().WithBodyLimit(MaxPushBytes)
            .WithFeatureGate(http => http.RequestServices.GetRequiredService<MessagePushHandlerCore>().IsConfigured, "未启用微信消息推送");
        group.MapPost("/pay/notify", PayNotifyAsync).WithName("PayNotify").DisableAntiforgery().WithBodyLimit(MaxPayNoticeBytes)
            .WithFeatureGate(http => http.RequestServices.GetRequiredService<PayNotificationHandler>().IsConfigured, "未启用微信支付");
        return app;
    }

    internal static IResult VerifyPush(HttpRequest request, MessagePushHandlerCore push)
    {
        var r = push.VerifyEndpoint(PushRequest.FromQuery(request.Query));
        return Results.Text(r.Body, r.ContentType, statusCode: r.StatusCode);
    }

    internal static async Task<IResult> PushAsync(HttpRequest request, MessagePushHandlerCore push, JobQueue jobs, TimeProvider clock,
        ILogger<PushMessage> logger, CancellationToken ct)
    {
        var raw = await BoundedBody.ReadAsync(request, MaxPushBytes, ct);
        if (raw is null) return BodyLimits.TooLarge(request.HttpContext, MaxPushBytes);
        var body = Encoding.UTF8.GetString(raw);
        var result = await push.HandleAsync(PushRequest.FromQuery(request.Query), body, async (message, mediaCheck, ct) =>
        {
            if (mediaCheck is not null)
                logger.LogInformation("Image check of photo {PhotoId}: {Suggest} (label {Label}, errcode {ErrCode})",
                    mediaCheck.PhotoId, mediaCheck.Suggest, mediaCheck.Label, mediaCheck.ErrCode);
            if (!message.IsCustomerService || message.FromUserName is not { } openId) return null;
            if (message.MsgType == "text" && WantsHuman(message.Content))
                return MessagePushHandlerCore.TransferToCustomerService(message, clock.GetUtcNow().ToUnixTimeSeconds());
            if (message.MsgType == "text" || message.Event == "user_enter_tempsession")
                await jobs.EnqueueAsync(JobKinds.CustomerServiceReply, new CustomerServicePayload(openId, message.SessionFrom), ct: ct);
            return null;
        }, ct);
        return Results.Text(result.Response.Body, result.Response.ContentType, statusCode: result.Response.StatusCode);
    }

    internal static bool WantsHuman(string? text) =>
        text is not null && (text.Contains("人工", StringComparison.Ordinal) || text.Contains("客服", StringComparison.Ordinal));

    internal static async Task<IResult> PayNotifyAsync(HttpRequest request, PayNotificationHandler notices, OrderLifecycle lifecycle,
        ILogger<PayNotificationResult> logger, CancellationToken ct)
    {
        // The signature covers the raw bytes: read them as they came, never a re-serialized body.
        var raw = await BoundedBody.ReadAsync(request, MaxPayNoticeBytes, ct);
        if (raw is null) return BodyLimits.TooLarge(request.HttpContext, MaxPayNoticeBytes);
        var result = await notices.HandleAsync(request.Headers, raw, async (notice, ct) =>
        {
            if (notice.Transaction is { } transaction)
            {
                var outcome = await lifecycle.PayAsync(transaction, ct);
                // A wrong amount is not retried into success: refuse loudly, keep the order unpaid.
                if (outcome == PaymentOutcome.AmountMismatch)
                    throw new InvalidOperationException($"amount mismatch for {transaction.OutTradeNo}");
            }
            else if (notice.Refund is { } refund)
            {
                await lifecycle.RecordRefundAsync(refund.OutRefundNo, refund.Status, ct);
            }
        }, ct);
        if (!result.Ok) logger.LogWarning("WeChat Pay notice refused: {Refusal} (id {NoticeId})", result.Refusal, result.NoticeId);
        return result.ResponseBody is null
            ? Results.Ok()
            : Results.Text(result.ResponseBody, "application/json", statusCode: result.StatusCode);
    }
}

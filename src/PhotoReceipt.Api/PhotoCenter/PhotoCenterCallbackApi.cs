using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Review;

namespace PhotoReceipt.Api.PhotoCenter;

/// <summary>The external center's decision for one attempt (docs/photo-center-http.md).</summary>
public sealed record CenterCallback(string? DecisionId, Guid? OrderId, int? Attempt, string? Decision, string? ImageNumber,
    IReadOnlyList<string>? ReasonCodes, string? Note);

/// <summary>
/// POST /photo-center/callback: an external center delivers a decision. It is signed like our
/// requests (HMAC-SHA256 over timestamp + "\n" + body), must be within the replay window, and each
/// decision id is accepted once. Accepting only queues the decision; the order.decide job applies it.
/// </summary>
public static class PhotoCenterCallbackApi
{
    /// <summary>A decision is a few hundred bytes; 64 KB leaves room for long notes and never for a memory lever.</summary>
    public const int MaxBodyBytes = 64 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapPhotoCenterCallback(this IEndpointRouteBuilder app)
    {
        app.MapPost("/photo-center/callback", CallbackAsync).WithName("PhotoCenterCallback")
            .WithSummary("A signed decision from the external photo center").WithTags("PhotoCenter").AllowAnonymous()
            .WithBodyLimit(MaxBodyBytes, "回调内容过大（不能超过 64 KB）")
            .WithFeatureGate(http => http.RequestServices.GetRequiredService<IOptions<PhotoCenterOptions>>().Value.Mode == PhotoCenterOptions.HttpMode,
                "未启用外部照片审核中心");
        return app;
    }

    internal static async Task<Results<Accepted, BadRequestProblem, UnauthorizedProblem, NotFoundProblem, ConflictProblem, TooLargeProblem>> CallbackAsync(
        HttpRequest request, IOptions<PhotoCenterOptions> options, ReviewStore reviews, TimeProvider clock, CancellationToken ct)
    {
        var o = options.Value;
        if (o.Mode != PhotoCenterOptions.HttpMode)
            return new NotFoundProblem("找不到", "未启用外部照片审核中心");
        var body = await BoundedBody.ReadAsync(request, MaxBodyBytes, ct);
        if (body is null) return new TooLargeProblem("请求太大", "回调内容过大");

        var verdict = CenterSignature.Verify(o.Http.SecretBytes(), request.Headers[CenterSignature.TimestampHeader],
            request.Headers[CenterSignature.SignatureHeader], body, clock.GetUtcNow(), TimeSpan.FromSeconds(o.Http.ReplayWindowSeconds));
        switch (verdict)
        {
            case CenterSignature.Outcome.Missing:
                return new UnauthorizedProblem("签名无效", "缺少签名或时间戳");
            case CenterSignature.Outcome.Stale:
                return new UnauthorizedProblem("请求已过期", "时间戳超出允许范围，请同步时钟后重新签名发送");
            case CenterSignature.Outcome.Forged:
                return new UnauthorizedProblem("签名无效", "签名校验失败");
        }

        CenterCallback? callback;
        try
        {
            callback = JsonSerializer.Deserialize<CenterCallback>(body, Json);
        }
        catch (JsonException)
        {
            return new BadRequestProblem("请求有误", "回调内容不是有效的 JSON");
        }
        if (Invalid(callback) is { } reason) return new BadRequestProblem("请求有误", reason);
        var c = callback!;
        var submission = await reviews.LatestSubmissionAsync(c.OrderId!.Value, ct);
        if (submission is null || submission.Center != Centers.Http)
            return new NotFoundProblem("找不到", "没有这个订单的提交记录");

        // An image number that is already another order's can never be applied: say so to the center now
        // (instead of 202 and a job that fails until it is dead), and put it in front of support.
        if (c.Decision == "approved" && c.ImageNumber is { } number && await reviews.ImageNumberTakenAsync(number, c.OrderId.Value, ct))
        {
            await reviews.RecordImageNumberConflictAsync(c.OrderId.Value, c.Attempt!.Value, number, $"decision {c.DecisionId}", ct);
            return new ConflictProblem("图像号冲突", "imageNumber 已被另一订单使用，请核实后用新的 decisionId 重新发送");
        }
        var decision = c.Decision == "approved"
            ? CenterDecision.Approve(c.OrderId.Value, c.Attempt!.Value, "center", c.ImageNumber)
            : CenterDecision.Reject(c.OrderId.Value, c.Attempt!.Value, "center", c.ReasonCodes!, c.Note);
        if (!await reviews.AcceptCallbackAsync(c.DecisionId!, decision, ct))
            return new ConflictProblem("重复的回调", "这个审核结果已经收到过，不会重复处理");
        return TypedResults.Accepted((string?)null);
    }

    private static string? Invalid(CenterCallback? c)
    {
        if (c is null) return "回调内容为空";
        if (string.IsNullOrWhiteSpace(c.DecisionId) || c.DecisionId.Length > 100) return "decisionId 缺失或过长";
        if (c.OrderId is null || c.Attempt is null or < 1) return "orderId 或 attempt 缺失";
        if (c.Decision is not ("approved" or "rejected")) return "decision 只能是 approved 或 rejected";
        if (c.Decision == "approved" && c.ImageNumber is { Length: 0 or > 64 }) return "imageNumber 长度不正确";
        if (c.Decision == "rejected" && (c.ReasonCodes is null || c.ReasonCodes.Count == 0 || c.ReasonCodes.Any(r => r is null or { Length: 0 or > 64 })))
            return "未通过时必须给出 reasonCodes";
        if (c.Note is { Length: > 500 }) return "note 过长";
        return null;
    }
}

using Microsoft.Extensions.Options;
using PhotoReceipt.Api.Files;
using PhotoReceipt.Data.Blobs;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Data.Staff;
using PhotoReceipt.Api.Console.Pages;
using static PhotoReceipt.Api.Console.ConsolePage;

namespace PhotoReceipt.Api.Console;

/// <summary>
/// The review desk: the queue (oldest first), one order with its three images and the check report,
/// and the decision. Opening an order claims it; deciding claims again (compare-and-set) and then
/// moves the order (compare-and-set), so of two reviewers exactly one decides.
/// </summary>
internal static class ReviewPages
{
    /// <summary>What the review handlers use, bound with [AsParameters].</summary>
    internal sealed record ReviewServices(OrderStore Orders, ReviewStore Reviews, PhotoStore Photos, OrderLifecycle Lifecycle, AuditLog Audit,
        ProductCatalog Catalog, FileUrls Urls, IOptions<PhotoCenterOptions> Options);

    public static async Task<IResult> QueueAsync(HttpContext http, ReviewStore reviews, ProductCatalog catalog, string? done, CancellationToken ct)
    {
        var items = await reviews.QueueAsync(100, ct);
        return Render<ReviewQueuePage>(http, $"审核队列（{items.Count}）", new { Done = done, Items = items, Catalog = catalog });
    }

    public static async Task<IResult> OrderAsync(Guid orderId, HttpContext http, [AsParameters] ReviewServices s, CancellationToken ct)
    {
        var order = await s.Orders.FindAsync(orderId, ct);
        if (order is null) return Message(http, 404, "找不到订单", "没有这个订单。", "/console/review", "返回审核队列");
        var submission = await s.Reviews.LatestSubmissionAsync(orderId, ct);
        if (order.Status != OrderStatus.Submitted || submission is null || submission.Center != Centers.ReviewDesk)
            return Message(http, 409, "无需审核", $"该订单已处理或不在审核队列中（当前状态：{OrderStatus.Label(order.Status)}）。", "/console/review", "返回审核队列");
        var holder = await s.Reviews.TryClaimAsync(orderId, http.User.StaffId(), TimeSpan.FromMinutes(s.Options.Value.ClaimLeaseMinutes), ct);
        if (holder is not null)
            return Message(http, 409, "正在审核", $"该订单正由 {holder} 审核。", "/console/review", "返回审核队列");

        var photo = await s.Photos.FindAsync(submission.PhotoId, ct);
        var report = photo?.Report is null ? null : CheckReportJson.Deserialize(photo.Report);
        var product = s.Catalog.FindProduct(order.ProductId);
        var spec = product is null ? null : s.Catalog.SpecOf(product);
        ReviewOrderPage.Photo[] figures =
        [
            new("原始照片", Url(s.Urls, photo?.SourceKey, "original")),
            new("标准照", Url(s.Urls, photo?.ResultKey, "standard.jpg")),
            // The preview has the spec's pixel size: a whole-number zoom to about 880 px high.
            new("审核预览（参考线）", Url(s.Urls, photo?.PreviewKey, "review.png"),
                spec?.WidthPx ?? 0, spec?.HeightPx ?? 0, spec is null ? 1 : Math.Max(1, (int)Math.Round(880.0 / spec.HeightPx))),
        ];
        return Render<ReviewOrderPage>(http, "审核订单", new
        {
            Order = order,
            ProductName = product?.Name ?? order.ProductId,
            submission.Attempt,
            Photos = figures,
            Report = report,
            Allowed = ReviewReasons.Allowed(report),
            Failing = (IReadOnlySet<string>)(report?.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id).ToHashSet() ?? []),
            Action = $"/console/review/{orderId}/decide",
        });
    }

    public static async Task<IResult> DecideAsync(Guid orderId, HttpContext http, [AsParameters] ReviewServices s, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var back = $"/console/review/{orderId}";
        var approve = form["decision"] == "approve";
        if (!approve && form["decision"] != "reject" || !int.TryParse(form["attempt"], out var attempt))
            return Message(http, 400, "请求有误", "缺少审核结论。", back, "返回");
        var codes = form["codes"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).Distinct().ToList();
        var note = form["note"].ToString().Trim();
        if (note.Length > 200) return Message(http, 400, "请求有误", "备注最多 200 字。", back, "返回");

        var order = await s.Orders.FindAsync(orderId, ct);
        if (order is null) return Message(http, 404, "找不到订单", "没有这个订单。", "/console/review", "返回审核队列");
        // Orders with an external center (or the simulator) are decided there, never here.
        var submission = await s.Reviews.LatestSubmissionAsync(orderId, ct);
        if (submission is null || submission.Center != Centers.ReviewDesk)
            return Message(http, 409, "无需审核", "该订单不在审核队列中。", "/console/review", "返回审核队列");
        if (!approve)
        {
            var allowed = ReviewReasons.Allowed(await s.Photos.FindReportAsync(submission.PhotoId, ct));
            if (codes.Count == 0) return Message(http, 400, "请选择原因", "不通过时至少选择一个原因。", back, "返回");
            if (codes.Any(c => !allowed.Contains(c))) return Message(http, 400, "请求有误", "原因代码不正确。", back, "返回");
        }

        var staffId = http.User.StaffId();
        var name = http.User.StaffName();
        var decision = approve
            ? CenterDecision.Approve(orderId, attempt, $"staff:{name}")
            : CenterDecision.Reject(orderId, attempt, $"staff:{name}", codes, note.Length == 0 ? null : note);
        var outcome = await s.Lifecycle.DecideAsync(decision, staffId, ct);
        if (outcome == DecisionOutcome.ClaimedByOther)
            return Message(http, 409, "正在审核", "该订单正由其他审核员审核，不能重复处理。", "/console/review", "返回审核队列");
        if (outcome != DecisionOutcome.Applied)
            return Message(http, 409, "已被处理", "该订单已被处理（其他审核员已作出结论，或照片已更换），本次操作未生效。", "/console/review", "返回审核队列");
        await s.Audit.WriteAsync(staffId, name, approve ? "approve" : "reject", $"order:{orderId}", null, ct);
        return new SeeOther($"/console/review?done={Uri.EscapeDataString(order.OrderNo)}");
    }

    private static string? Url(FileUrls urls, string? key, string name) =>
        key is null ? null : urls.Create(key, name);
}

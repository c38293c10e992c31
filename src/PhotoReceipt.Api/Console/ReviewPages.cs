using System.Text;
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
using static PhotoReceipt.Api.Console.ConsoleHtml;

namespace PhotoReceipt.Api.Console;

/// <summary>
/// The review desk: the queue (oldest first), one order with its three images and the check report,
/// and the decision. Opening an order claims it; deciding claims again (compare-and-set) and then
/// moves the order (compare-and-set), so of two reviewers exactly one decides.
/// </summary>
internal static class ReviewPages
{
    public static async Task<IResult> QueueAsync(HttpContext http, ReviewStore reviews, ProductCatalog catalog, string? done, CancellationToken ct)
    {
        var items = await reviews.QueueAsync(100, ct);
        var body = new StringBuilder();
        if (!string.IsNullOrEmpty(done)) body.Append($"""<p class="notice">订单 {E(done)} 已处理。</p>""");
        if (items.Count == 0) body.Append("<p>审核队列为空。</p>");
        else
        {
            body.Append("<table><thead><tr><th>提交时间</th><th>订单号</th><th>产品</th><th>第几次提交</th><th>审核中</th><th></th></tr></thead><tbody>");
            foreach (var i in items)
                body.Append($"""<tr><td>{E(i.SubmittedAt)}</td><td>{E(i.OrderNo)}</td><td>{E(catalog.FindProduct(i.ProductId)?.Name ?? i.ProductId)}</td><td>{i.Attempt}</td><td>{E(i.ClaimedBy ?? "")}</td><td><a href="/console/review/{i.OrderId}">审核</a></td></tr>""");
            body.Append("</tbody></table>");
        }
        return Page(http, $"审核队列（{items.Count}）", body.ToString());
    }

    public static async Task<IResult> OrderAsync(Guid orderId, HttpContext http, OrderStore orders, ReviewStore reviews, PhotoStore photos,
        ProductCatalog catalog, FileUrls urls, IOptions<PhotoCenterOptions> options, CancellationToken ct)
    {
        var order = await orders.FindAsync(orderId, ct);
        if (order is null) return Message(http, 404, "找不到订单", "没有这个订单。", "/console/review", "返回审核队列");
        var submission = await reviews.LatestSubmissionAsync(orderId, ct);
        if (order.Status != OrderStatus.Submitted || submission is null || submission.Center != Centers.ReviewDesk)
            return Message(http, 409, "无需审核", $"该订单已处理或不在审核队列中（当前状态：{OrderStatus.Label(order.Status)}）。", "/console/review", "返回审核队列");
        var holder = await reviews.TryClaimAsync(orderId, http.User.StaffId(), TimeSpan.FromMinutes(options.Value.ClaimLeaseMinutes), ct);
        if (holder is not null)
            return Message(http, 409, "正在审核", $"该订单正由 {holder} 审核。", "/console/review", "返回审核队列");

        var photo = await photos.FindAsync(submission.PhotoId, ct);
        var report = photo?.Report is null ? null : CheckReportJson.Deserialize(photo.Report);
        var product = catalog.FindProduct(order.ProductId);
        var body = new StringBuilder();
        body.Append($"""<p>订单号 {E(order.OrderNo)} · {E(product?.Name ?? order.ProductId)} · 第 {submission.Attempt} 次提交 · 申请人 {E(order.ApplicantNameMasked)}</p>""");
        body.Append("""<div class="photos">""");
        body.Append(Figure(http, urls, photo?.SourceKey, "原始照片", "original"));
        body.Append(Figure(http, urls, photo?.ResultKey, "标准照", "standard.jpg"));
        body.Append(Figure(http, urls, photo?.PreviewKey, "审核预览（参考线）", "review.png"));
        body.Append("</div>");
        body.Append(ReportTable(report));

        var allowed = ReviewReasons.Allowed(report);
        var failing = report?.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id).ToHashSet() ?? [];
        var reasons = new StringBuilder();
        foreach (var code in allowed)
            reasons.Append($"""<label><input type="checkbox" name="codes" value="{E(code)}"{(failing.Contains(code) ? " checked" : "")}> {E(code)}：{E(ReviewReasons.Message(code, report))}</label><br>""");
        var action = $"/console/review/{orderId}/decide";
        var hidden = $"""<input type="hidden" name="attempt" value="{submission.Attempt}">""";
        body.Append("<h3>通过</h3>");
        body.Append(Form(http, action, $"""{hidden}<input type="hidden" name="decision" value="approve"><button type="submit">审核通过</button>"""));
        body.Append("<h3>不通过</h3>");
        body.Append(Form(http, action, $"""
            {hidden}<input type="hidden" name="decision" value="reject">
            <p>{reasons}</p>
            <p><label>备注（用户可见）<br><textarea name="note" maxlength="200" rows="3" cols="60"></textarea></label></p>
            <button type="submit">审核不通过</button>
            """));
        return Page(http, "审核订单", body.ToString());
    }

    public static async Task<IResult> DecideAsync(Guid orderId, HttpContext http, OrderStore orders, ReviewStore reviews, PhotoStore photos,
        OrderLifecycle lifecycle, AuditLog audit, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var back = $"/console/review/{orderId}";
        var approve = form["decision"] == "approve";
        if (!approve && form["decision"] != "reject" || !int.TryParse(form["attempt"], out var attempt))
            return Message(http, 400, "请求有误", "缺少审核结论。", back, "返回");
        var codes = form["codes"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).Distinct().ToList();
        var note = form["note"].ToString().Trim();
        if (note.Length > 200) return Message(http, 400, "请求有误", "备注最多 200 字。", back, "返回");

        var order = await orders.FindAsync(orderId, ct);
        if (order is null) return Message(http, 404, "找不到订单", "没有这个订单。", "/console/review", "返回审核队列");
        // Orders with an external center (or the simulator) are decided there, never here.
        var submission = await reviews.LatestSubmissionAsync(orderId, ct);
        if (submission is null || submission.Center != Centers.ReviewDesk)
            return Message(http, 409, "无需审核", "该订单不在审核队列中。", "/console/review", "返回审核队列");
        if (!approve)
        {
            var allowed = ReviewReasons.Allowed(await photos.FindReportAsync(submission.PhotoId, ct));
            if (codes.Count == 0) return Message(http, 400, "请选择原因", "不通过时至少选择一个原因。", back, "返回");
            if (codes.Any(c => !allowed.Contains(c))) return Message(http, 400, "请求有误", "原因代码不正确。", back, "返回");
        }

        var staffId = http.User.StaffId();
        var name = http.User.StaffName();
        var decision = approve
            ? CenterDecision.Approve(orderId, attempt, $"staff:{name}")
            : CenterDecision.Reject(orderId, attempt, $"staff:{name}", codes, note.Length == 0 ? null : note);
        var outcome = await lifecycle.DecideAsync(decision, staffId, ct);
        if (outcome == DecisionOutcome.ClaimedByOther)
            return Message(http, 409, "正在审核", "该订单正由其他审核员审核，不能重复处理。", "/console/review", "返回审核队列");
        if (outcome != DecisionOutcome.Applied)
            return Message(http, 409, "已被处理", "该订单已被处理（其他审核员已作出结论，或照片已更换），本次操作未生效。", "/console/review", "返回审核队列");
        await audit.WriteAsync(staffId, name, approve ? "approve" : "reject", $"order:{orderId}", null, ct);
        return new SeeOther($"/console/review?done={Uri.EscapeDataString(order.OrderNo)}");
    }

    private static string Figure(HttpContext http, FileUrls urls, string? key, string caption, string name) =>
        key is null
            ? $"""<figure><figcaption>{E(caption)}：无</figcaption></figure>"""
            : $"""<figure><img src="{E(urls.Create(http.Request, key, name))}" alt="{E(caption)}"><figcaption>{E(caption)}</figcaption></figure>""";

    internal static string ReportTable(CheckReport? report)
    {
        if (report is null) return "<p>没有检测报告。</p>";
        var sb = new StringBuilder($"<h3>检测报告（{(report.Usable ? "可用" : "不可用")}）</h3><table><thead><tr><th>项目</th><th>结果</th><th>测量值</th><th>允许范围</th><th>说明</th></tr></thead><tbody>");
        foreach (var c in report.Checks)
        {
            var css = c.Status.ToString().ToLowerInvariant();
            sb.Append($"""<tr><td>{E(c.Id)}</td><td class="{css}">{E(css)}</td><td>{E(c.Measured)}</td><td>{E(c.Allowed)}</td><td>{E(c.Message)}</td></tr>""");
        }
        return sb.Append("</tbody></table>").ToString();
    }
}

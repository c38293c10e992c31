using PhotoReceipt.Data.WeChat;
using PhotoReceipt.WeChat.Sandbox;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Identity;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Data.Notices;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Data.Staff;
using PhotoReceipt.WeChat;
using PhotoReceipt.Api.Console.Pages;
using static PhotoReceipt.Api.Console.ConsolePage;

namespace PhotoReceipt.Api.Console;

/// <summary>
/// The support desk: find orders by order number, image number, phone, ID number or openid, see an
/// order with its timeline, jobs and notices, and act on it. Personal data is matched by keyed hash
/// and only ever shown masked; every look-up and every action writes an audit row.
/// </summary>
internal static class SupportPages
{
    /// <summary>What the support order page reads, bound with [AsParameters].</summary>
    internal sealed record SupportOrderSources(OrderStore Orders, SupportStore Support, ReviewStore Reviews, NoticeStore Notices, AuditLog Audit,
        ProductCatalog Catalog, ConversationLog Conversations, SandboxPayments Payments);

    public static async Task<IResult> SearchFormAsync(HttpContext http, SupportStore support, CancellationToken ct)
    {
        var alerts = await support.OpenAlertsAsync(50, ct);
        return Render<SupportSearchPage>(http, "客服查询", new { Alerts = alerts });
    }

    // POST, not GET: an ID number or a phone number must not end up in a URL, a proxy log or the browser history.
    public static async Task<IResult> LookupAsync(HttpContext http, SupportStore support, PiiProtector pii, AuditLog audit, ProductCatalog catalog,
        CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var kind = form["kind"].ToString();
        var query = form["q"].ToString().Trim();
        if (!LookupKinds.All.Contains(kind) || query.Length is 0 or > 64)
            return Render<SupportSearchPage>(http, "客服查询", new { Error = "请选择查询方式并输入查询内容。" }, 400);

        var (text, hash) = kind switch
        {
            LookupKinds.IdNumber => ((string?)null, pii.LookupHash("id", ChineseIdNumber.Normalize(query))),
            LookupKinds.Phone => (null, pii.LookupHash("phone", MainlandMobile.Normalize(query))),
            LookupKinds.OrderNo or LookupKinds.ImageNumber => (query.ToUpperInvariant(), (byte[]?)null),
            _ => (query, null),
        };
        var found = await support.FindOrdersAsync(kind, text, hash, ct);
        await audit.WriteAsync(http.User.StaffId(), http.User.StaffName(), "lookup",
            found.Count == 0 ? null : string.Join(',', found.Take(20).Select(o => o.OrderNo)), kind, ct);

        return Render<SupportSearchPage>(http, "客服查询", new { Found = found, Catalog = catalog });
    }

    public static async Task<IResult> OrderAsync(Guid orderId, HttpContext http, [AsParameters] SupportOrderSources s, string? done, CancellationToken ct)
    {
        var order = await s.Orders.FindAsync(orderId, ct);
        if (order is null) return Message(http, 404, "找不到订单", "没有这个订单。", "/console/support", "返回查询");
        await s.Audit.WriteAsync(http.User.StaffId(), http.User.StaffName(), "view_order", $"order:{orderId}", null, ct);
        var timeline = await s.Orders.TimelineAsync(orderId, ct);
        var jobs = await s.Support.JobsAsync(orderId, order.PhotoId, ct);
        var outbox = await s.Notices.ForOrderAsync(orderId, ct);
        var decision = await s.Reviews.LatestDecisionAsync(orderId, ct);
        var openId = await s.Support.OpenIdOfAsync(order.UserId, ct);

        // What the user wrote from the 客服 button and what we answered (newest first).
        var conversation = openId is null ? null : await s.Conversations.ListAsync(openId, 30, ct);
        return Render<SupportOrderPage>(http, $"订单 {order.OrderNo}", new
        {
            Done = done,
            Order = order,
            Catalog = s.Catalog,
            OpenId = openId,
            Decision = decision,
            Timeline = timeline,
            Jobs = jobs,
            Notices = outbox,
            Conversation = conversation,
            CanMarkPaid = order.Status == OrderStatus.AwaitingPayment && s.Payments.Enabled,
        });
    }

    public static async Task<IResult> CancelAsync(Guid orderId, HttpContext http, OrderLifecycle lifecycle, CancellationToken ct)
    {
        var moved = await lifecycle.CancelAsync(orderId, http.User.Staff(), ct);
        return moved is null
            ? Message(http, 409, "无法取消", "订单状态已变化或已提交审核，不能取消。", $"/console/support/orders/{orderId}", "返回订单")
            : new SeeOther($"/console/support/orders/{orderId}?done={Uri.EscapeDataString("订单已取消")}");
    }

    public static async Task<IResult> ResendAsync(Guid orderId, HttpContext http, SupportStore support, CancellationToken ct) =>
        await support.ResendNoticeAsync(orderId, http.User.StaffId(), http.User.StaffName(), ct)
            ? new SeeOther($"/console/support/orders/{orderId}?done={Uri.EscapeDataString("通知已重新排队发送")}")
            : Message(http, 409, "无法重发", "只有已通过或未通过审核的订单可以重发通知。", $"/console/support/orders/{orderId}", "返回订单");

    public static async Task<IResult> RequeueAsync(Guid orderId, long jobId, HttpContext http, OrderStore orders, OrderLifecycle lifecycle, CancellationToken ct)
    {
        var order = await orders.FindAsync(orderId, ct);
        if (order is null) return Message(http, 404, "找不到订单", "没有这个订单。", "/console/support", "返回查询");
        return await lifecycle.RequeueDeadJobAsync(orderId, order.PhotoId, jobId, http.User.Staff(), ct)
            ? new SeeOther($"/console/support/orders/{orderId}?done={Uri.EscapeDataString("任务已重新排队")}")
            : Message(http, 409, "无法重新执行", "这个任务不是失败状态，或不属于这个订单。", $"/console/support/orders/{orderId}", "返回订单");
    }

}

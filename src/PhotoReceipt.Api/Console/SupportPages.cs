using PhotoReceipt.WeChat.Sandbox;
using PhotoReceipt.Data.WeChat;
using PhotoReceipt.WeChat.Api;
using System.Text;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Identity;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Data.Notices;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Data.Staff;
using PhotoReceipt.WeChat;
using static PhotoReceipt.Api.Console.ConsoleHtml;

namespace PhotoReceipt.Api.Console;

/// <summary>
/// The support desk: find orders by order number, image number, phone, ID number or openid, see an
/// order with its timeline, jobs and notices, and act on it. Personal data is matched by keyed hash
/// and only ever shown masked; every look-up and every action writes an audit row.
/// </summary>
internal static class SupportPages
{
    private static readonly (string Kind, string Label)[] Kinds =
    [
        (LookupKinds.OrderNo, "订单号"), (LookupKinds.ImageNumber, "图像号"), (LookupKinds.Phone, "手机号"),
        (LookupKinds.IdNumber, "身份证号"), (LookupKinds.OpenId, "openid"),
    ];

    public static async Task<IResult> SearchFormAsync(HttpContext http, SupportStore support, CancellationToken ct)
    {
        var body = new StringBuilder(SearchFormHtml(http, null));
        // What needs a person: e.g. a photo-center approval whose image number another order holds.
        var alerts = await support.OpenAlertsAsync(50, ct);
        if (alerts.Count > 0)
        {
            body.Append($"""<h3>待处理提醒（{alerts.Count}）</h3><table><thead><tr><th>时间</th><th>订单</th><th>内容</th></tr></thead><tbody>""");
            foreach (var a in alerts)
            {
                var order = a.OrderId is { } id ? $"""<a href="/console/support/orders/{id}">{E(a.OrderNo)}</a>""" : "";
                body.Append($"""<tr><td>{E(a.CreatedAt)}</td><td>{order}</td><td class="alert">{E(a.Message)}</td></tr>""");
            }
            body.Append("</tbody></table>");
        }
        return Page(http, "客服查询", body.ToString());
    }

    // POST, not GET: an ID number or a phone number must not end up in a URL, a proxy log or the browser history.
    public static async Task<IResult> LookupAsync(HttpContext http, SupportStore support, PiiProtector pii, AuditLog audit, ProductCatalog catalog,
        CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var kind = form["kind"].ToString();
        var query = form["q"].ToString().Trim();
        if (!LookupKinds.All.Contains(kind) || query.Length is 0 or > 64)
            return Page(http, "客服查询", SearchFormHtml(http, "请选择查询方式并输入查询内容。"), 400);

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

        var body = new StringBuilder(SearchFormHtml(http, null));
        body.Append($"<h3>查询结果（{found.Count}）</h3>");
        if (found.Count == 0) body.Append("<p>没有找到订单。</p>");
        else
        {
            body.Append("<table><thead><tr><th>订单号</th><th>状态</th><th>产品</th><th>姓名</th><th>身份证</th><th>手机</th><th>图像号</th><th>下单时间</th></tr></thead><tbody>");
            foreach (var o in found)
                body.Append($"""<tr><td><a href="/console/support/orders/{o.Id}">{E(o.OrderNo)}</a></td><td>{E(OrderStatus.Label(o.Status))}</td><td>{E(catalog.FindProduct(o.ProductId)?.Name ?? o.ProductId)}</td><td>{E(o.ApplicantNameMasked)}</td><td>{E(o.ApplicantIdMasked)}</td><td>{E(o.ApplicantPhoneMasked)}</td><td>{E(o.ImageNumber)}</td><td>{E(o.CreatedAt)}</td></tr>""");
            body.Append("</tbody></table>");
        }
        return Page(http, "客服查询", body.ToString());
    }

    public static async Task<IResult> OrderAsync(Guid orderId, HttpContext http, OrderStore orders, SupportStore support, ReviewStore reviews,
        NoticeStore notices, AuditLog audit, ProductCatalog catalog, ConversationLog conversations, SandboxPayments payments, string? done,
        CancellationToken ct)
    {
        var order = await orders.FindAsync(orderId, ct);
        if (order is null) return Message(http, 404, "找不到订单", "没有这个订单。", "/console/support", "返回查询");
        await audit.WriteAsync(http.User.StaffId(), http.User.StaffName(), "view_order", $"order:{orderId}", null, ct);
        var timeline = await orders.TimelineAsync(orderId, ct);
        var jobs = await support.JobsAsync(orderId, order.PhotoId, ct);
        var outbox = await notices.ForOrderAsync(orderId, ct);
        var decision = await reviews.LatestDecisionAsync(orderId, ct);
        var openId = await support.OpenIdOfAsync(order.UserId, ct);

        var b = new StringBuilder();
        if (!string.IsNullOrEmpty(done)) b.Append($"""<p class="notice">{E(done)}</p>""");
        b.Append("<table><tbody>");
        Row(b, "订单号", order.OrderNo);
        Row(b, "状态", OrderStatus.Label(order.Status));
        Row(b, "产品", catalog.FindProduct(order.ProductId)?.Name ?? order.ProductId);
        Row(b, "金额", (order.PriceFen / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " 元");
        Row(b, "姓名", order.ApplicantNameMasked);
        Row(b, "身份证", order.ApplicantIdMasked);
        Row(b, "手机", order.ApplicantPhoneMasked);
        Row(b, "openid", openId is { Length: > 8 } ? openId[..4] + "…" + openId[^4..] : openId);
        Row(b, "图像号", order.ImageNumber);
        Row(b, "下单时间", Time(order.CreatedAt));
        if (decision is not null)
            Row(b, "最近审核", $"第 {decision.Attempt} 次：{(decision.Decision == OrderStatus.Approved ? "通过" : "不通过")}（{decision.DecidedBy}）"
                + (decision.ReasonCodes.Length > 0 ? " 原因：" + string.Join(", ", decision.ReasonCodes) : "") + (decision.Note is null ? "" : " 备注：" + decision.Note));
        b.Append("</tbody></table>");

        b.Append("<h3>时间线</h3><table><thead><tr><th>时间</th><th>变化</th><th>操作者</th><th>说明</th></tr></thead><tbody>");
        foreach (var e in timeline)
            b.Append($"<tr><td>{E(e.CreatedAt)}</td><td>{E(e.FromStatus is null ? "" : OrderStatus.Label(e.FromStatus) + " → ")}{E(OrderStatus.Label(e.ToStatus))}</td><td>{E(e.Actor)}</td><td>{E(e.Note)}</td></tr>");
        b.Append("</tbody></table>");

        b.Append("<h3>任务</h3><table><thead><tr><th>#</th><th>类型</th><th>状态</th><th>次数</th><th>最后错误</th><th></th></tr></thead><tbody>");
        foreach (var j in jobs)
        {
            var requeue = j.Status == "dead"
                ? Form(http, $"/console/support/orders/{orderId}/jobs/{j.Id}/requeue", """<button type="submit">重新执行</button>""", "inline") : "";
            b.Append($"<tr><td>{j.Id}</td><td>{E(j.Kind)}</td><td>{E(j.Status)}</td><td>{j.Attempts}/{j.MaxAttempts}</td><td>{E(j.LastError)}</td><td>{requeue}</td></tr>");
        }
        b.Append("</tbody></table>");

        b.Append(NoticePages.OrderNoticesTable(outbox));

        // What the user wrote from the 客服 button and what we answered (newest first).
        if (openId is not null)
        {
            var conversation = await conversations.ListAsync(openId, 30, ct);
            b.Append("<h3>客服对话</h3>");
            if (conversation.Count == 0) b.Append("<p>没有客服消息。</p>");
            else
            {
                b.Append("<table><thead><tr><th>时间</th><th>方向</th><th>类型</th><th>内容</th></tr></thead><tbody>");
                foreach (var m in conversation)
                    b.Append($"<tr><td>{E(m.CreatedAt)}</td><td>{(m.Direction == ConversationLog.Inbound ? "用户" : "我们")}</td><td>{E(m.MsgType)}</td><td>{E(m.Content)}</td></tr>");
                b.Append("</tbody></table>");
            }
        }

        b.Append("<h3>操作</h3>");
        var markPaid = order.Status == OrderStatus.AwaitingPayment && payments.Enabled;
        if (markPaid)
            b.Append(Form(http, $"/console/support/orders/{orderId}/mark-paid", """<button type="submit">标记为已支付（沙箱）</button>"""));
        if (!markPaid && !OrderStatus.Cancellable.Contains(order.Status) && order.Status is not (OrderStatus.Approved or OrderStatus.Rejected))
            b.Append("<p>当前状态没有可用操作（失败的任务可在上方重新执行）。</p>");
        if (OrderStatus.Cancellable.Contains(order.Status))
            b.Append(Form(http, $"/console/support/orders/{orderId}/cancel", """<button type="submit">取消订单</button>"""));
        if (order.Status is OrderStatus.Approved or OrderStatus.Rejected)
            b.Append(Form(http, $"/console/support/orders/{orderId}/resend", """<button type="submit">重发通知</button>"""));
        return Page(http, $"订单 {order.OrderNo}", b.ToString());
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

    private static string SearchFormHtml(HttpContext http, string? error)
    {
        var options = string.Concat(Kinds.Select(k => $"""<option value="{E(k.Kind)}">{E(k.Label)}</option>"""));
        return (error is null ? "" : $"""<p class="notice">{E(error)}</p>""") + Form(http, "/console/support/lookup",
            $"""<select name="kind">{options}</select> <input name="q" maxlength="64" required autocomplete="off"> <button type="submit">查询</button>""");
    }

    private static void Row(StringBuilder b, string label, string? value) => b.Append($"<tr><th>{E(label)}</th><td>{E(value)}</td></tr>");
}

using PhotoReceipt.Core.Notices;
using PhotoReceipt.Data.WeChat;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Notices;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Staff;
using PhotoReceipt.WeChat;
using PhotoReceipt.WeChat.Sandbox;
using static PhotoReceipt.Api.Console.ConsoleHtml;

namespace PhotoReceipt.Api.Console;

/// <summary>
/// Support's view of service notices (the outbox with each notice's outcome and, in sandbox mode, the
/// subscribe messages recorded instead of sent, keyword by keyword) and the sandbox payment switch.
/// </summary>
internal static class NoticePages
{
    public static async Task<IResult> OutboxAsync(HttpContext http, NoticeStore notices, SandboxMessageStore sandbox, IOptions<WeChatOptions> wechat,
        CancellationToken ct)
    {
        var b = new StringBuilder();
        if (wechat.Value.IsSandbox)
        {
            var recorded = (await sandbox.ListAsync(null, 100, ct)).Where(m => m.Kind == SandboxMessageStore.Subscribe).ToList();
            b.Append($"<h3>沙箱：应发出的服务通知（{recorded.Count}）</h3><p>沙箱模式不连接微信，以下是用户本应收到的订阅消息。</p>");
            b.Append("<table><thead><tr><th>#</th><th>时间</th><th>用户</th><th>模板</th><th>页面</th><th>内容</th></tr></thead><tbody>");
            foreach (var m in recorded)
            {
                var (page, values) = Keywords(m.Payload);
                b.Append($"<tr><td>{m.Id}</td><td>{E(m.CreatedAt)}</td><td>{E(MaskOpenId(m.ToOpenId))}</td><td>{E(m.TemplateId)}</td><td>{E(page)}</td><td>{values}</td></tr>");
            }
            b.Append("</tbody></table>");
        }
        var rows = await notices.RecentAsync(100, ct);
        b.Append("<h3>通知发件箱（最近 100 条）</h3><table><thead><tr><th>#</th><th>类型</th><th>订单</th><th>内容</th><th>写入时间</th><th>状态</th><th>模板</th><th>发送时间</th><th>说明</th></tr></thead><tbody>");
        foreach (var n in rows)
        {
            var order = n.OrderId is { } id ? $"""<a href="/console/support/orders/{id}">{E(n.OrderNo)}</a>""" : "";
            b.Append($"<tr><td>{n.OutboxId}</td><td>{Kind(n.Kind)}</td><td>{order}</td><td><code>{E(n.Payload)}</code></td><td>{E(n.CreatedAt)}</td><td class=\"{StateCss(n.State)}\">{E(StateLabel(n.State))}</td><td>{E(n.TemplateId)}</td><td>{(n.SentAt is { } at ? E(at) : "")}</td><td>{E(Detail(n))}</td></tr>");
        }
        b.Append("</tbody></table>");
        return Page(http, "通知发件箱", b.ToString());
    }

    /// <summary>The order's notices for its support page.</summary>
    public static string OrderNoticesTable(IReadOnlyList<NoticeListRow> rows)
    {
        var b = new StringBuilder("<h3>通知</h3><table><thead><tr><th>#</th><th>类型</th><th>写入时间</th><th>状态</th><th>发送时间</th><th>说明</th></tr></thead><tbody>");
        foreach (var n in rows)
            b.Append($"<tr><td>{n.OutboxId}</td><td>{Kind(n.Kind)}</td><td>{E(n.CreatedAt)}</td><td class=\"{StateCss(n.State)}\">{E(StateLabel(n.State))}</td><td>{(n.SentAt is { } at ? E(at) : "")}</td><td>{E(Detail(n))}</td></tr>");
        return b.Append("</tbody></table>").ToString();
    }

    /// <summary>Sandbox payments only (no merchant or no app configured): what the payment simulator does, from the console.</summary>
    public static async Task<IResult> MarkPaidAsync(Guid orderId, HttpContext http, OrderStore orders, SupportStore support, SandboxPayments sandbox,
        OrderLifecycle lifecycle, AuditLog audit, CancellationToken ct)
    {
        var back = $"/console/support/orders/{orderId}";
        if (!sandbox.Enabled) return Message(http, 404, "不可用", "只有沙箱模式可以手动标记支付。", back, "返回订单");
        var order = await orders.FindAsync(orderId, ct);
        if (order is null) return Message(http, 404, "找不到订单", "没有这个订单。", "/console/support", "返回查询");
        if (order.Status != OrderStatus.AwaitingPayment)
            return Message(http, 409, "无需支付", $"订单当前状态为{OrderStatus.Label(order.Status)}，无需支付。", back, "返回订单");
        var openId = await support.OpenIdOfAsync(order.UserId, ct);
        var outcome = await lifecycle.PayAsync(sandbox.Paid(order.OrderNo, order.PriceFen, openId), ct);
        await audit.WriteAsync(http.User.StaffId(), http.User.StaffName(), "sandbox_mark_paid", $"order:{orderId}", null, ct);
        return outcome is PaymentOutcome.Applied or PaymentOutcome.AlreadyApplied
            ? new SeeOther($"{back}?done={Uri.EscapeDataString("已标记为已支付（沙箱）")}")
            : Message(http, 409, "未能标记支付", $"订单状态已变化，未标记支付（{outcome}）。", back, "返回订单");
    }

    private static (string? Page, string Html) Keywords(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        var page = root.TryGetProperty("page", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var sb = new StringBuilder();
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            // jsonb keeps its own key order; the card shows keywords by their index.
            foreach (var k in data.EnumerateObject().OrderBy(k => int.TryParse(k.Name.AsSpan(k.Name.TrimEnd("0123456789".ToCharArray()).Length), out var i) ? i : 0))
            {
                // The sandbox records plain values; the wire format wraps each in {"value": …}.
                var value = k.Value.ValueKind == JsonValueKind.Object && k.Value.TryGetProperty("value", out var inner) ? inner.GetString() : k.Value.GetString();
                sb.Append($"""<div><code>{E(k.Name)}</code>：{E(value)}</div>""");
            }
        return (page, sb.ToString());
    }

    private static string MaskOpenId(string openId) => openId.Length > 8 ? openId[..4] + "…" + openId[^4..] : openId;

    private static string Detail(NoticeListRow n) =>
        n.Errcode is null or 0 ? n.Errmsg ?? "" : $"{n.Errcode} {n.Errmsg}";

    /// <summary>The kind in words, with its code on hover (what support quotes to engineers).</summary>
    private static string Kind(string kind) => $"""<span title="{E(kind)}">{E(KindLabel(kind))}</span>""";

    public static string KindLabel(string kind) => kind switch
    {
        NoticeKinds.Approved => "审核通过",
        NoticeKinds.Rejected => "审核未通过",
        NoticeKinds.Expiring => "回执即将到期",
        _ => kind,
    };

    public static string StateLabel(string? state) => state switch
    {
        null => "待分派",
        NoticeStates.Pending => "待发送",
        NoticeStates.Sending => "发送中",
        NoticeStates.Sent => "已发送",
        NoticeStates.NoGrant => "无订阅授权，未发送",
        NoticeStates.Failed => "发送失败",
        NoticeStates.Uncertain => "发送中断，可能已送达（需核实）",
        _ => state,
    };

    private static string StateCss(string? state) => state switch
    {
        NoticeStates.Sent => "pass",
        NoticeStates.NoGrant or NoticeStates.Pending or null => "warn",
        _ => "fail",
    };
}

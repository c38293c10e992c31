using System.Text.Json;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Notices;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Staff;
using PhotoReceipt.WeChat;
using PhotoReceipt.WeChat.Sandbox;
using PhotoReceipt.Core.Notices;
using PhotoReceipt.Data.WeChat;
using PhotoReceipt.Api.Console.Pages;
using static PhotoReceipt.Api.Console.ConsolePage;

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
        List<OutboxPage.RecordedNotice>? recorded = null;
        if (wechat.Value.IsSandbox)
        {
            recorded = [.. (await sandbox.ListAsync(null, 100, ct)).Where(m => m.Kind == SandboxMessageStore.Subscribe).Select(m =>
            {
                var (page, keywords) = Keywords(m.Payload);
                return new OutboxPage.RecordedNotice(m.Id, m.CreatedAt, m.ToOpenId, m.TemplateId, page, keywords);
            })];
        }
        var rows = await notices.RecentAsync(100, ct);
        return Render<OutboxPage>(http, "通知发件箱", new { Recorded = recorded, Rows = rows });
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

    private static (string? Page, List<(string Name, string? Value)> Keywords) Keywords(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        var page = root.TryGetProperty("page", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var keywords = new List<(string, string?)>();
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            // jsonb keeps its own key order; the card shows keywords by their index.
            foreach (var k in data.EnumerateObject().OrderBy(k => int.TryParse(k.Name.AsSpan(k.Name.TrimEnd("0123456789".ToCharArray()).Length), out var i) ? i : 0))
            {
                // The sandbox records plain values; the wire format wraps each in {"value": …}.
                var value = k.Value.ValueKind == JsonValueKind.Object && k.Value.TryGetProperty("value", out var inner) ? inner.GetString() : k.Value.GetString();
                keywords.Add((k.Name, value));
            }
        return (page, keywords);
    }
}

/// <summary>Notice kinds and states in the words support reads.</summary>
internal static class NoticeLabels
{
    public static string Detail(NoticeListRow n) =>
        n.Errcode is null or 0 ? n.Errmsg ?? "" : $"{n.Errcode} {n.Errmsg}";

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

    public static string StateCss(string? state) => state switch
    {
        NoticeStates.Sent => "pass",
        NoticeStates.NoGrant or NoticeStates.Pending or null => "warn",
        _ => "fail",
    };
}

using System.Globalization;
using System.Text.Json;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Http;

namespace PhotoReceipt.WeChat.Pay;

/// <summary>Reads WeChat Pay's transaction and refund objects (query answers and decrypted notices alike).</summary>
internal static class PayJson
{
    public static PayTransaction ReadTransaction(JsonElement t) => new(
        AppId: Text(t, "appid") ?? "",
        MchId: Text(t, "mchid") ?? "",
        OutTradeNo: Text(t, "out_trade_no") ?? "",
        TransactionId: Text(t, "transaction_id"),
        TradeState: Text(t, "trade_state") ?? "",
        TradeStateDesc: Text(t, "trade_state_desc"),
        TotalFen: Int(t, "amount", "total"),
        PayerTotalFen: Int(t, "amount", "payer_total"),
        Currency: Nested(t, "amount", "currency"),
        PayerOpenId: Nested(t, "payer", "openid"),
        SuccessTime: Time(Text(t, "success_time")),
        Attach: Text(t, "attach"));

    /// <summary>A refund from the refund API or a refund notice (which names the state refund_status).</summary>
    public static PayRefund ReadRefund(JsonElement r) => new(
        OutRefundNo: Text(r, "out_refund_no") ?? "",
        RefundId: Text(r, "refund_id"),
        OutTradeNo: Text(r, "out_trade_no"),
        TransactionId: Text(r, "transaction_id"),
        Status: Text(r, "status") ?? Text(r, "refund_status") ?? "",
        RefundFen: Int(r, "amount", "refund"),
        TotalFen: Int(r, "amount", "total"),
        UserReceivedAccount: Text(r, "user_received_account"),
        SuccessTime: Time(Text(r, "success_time")));

    public static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? WeChatJson.ReadText(v) : null;

    private static string? Nested(JsonElement e, string outer, string inner) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(outer, out var o) ? Text(o, inner) : null;

    private static int? Int(JsonElement e, string outer, string inner) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(outer, out var o) && o.ValueKind == JsonValueKind.Object
        && o.TryGetProperty(inner, out var v) ? WeChatJson.ReadInt(v) : null;

    private static DateTimeOffset? Time(string? rfc3339) =>
        DateTimeOffset.TryParse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
}

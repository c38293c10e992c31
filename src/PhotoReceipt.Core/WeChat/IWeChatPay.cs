namespace PhotoReceipt.Core.WeChat;

/// <summary>WeChat Pay v3 as orders need it.</summary>
public interface IWeChatPay
{
    /// <summary>
    /// Places a JSAPI order and returns the parameters the mini-program passes to wx.requestPayment.
    /// Calling again with the same out_trade_no must not create a second charge.
    /// </summary>
    Task<WeChatResult<PaymentParameters>> CreateJsapiPaymentAsync(PaymentRequest request, CancellationToken cancellationToken);

    /// <summary>Queries an order by our out_trade_no (for when no notice ever arrived).</summary>
    Task<WeChatResult<PayTransaction>> QueryOrderAsync(string outTradeNo, CancellationToken cancellationToken);

    /// <summary>
    /// Requests a refund. Retrying after a timeout with the same <see cref="RefundRequest.OutRefundNo"/> is
    /// safe: WeChat treats it as the same refund. Success means accepted, not completed.
    /// </summary>
    Task<WeChatResult<PayRefund>> RefundAsync(RefundRequest request, CancellationToken cancellationToken);
}

/// <param name="OutTradeNo">Our order number (6–32 chars of [0-9A-Za-z_-|*]).</param>
/// <param name="AmountFen">Total in fen.</param>
public sealed record PaymentRequest(string OutTradeNo, string Description, int AmountFen, string PayerOpenId, DateTimeOffset ExpiresAt);

/// <summary>wx.requestPayment's arguments, camelCase on the wire as the mini-program expects.</summary>
public sealed record PaymentParameters(string TimeStamp, string NonceStr, string Package, string SignType, string PaySign, bool Sandbox);

/// <summary>A WeChat Pay transaction as the order query and the payment notice describe it.</summary>
/// <param name="TradeState">SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR.</param>
public sealed record PayTransaction(
    string AppId,
    string MchId,
    string OutTradeNo,
    string? TransactionId,
    string TradeState,
    string? TradeStateDesc,
    int? TotalFen,
    int? PayerTotalFen,
    string? Currency,
    string? PayerOpenId,
    DateTimeOffset? SuccessTime,
    string? Attach);

/// <param name="OutRefundNo">Ours, unique per refund; reuse it on every retry of the same refund.</param>
public sealed record RefundRequest(string OutTradeNo, string OutRefundNo, int RefundFen, int TotalFen, string? Reason);

/// <param name="Status">SUCCESS | CLOSED | PROCESSING | ABNORMAL.</param>
public sealed record PayRefund(
    string OutRefundNo,
    string? RefundId,
    string? OutTradeNo,
    string? TransactionId,
    string Status,
    int? RefundFen,
    int? TotalFen,
    string? UserReceivedAccount,
    DateTimeOffset? SuccessTime);

namespace PhotoReceipt.Core.WeChat;

/// <summary>WeChat Pay v3 as orders need it.</summary>
public interface IWeChatPay
{
    /// <summary>
    /// Places a JSAPI order and returns the parameters the mini-program passes to wx.requestPayment.
    /// Calling again with the same out_trade_no must not create a second charge.
    /// </summary>
    Task<WeChatResult<PaymentParameters>> CreateJsapiPaymentAsync(PaymentRequest request, CancellationToken cancellationToken);
}

/// <param name="OutTradeNo">Our order number (6–32 chars of [0-9A-Za-z_-|*]).</param>
/// <param name="AmountFen">Total in fen.</param>
public sealed record PaymentRequest(string OutTradeNo, string Description, int AmountFen, string PayerOpenId, DateTimeOffset ExpiresAt);

/// <summary>wx.requestPayment's arguments, camelCase on the wire as the mini-program expects.</summary>
public sealed record PaymentParameters(string TimeStamp, string NonceStr, string Package, string SignType, string PaySign, bool Sandbox);

using System.Globalization;
using System.Security.Cryptography;
using PhotoReceipt.Core.WeChat;

namespace PhotoReceipt.WeChat.Sandbox;

/// <summary>
/// Sandbox payments: parameters flagged <c>sandbox</c> that the mini-program must not pass to
/// wx.requestPayment; the order is marked paid from the console or the local simulator instead.
/// WeChat Pay knows nothing of sandbox orders, so a query reports NOTPAY and a refund is accepted at once.
/// </summary>
public sealed class SandboxWeChatPay(TimeProvider clock) : IWeChatPay
{
    public Task<WeChatResult<PaymentParameters>> CreateJsapiPaymentAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var parameters = new PaymentParameters(
            TimeStamp: clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            NonceStr: Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Package: "prepay_id=sandbox_" + request.OutTradeNo,
            SignType: "RSA",
            PaySign: "",
            Sandbox: true);
        return Task.FromResult(WeChatResult<PaymentParameters>.Success(parameters));
    }

    public Task<WeChatResult<PayTransaction>> QueryOrderAsync(string outTradeNo, CancellationToken cancellationToken) =>
        Task.FromResult(WeChatResult<PayTransaction>.Success(new PayTransaction(
            AppId: "sandbox", MchId: "sandbox", OutTradeNo: outTradeNo, TransactionId: null, TradeState: "NOTPAY",
            TradeStateDesc: "sandbox: payments are simulated, WeChat Pay has no such order", TotalFen: null, PayerTotalFen: null,
            Currency: "CNY", PayerOpenId: null, SuccessTime: null, Attach: null)));

    public Task<WeChatResult<PayRefund>> RefundAsync(RefundRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(WeChatResult<PayRefund>.Success(new PayRefund(
            OutRefundNo: request.OutRefundNo, RefundId: "sandbox_" + request.OutRefundNo, OutTradeNo: request.OutTradeNo,
            TransactionId: null, Status: "SUCCESS", RefundFen: request.RefundFen, TotalFen: request.TotalFen,
            UserReceivedAccount: "sandbox", SuccessTime: clock.GetUtcNow())));
}

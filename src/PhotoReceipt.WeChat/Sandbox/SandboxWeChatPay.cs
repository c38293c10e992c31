using System.Security.Cryptography;
using PhotoReceipt.Core.WeChat;

namespace PhotoReceipt.WeChat.Sandbox;

/// <summary>
/// Sandbox payments: parameters flagged <c>sandbox</c> that the mini-program must not pass to
/// wx.requestPayment; the order is marked paid from the console or the local simulator instead.
/// </summary>
public sealed class SandboxWeChatPay(TimeProvider clock) : IWeChatPay
{
    public Task<WeChatResult<PaymentParameters>> CreateJsapiPaymentAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var parameters = new PaymentParameters(
            TimeStamp: clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            NonceStr: Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Package: "prepay_id=sandbox_" + request.OutTradeNo,
            SignType: "RSA",
            PaySign: "",
            Sandbox: true);
        return Task.FromResult(WeChatResult<PaymentParameters>.Success(parameters));
    }
}

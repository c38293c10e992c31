using Microsoft.Extensions.Options;
using PhotoReceipt.Core.WeChat;

namespace PhotoReceipt.WeChat.Sandbox;

/// <summary>
/// The payment simulator of sandbox mode (the mini-program's sandbox pay and the console's "mark paid"):
/// it makes the transaction a WeChat Pay notice would carry, so the order takes exactly the paid path.
/// </summary>
public sealed class SandboxPayments(IOptions<WeChatPayOptions> payOptions, IOptions<WeChatOptions> wechatOptions, TimeProvider clock)
{
    /// <summary>True where payments are simulated: no merchant or no mini-program is configured.</summary>
    public bool Enabled => payOptions.Value.SimulatedWith(wechatOptions.Value);

    /// <summary>A successful payment of the whole price. Refused where real money moves.</summary>
    public PayTransaction Paid(string orderNo, int amountFen, string? openId)
    {
        if (!Enabled) throw new InvalidOperationException("Payments can be simulated only where no merchant or mini-program is configured.");
        return new PayTransaction(wechatOptions.Value.AppId ?? "", "sandbox", orderNo, "sandbox_" + orderNo, "SUCCESS", "支付成功",
            amountFen, amountFen, "CNY", openId, clock.GetUtcNow(), null);
    }
}

using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Data.Users;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Worker.CustomerService;

/// <summary>
/// The first answer when a user writes from the 客服 button: their latest order's status and a card
/// that opens it. It runs as a job, not inside the push callback, because WeChat gives the callback
/// five seconds and a send is a network call of its own.
/// </summary>
public sealed class CustomerServiceReplyJob(UserStore users, OrderStore orders, PhotoStore photos, IBlobStore blobs, ProductCatalog catalog,
    IWeChatApi wechat) : IJobHandler
{
    public string Kind => JobKinds.CustomerServiceReply.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var (openId, sessionFrom) = job.PayloadAs(JobKinds.CustomerServiceReply);
        var userId = await users.FindIdByOpenIdAsync(openId, cancellationToken);
        OrderRow? order = null;
        if (userId is { } uid)
        {
            if (sessionFrom?.StartsWith("order:", StringComparison.Ordinal) == true && Guid.TryParse(sessionFrom[6..], out var orderId))
                order = await orders.FindForUserAsync(orderId, uid, cancellationToken);
            order ??= await orders.LatestForUserAsync(uid, cancellationToken);
        }
        if (order is null)
        {
            await SendAsync(new CustomerServiceText(openId,
                "你好！暂时没有找到你的订单。在小程序首页选择证件类型、上传照片即可办理。需要帮助请回复“人工”。"), cancellationToken);
            return;
        }
        var product = catalog.FindProduct(order.ProductId);
        await SendAsync(new CustomerServiceText(openId,
            $"你好！你的订单 {order.OrderNo}（{product?.Name ?? order.ProductId}）当前状态：{OrderStatus.Label(order.Status)}。{Hint(order.Status)}需要人工帮助请回复“人工”。"),
            cancellationToken);

        // The card's thumbnail is the user's own standardized photo, shown only in their own chat.
        var photo = await photos.FindAsync(order.PhotoId, cancellationToken);
        if (photo?.ResultKey is null) return;
        if (await blobs.ReadAllBytesAsync(photo.ResultKey, cancellationToken) is not { } jpeg) return;
        await SendAsync(new CustomerServicePage(openId, $"查看订单 {order.OrderNo}", $"pages/order/detail?id={order.Id}", jpeg, "photo.jpg"),
            cancellationToken);
    }

    private static string Hint(string status) => status switch
    {
        OrderStatus.AwaitingPayment => "完成支付后照片会提交审核。",
        OrderStatus.Queued or OrderStatus.Submitted => "审核一般在几分钟内完成，结果会通过服务通知告诉你。",
        OrderStatus.Approved => "回执已出，可在订单页下载。",
        OrderStatus.Rejected => "可在订单页查看原因并免费重拍。",
        _ => "",
    };

    private async Task SendAsync(CustomerServiceMessage message, CancellationToken ct)
    {
        var result = await wechat.SendCustomerServiceMessageAsync(message, ct);
        // 45015: the 48-hour reply window has closed; nothing a retry can change.
        if (!result.Ok && result.ErrCode != 45015)
            throw new InvalidOperationException($"customer-service send refused: {result.ErrCode} {result.ErrMsg} (rid {result.Rid})");
    }
}

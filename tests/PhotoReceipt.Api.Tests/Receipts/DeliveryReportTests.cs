using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Api.Tests.WeChat;
using PhotoReceipt.WeChat.Tests.Fake;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Worker.Receipts;

namespace PhotoReceipt.Api.Tests.Receipts;

/// <summary>upload_shipping_info against the fake WeChat server: a paid order's delivery is reported once, after its receipt.</summary>
public sealed class DeliveryReportTests(WeChatApiFactory app) : IClassFixture<WeChatApiFactory>
{
    private const string ShippingPath = "/wxa/sec/order/upload_shipping_info";

    [Fact]
    public async Task A_paid_order_is_reported_delivered_once_after_its_receipt_and_a_busy_wechat_is_retried()
    {
        var code = "code_" + Guid.NewGuid().ToString("N")[..10];
        var openId = "o_" + Guid.NewGuid().ToString("N")[..20];
        app.Fake.IssueLoginCode(code, openId, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        var user = await app.LoginAsync(code);
        var photoId = await user.ProcessedPhotoAsync(app);
        var order = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId))).JsonAsync();
        var orderId = order.GetProperty("id").GetGuid();
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var notice = app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", app.Fake.Transaction(orderNo, "SUCCESS", 990, openId));
        Assert.Equal(HttpStatusCode.OK, (await app.PostPayNoticeAsync(notice)).StatusCode);
        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(orderId));
        var transactionId = await app.QueryScalarAsync<string>("SELECT transaction_id FROM orders WHERE id = @orderId", new { orderId });
        Assert.Empty(Reports(transactionId)); // nothing is delivered before the receipt exists

        await app.ApproveAsync(orderId);
        app.Fake.Inject(ShippingPath, new FakeFault.ErrCode(-1, "system error"));
        await app.RunJobsAsync();

        // The receipt is out; the report met a busy WeChat and waits for its retry.
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync($"/api/v1/orders/{orderId}/receipt")).StatusCode);
        Assert.Single(Reports(transactionId));
        var job = (await app.QueryAsync<(string Status, int Attempts, string LastError)>(
            "SELECT status, attempts, last_error FROM jobs WHERE kind = 'order.report_delivery' AND payload->>'orderId' = @id",
            new { id = orderId.ToString() })).Single();
        Assert.Equal(("queued", 1), (job.Status, job.Attempts));
        Assert.Contains("errcode -1", job.LastError, StringComparison.Ordinal);

        await app.QueryScalarAsync<int>("UPDATE jobs SET run_at = now() WHERE kind = 'order.report_delivery' AND payload->>'orderId' = @id RETURNING 1",
            new { id = orderId.ToString() });
        await app.RunJobsAsync();
        var reports = Reports(transactionId);
        Assert.Equal(2, reports.Count);
        var body = JsonDocument.Parse(reports[^1].Body).RootElement;
        Assert.Equal(2, body.GetProperty("order_key").GetProperty("order_number_type").GetInt32());
        Assert.Equal(transactionId, body.GetProperty("order_key").GetProperty("transaction_id").GetString());
        Assert.Equal(3, body.GetProperty("logistics_type").GetInt32());
        Assert.Equal(1, body.GetProperty("delivery_mode").GetInt32());
        Assert.Equal(openId, body.GetProperty("payer").GetProperty("openid").GetString());
        Assert.StartsWith("深圳", body.GetProperty("shipping_list")[0].GetProperty("item_desc").GetString());
        Assert.True(await app.QueryScalarAsync<bool>("SELECT delivery_reported_at IS NOT NULL FROM orders WHERE id = @orderId", new { orderId }));

        // A duplicate run (a second worker, a support requeue) finds it reported and sends nothing.
        await app.RunHandlerAsync(JobKinds.ReportDelivery.Name, new { orderId });
        Assert.Equal(2, Reports(transactionId).Count);
    }

    private List<FakeRequest> Reports(string transactionId) =>
        app.Fake.RequestsTo(ShippingPath).Where(r => r.Body.Contains(transactionId, StringComparison.Ordinal)).ToList();
}

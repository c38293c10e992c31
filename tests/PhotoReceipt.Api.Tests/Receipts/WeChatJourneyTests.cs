using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using PhotoReceipt.Api.Tests.Notices;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Receipts;
using PhotoReceipt.Testing;
using PhotoReceipt.Api.Tests.WeChat;

namespace PhotoReceipt.Api.Tests.Receipts;

/// <summary>The real photo pipeline and a real-mode WeChat client talking to the fake WeChat server.</summary>
public sealed class RealPipelineWeChatFactory : WeChatApiFactory
{
    protected override bool UseRealPipeline => true;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Append(new("Imaging:MaxParallelism", "1"));
}

/// <summary>
/// The whole journey as the mini-program, WeChat, a reviewer and the user live it: wx.login → upload a
/// fixture portrait → order → WeChat Pay notice → review in the console → service notice received by
/// (the fake) WeChat → receipt links → the PNG and PDF downloaded and checked.
/// </summary>
public sealed class WeChatJourneyTests(RealPipelineWeChatFactory app) : IClassFixture<RealPipelineWeChatFactory>
{
    private const string Product = "residence-permit-guangzhou";

    [Fact]
    public async Task From_wx_login_to_a_service_notice_and_a_downloaded_receipt()
    {
        var code = "code_" + Guid.NewGuid().ToString("N")[..10];
        var openId = "o_journey_" + Guid.NewGuid().ToString("N")[..12];
        app.Fake.IssueLoginCode(code, openId, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        var user = await app.LoginAsync(code);

        var upload = await user.UploadAsync(await File.ReadAllBytesAsync(RepoPaths.Portrait("test3.jpg")), Product);
        var photoId = (await upload.JsonAsync()).GetProperty("id").GetGuid();
        await app.RunJobsAsync();
        var photo = await (await user.GetAsync($"/api/v1/photos/{photoId}")).JsonAsync();
        Assert.True(photo.GetProperty("report").GetProperty("usable").GetBoolean(), photo.ToString());
        Assert.Contains(app.Fake.RequestsTo("/wxa/media_check_async"), r => r.Body.Contains(openId, StringComparison.Ordinal));

        var order = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, Product, name: "欧阳娜娜"))).JsonAsync();
        var orderId = order.GetProperty("id").GetGuid();
        var orderNo = order.GetProperty("orderNo").GetString()!;
        Assert.False(order.GetProperty("payment").GetProperty("sandbox").GetBoolean());
        var notice = app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", app.Fake.Transaction(orderNo, "SUCCESS", 990, openId));
        Assert.Equal(HttpStatusCode.OK, (await app.PostPayNoticeAsync(notice)).StatusCode);
        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(orderId));

        // The user accepted the approval template when paying; a reviewer approves in the console.
        await user.GrantAsync(NoticeSteps.Approved);
        await app.ApproveAsync(orderId);
        await app.DeliverNoticesAsync();
        await app.RunJobsAsync();

        var detail = await user.OrderAsync(orderId);
        Assert.Equal("approved", detail.GetProperty("status").GetString());
        var imageNumber = detail.GetProperty("imageNumber").GetString()!;
        var sent = Assert.Single(app.Fake.RequestsTo("/cgi-bin/message/subscribe/send"), r => r.Body.Contains(openId, StringComparison.Ordinal));
        using (var body = JsonDocument.Parse(sent.Body))
        {
            Assert.Equal(NoticeSteps.Approved, body.RootElement.GetProperty("template_id").GetString());
            Assert.Equal($"pages/order/detail?id={orderId}", body.RootElement.GetProperty("page").GetString());
            Assert.Contains(orderNo, sent.Body, StringComparison.Ordinal);
        }
        Assert.Equal(0, await app.RemainingAsync(orderId, NoticeSteps.Approved));

        var receipt = await (await user.GetAsync($"/api/v1/orders/{orderId}/receipt")).JsonAsync();
        Assert.Equal(imageNumber, receipt.GetProperty("imageNumber").GetString());
        var files = receipt.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("kind").GetString()!, f => f.GetProperty("url").GetString()!);
        var png = await (await app.DownloadAsync(files["receipt_png"])).Content.ReadAsByteArrayAsync();
        var jpeg = await (await app.DownloadAsync(files["photo_jpeg"])).Content.ReadAsByteArrayAsync();
        ReceiptJourneyTests.AssertPhoneImage(png, jpeg); // card size at 300 dpi, the photo in its box

        var dir = Directory.CreateTempSubdirectory("wechat-journey-");
        try
        {
            var pdfPath = Path.Combine(dir.FullName, "r.pdf");
            await File.WriteAllBytesAsync(pdfPath, await (await app.DownloadAsync(files["receipt_pdf"])).Content.ReadAsByteArrayAsync());
            var text = ReceiptSteps.Tool("pdftotext", "poppler-utils", "-layout", pdfPath, "-");
            Assert.Contains("图像号：" + imageNumber, text, StringComparison.Ordinal);
            Assert.DoesNotContain("欧阳娜娜", text, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        // A paid receipt is reported to WeChat as delivered (virtual goods), once.
        Assert.Single(app.Fake.RequestsTo("/wxa/sec/order/upload_shipping_info"), r => r.Body.Contains("4200000000" + orderNo, StringComparison.Ordinal));
    }
}

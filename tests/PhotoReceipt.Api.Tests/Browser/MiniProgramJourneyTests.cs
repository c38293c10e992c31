using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Browser;

/// <summary>
/// A user goes through the mini-program (its h5 build, on a phone-sized Chromium) from the first tap
/// to the downloaded receipt, while a reviewer decides in the staff console in a second browser
/// context. Every page is saved under .data/test-output/miniprogram for a person to look at.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class MiniProgramJourneyTests(MiniProgramApp app) : IClassFixture<MiniProgramApp>
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(3);
    private static string Portrait(string name) => RepoPaths.Portrait(name);

    [GeneratedRegex(@"pages/order/index\?id=([0-9a-f-]{36})")]
    private static partial Regex OrderUrl();

    [Fact]
    public async Task A_user_goes_from_the_first_tap_to_a_downloaded_receipt_and_print_sheet()
    {
        var reviewer = await app.AddStaffAsync("reviewer");
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.PhoneAsync();

        await UploadUsablePhotoAsync(page, screenshots: true);
        await page.GetByText("下一步：填写申请信息").ClickAsync();

        // The form: a wrong ID number first, refused on the device with the reason.
        await Expect(page.GetByText("申请人信息")).ToBeVisibleAsync();
        var good = TestIds.Valid();
        var wrong = good[..17] + (good[17] == '0' ? '1' : '0');
        await Field(page, "与身份证一致").FillAsync("张三");
        await Field(page, "18 位居民身份证号码").FillAsync(wrong);
        await Field(page, "用于接收审核通知").FillAsync("13812345678");
        await page.GetByText("提交订单").ClickAsync();
        await Expect(page.Locator("[data-error=idNumber]")).ToHaveTextAsync("身份证号码校验位不正确，请核对");
        await Expect(page.Locator("[data-error=privacy]")).ToBeVisibleAsync();
        await MiniProgramApp.ShotAsync(page, "06-form-wrong-id");
        await Field(page, "18 位居民身份证号码").FillAsync(good);
        await page.GetByText("我已阅读并同意").ClickAsync();
        await page.GetByText("提交订单").ClickAsync();

        // Confirm and pay (sandbox), then the service-notice subscription.
        await Expect(page.GetByText("确认订单")).ToBeVisibleAsync();
        await MiniProgramApp.ShotAsync(page, "07-pay");
        await page.GetByText("模拟支付（沙箱）").ClickAsync();
        await Expect(page.GetByText("支付成功")).ToBeVisibleAsync();
        await page.GetByText("订阅审核结果通知").ClickAsync();
        await Expect(page.GetByText("已订阅", new() { Exact = true })).ToBeVisibleAsync();
        await MiniProgramApp.ShotAsync(page, "08-paid-subscribed");
        await page.GetByText("查看订单").ClickAsync();
        await page.ArrivedAtAsync(OrderUrl());
        var orderId = Guid.Parse(OrderUrl().Match(page.Url).Groups[1].Value);
        Assert.Equal("2026-11", await app.QueryScalarAsync<string>("SELECT version FROM consents WHERE kind = 'privacy_policy' ORDER BY id DESC LIMIT 1"));
        Assert.True(await app.QueryScalarAsync<int>("SELECT count(*) FROM subscription_grants") > 0);

        // A reviewer approves in the console (a second browser context), once the worker submitted it.
        await WaitForStatusAsync(orderId, "submitted");
        await MiniProgramApp.ShotAsync(page, "09-order-in-review");
        await DecideInConsoleAsync(browser, reviewer, orderId, approve: true);

        // The order shows 已通过 with the receipt once the worker has issued it.
        await ReloadUntilAsync(page, "保存回执到相册");
        await Expect(page.GetByText("审核已通过", new() { Exact = true })).ToBeVisibleAsync();
        var imageNumber = await app.QueryScalarAsync<string>("SELECT image_number FROM orders WHERE id = @orderId", new { orderId });
        await Expect(page.Locator(".image-number")).ToHaveTextAsync(imageNumber);
        // The timeline tells the center's approval from the receipt issued after it.
        await Expect(page.Locator(".timeline-item", new() { HasText = "审核通过" })).ToContainTextAsync("审核机构");
        await Expect(page.Locator(".timeline-item", new() { HasText = "已出回执" })).ToContainTextAsync("照片回执已生成");
        await WaitForImagesAsync(page);
        await MiniProgramApp.ShotAsync(page, "10-order-approved");

        // Download the receipt PNG and the print sheet, and measure the sheet's copies.
        var receiptPng = await DownloadAsync(page, "保存回执到相册");
        Assert.Equal(TestPng.Signature.ToArray(), receiptPng[..8]);
        var sheet = PrintSheetMeasurement.Of(await DownloadAsync(page, "保存 6 寸冲印排版"));
        Assert.Equal((300, 1795, 1205), (sheet.Dpi, sheet.Width, sheet.Height));
        Assert.All(sheet.SpansXMm.Where(s => s > 5), s => Assert.InRange(s, 25.8, 26.2));
        Assert.All(sheet.SpansYMm.Where(s => s > 5), s => Assert.InRange(s, 31.8, 32.2));

        // The orders tab and the about / privacy page.
        await page.GotoAsync($"{app.BaseUrl}/app/#/pages/orders/index");
        await Expect(page.Locator(".order-cell").First).ToContainTextAsync("已出回执");
        await MiniProgramApp.ShotAsync(page, "11-orders");
        await page.GotoAsync($"{app.BaseUrl}/app/#/pages/about/index");
        await Expect(page.GetByText("我的授权")).ToBeVisibleAsync();
        await Expect(page.Locator(".cell", new() { HasText = "人脸照片处理规则" })).ToContainTextAsync("已同意");
        await MiniProgramApp.ShotAsync(page, "12-about");
    }

    [Fact]
    public async Task A_rejected_photo_is_retaken_for_free_and_approved_then_used_for_another_receipt()
    {
        var reviewer = await app.AddStaffAsync("reviewer");
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.PhoneAsync();

        await UploadUsablePhotoAsync(page, screenshots: false);
        await page.GetByText("下一步：填写申请信息").ClickAsync();
        await Field(page, "与身份证一致").FillAsync("王五");
        await Field(page, "18 位居民身份证号码").FillAsync(TestIds.Valid(birth: "19850612"));
        await Field(page, "用于接收审核通知").FillAsync("13912345678");
        await page.GetByText("我已阅读并同意").ClickAsync();
        await page.GetByText("提交订单").ClickAsync();
        await page.GetByText("模拟支付（沙箱）").ClickAsync();
        await Expect(page.GetByText("支付成功")).ToBeVisibleAsync();
        await page.GetByText("查看订单").ClickAsync();
        await page.ArrivedAtAsync(OrderUrl());
        var orderId = Guid.Parse(OrderUrl().Match(page.Url).Groups[1].Value);

        // Rejected with a reason: the user reads it and retakes for free.
        await WaitForStatusAsync(orderId, "submitted");
        await DecideInConsoleAsync(browser, reviewer, orderId, approve: false, reason: "expression", note: "请保持自然表情");
        await ReloadUntilAsync(page, "免费重拍");
        await Expect(page.GetByText("审核未通过", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator(".rejection-reason")).ToContainTextAsync("表情不自然");
        await Expect(page.GetByText("审核备注：请保持自然表情")).ToBeVisibleAsync();
        await MiniProgramApp.ShotAsync(page, "21-order-rejected");
        await page.GetByText("免费重拍").ClickAsync();

        // A photo the pipeline cannot use first: every reason shown, and "retake".
        await Expect(page.GetByText("免费重拍：按审核意见重新拍摄")).ToBeVisibleAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(RepoPaths.Shared("fixtures", "portraits-dev", "bad_noface_1.jpg"));
        await Expect(page.GetByText("重新拍摄", new() { Exact = true })).ToBeVisibleAsync(new() { Timeout = (float)Slow.TotalMilliseconds });
        await Expect(page.Locator("[data-status=fail]").First).ToBeVisibleAsync();
        await MiniProgramApp.ShotAsync(page, "22-result-failed");
        await page.GetByText("重新拍摄", new() { Exact = true }).ClickAsync();

        // Another photo, usable: resubmitted to the same order without paying again.
        await page.Locator("input[type=file]").SetInputFilesAsync(Portrait("test0.jpg"));
        await Expect(page.GetByText("用这张照片重新提交审核")).ToBeVisibleAsync(new() { Timeout = (float)Slow.TotalMilliseconds });
        await WaitForImagesAsync(page);
        await MiniProgramApp.ShotAsync(page, "23-retake-result");
        await page.GetByText("用这张照片重新提交审核").ClickAsync();
        await page.ArrivedAtAsync(OrderUrl());
        await WaitForStatusAsync(orderId, "submitted");
        await DecideInConsoleAsync(browser, reviewer, orderId, approve: true);
        await ReloadUntilAsync(page, "保存回执到相册");
        await Expect(page.GetByText("审核已通过", new() { Exact = true })).ToBeVisibleAsync();
        Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM orders WHERE id = @orderId AND paid_at IS NOT NULL", new { orderId }));
        await MiniProgramApp.ShotAsync(page, "24-retake-approved");

        // One photo, more documents: the approved photo standardized for an exit-entry receipt.
        await page.GetByText("用这张照片再办一个回执").ClickAsync();
        await Expect(page.GetByText("选择新的证件和城市")).ToBeVisibleAsync();
        await page.GetByText("出入境证件").ClickAsync();
        await page.Locator(".product-cell", new() { HasText = "广东港澳通行证/护照照片回执" }).ClickAsync();
        await Expect(page.Locator("#app").GetByText("检测结果")).ToBeVisibleAsync(new() { Timeout = (float)Slow.TotalMilliseconds });
        await Expect(page.Locator(".check-item").First).ToBeVisibleAsync(new() { Timeout = (float)Slow.TotalMilliseconds });
        await WaitForImagesAsync(page);
        await MiniProgramApp.ShotAsync(page, "25-derived-result");
        Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM photos WHERE derived_from IS NOT NULL AND spec_id = 'cn-exit-entry'"));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>Home → 深圳居住证 → guide → the face photo's consent → upload test3 → a usable report.</summary>
    private async Task UploadUsablePhotoAsync(IPage page, bool screenshots)
    {
        async Task Shot(string name) { if (screenshots) await MiniProgramApp.ShotAsync(page, name); }

        // Home: documents and cities with price, validity and where the receipt is accepted.
        await page.GotoAsync($"{app.BaseUrl}/app/");
        var shenzhen = page.Locator(".product-cell", new() { HasText = "深圳居住证照片回执" });
        await Expect(shenzhen).ToBeVisibleAsync();
        await Expect(shenzhen).ToContainTextAsync("回执有效期");
        await Expect(shenzhen).ToContainTextAsync("居住证受理点");
        await Shot("01-home");
        await shenzhen.ClickAsync();

        // Shooting guide: the product's tips and the good / bad examples.
        await Expect(page.GetByText("拍摄要求")).ToBeVisibleAsync();
        await Shot("02-guide");
        await page.GetByText("我知道了，开始拍照").ClickAsync();

        // The face photo's separate consent comes before any upload.
        await Expect(page.GetByText("上传前请单独授权")).ToBeVisibleAsync();
        await Shot("03-face-consent");
        await page.GetByText("我已阅读并单独同意").ClickAsync();
        await page.GetByText("同意并继续").ClickAsync();
        await Expect(page.GetByText("拍照或选择照片")).ToBeVisibleAsync();
        await Shot("04-choose-photo");

        // Upload test3, wait for the real pipeline, see the report.
        await page.Locator("input[type=file]").SetInputFilesAsync(Portrait("test3.jpg"));
        await Expect(page.GetByText("照片合格")).ToBeVisibleAsync(new() { Timeout = (float)Slow.TotalMilliseconds });
        await Expect(page.Locator(".check-item").First).ToBeVisibleAsync();
        Assert.True(await page.Locator("[data-status=pass]").CountAsync() > 3);
        await WaitForImagesAsync(page);
        await Shot("05-result");
    }

    /// <summary>The text box inside Taro's input element.</summary>
    private static ILocator Field(IPage page, string placeholder) => page.Locator($"input[placeholder='{placeholder}']");

    private async Task WaitForStatusAsync(Guid orderId, string status)
    {
        var deadline = DateTime.UtcNow + Slow;
        while (await app.StatusAsync(orderId) != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"order {orderId} did not reach {status} (it is {await app.StatusAsync(orderId)})");
            await Task.Delay(500);
        }
    }

    /// <summary>Pull to refresh, as a user would, until the worker's result shows.</summary>
    private static async Task ReloadUntilAsync(IPage page, string text)
    {
        var deadline = DateTime.UtcNow + Slow;
        while (!await page.GetByText(text).IsVisibleAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' never showed on {page.Url}");
            await Task.Delay(1000);
            await page.ReloadAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
    }

    private static async Task WaitForImagesAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => [...document.images].every(i => i.complete)", null, new() { Timeout = 30_000 });

    private static async Task<byte[]> DownloadAsync(IPage page, string button)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByText(button).ClickAsync());
        var path = Path.Combine(MiniProgramApp.Screenshots, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return await File.ReadAllBytesAsync(path);
    }

    private async Task DecideInConsoleAsync(TestBrowser browser, string reviewer, Guid orderId, bool approve, string? reason = null, string? note = null)
    {
        var console = await browser.DeskAsync();
        await console.GotoAsync($"{app.BaseUrl}/console/login?ReturnUrl=%2Fconsole%2Freview%2F{orderId}");
        await console.GetByLabel("用户名").FillAsync(reviewer);
        await console.GetByLabel("密码").FillAsync(StaffConsole.Password);
        await console.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await console.ArrivedAtAsync($"{app.BaseUrl}/console/review/{orderId}");
        if (approve)
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "审核通过" }).ClickAsync();
        }
        else
        {
            await console.Locator($"input[name=codes][value={reason}]").CheckAsync();
            if (note is not null) await console.Locator("textarea[name=note]").FillAsync(note);
            await console.GetByRole(AriaRole.Button, new() { Name = "审核不通过" }).ClickAsync();
        }
        await console.ArrivedAtAsync(new Regex(@"/console/review\?done="));
        await MiniProgramApp.ShotAsync(console, approve ? "console-approved" : "console-rejected");
    }
}

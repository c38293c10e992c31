using System.Text.RegularExpressions;
using System.Text.Json;
using System.Net.Http.Json;
using System.Net;
using Microsoft.Playwright;
using PhotoReceipt.Api.Tests.Notices;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.Orders;

namespace PhotoReceipt.Api.Tests.Browser;

/// <summary>
/// A reviewer in a real browser: Playwright for .NET (its bundled node driver) drives Debian's Chromium.
/// The Playwright browser download cannot work here and is never called; the executable is the system's.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReviewInBrowserTests(BrowserApiFactory app) : IClassFixture<BrowserApiFactory>
{
    private static string ArtifactPath(string name)
    {
        // tests/PhotoReceipt.Api.Tests/TestResults/browser (bin/<config>/<tfm> is three levels below the project).
        var dir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "browser"));
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [Fact]
    public async Task A_reviewer_signs_in_approves_a_sandbox_paid_order_and_the_user_sees_it_approved_with_an_image_number()
    {
        var reviewer = await app.AddStaffAsync("reviewer");
        var user = await app.LoginAsync();
        // The reviewer's preview is drawn at the photo's own pixels, like the pipeline's.
        app.Pipeline.Next = r => ScriptedPhotoPipeline.Usable(r) with { Preview = PreviewPng(r.Spec.WidthPx, r.Spec.HeightPx) };
        var photoId = await user.ProcessedPhotoAsync(app);
        app.Pipeline.Next = ScriptedPhotoPipeline.Usable;
        var created = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId))).JsonAsync();
        var orderId = created.GetProperty("id").GetGuid();
        var orderNo = created.GetProperty("orderNo").GetString()!;
        Assert.Equal("awaiting_payment", created.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsync($"/api/v1/orders/{orderId}/sandbox-pay", null)).StatusCode);
        await user.GrantAsync(NoticeSteps.Approved);
        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(orderId));

        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.DeskAsync(1280, 1000);

        await page.GotoAsync($"{app.BaseUrl}/console/review");
        Assert.EndsWith("/console/login?ReturnUrl=%2Fconsole%2Freview", page.Url);
        await page.GetByLabel("用户名").FillAsync(reviewer);
        await page.GetByLabel("密码").FillAsync(StaffConsole.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.ArrivedAtAsync($"{app.BaseUrl}/console/review");

        var row = page.Locator("tr", new() { HasText = orderNo });
        await row.GetByRole(AriaRole.Link, new() { Name = "审核" }).ClickAsync();
        await page.ArrivedAtAsync($"{app.BaseUrl}/console/review/{orderId}");
        Assert.Contains(orderNo, await page.Locator("main").InnerTextAsync());
        // The three images really load in the browser (signed URL served, image decoded); a failure names the one that did not.
        foreach (var alt in new[] { "原始照片", "标准照", "审核预览（参考线）" }) await AssertImageLoadsAsync(page, alt);
        // The preview is enlarged by a whole factor without smoothing: guide lines stay one sharp square per pixel.
        var preview = page.Locator("img[alt^='审核预览']");
        var measured = (await preview.EvaluateAsync<string>(
            "img => [img.complete ? img.naturalHeight : 0, img.clientHeight, getComputedStyle(img).imageRendering].join(' ')")).Split(' ');
        var (natural, shown, rendering) = (int.Parse(measured[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(measured[1], System.Globalization.CultureInfo.InvariantCulture), measured[2]);
        Assert.True(natural > 0, "the preview did not load");
        Assert.Equal("pixelated", rendering);
        Assert.True(shown >= 2 * natural && shown % natural == 0, $"preview {natural} px shown at {shown} px");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("review-order.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "审核通过" }).ClickAsync();
        await page.ArrivedAtAsync(new Regex(@"/console/review\?done="));
        Assert.Contains($"订单 {orderNo} 已处理", await page.Locator("p.notice").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("review-approved.png"), FullPage = true });

        var order = await user.OrderAsync(orderId);
        Assert.Equal("approved", order.GetProperty("status").GetString());
        Assert.True(ImageNumberGenerator.IsWellFormed(order.GetProperty("imageNumber").GetString()));
        Assert.Equal($"staff:{reviewer}", await app.QueryScalarAsync<string>("SELECT decided_by FROM review_decisions WHERE order_id = @orderId", new { orderId }));

        // The receipt the approval issued reaches the user: signed links, and the PNG downloads.
        await app.RunJobsAsync();
        var receiptResponse = await user.GetAsync($"/api/v1/orders/{orderId}/receipt");
        Assert.Equal(System.Net.HttpStatusCode.OK, receiptResponse.StatusCode);
        var receipt = await receiptResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(order.GetProperty("imageNumber").GetString(), receipt.GetProperty("imageNumber").GetString());
        var files = receipt.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("kind").GetString()!, f => f.GetProperty("url").GetString()!);
        Assert.Equal(["photo_jpeg", "print_sheet_jpeg", "receipt_pdf", "receipt_png"], files.Keys.Order());
        var png = await user.GetByteArrayAsync(new Uri(files["receipt_png"]).PathAndQuery);
        Assert.Equal(PhotoReceipt.Testing.TestPng.Signature.ToArray(), png[..8]);

        // Support sees the notice the sandbox recorded instead of sending, keyword by keyword.
        await app.DeliverNoticesAsync();
        var support = await app.AddStaffAsync("support");
        var desk = await browser.DeskAsync(1400, 900);
        await desk.GotoAsync($"{app.BaseUrl}/console/login?ReturnUrl=%2Fconsole%2Fsupport%2Foutbox");
        await desk.GetByLabel("用户名").FillAsync(support);
        await desk.GetByLabel("密码").FillAsync(StaffConsole.Password);
        await desk.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await desk.ArrivedAtAsync($"{app.BaseUrl}/console/support/outbox");
        var recorded = desk.Locator("table").First.Locator("tr", new() { HasText = "photoreceipt-approved" }).First;
        var text = await recorded.InnerTextAsync();
        Assert.Contains(orderNo, text);
        Assert.Contains(order.GetProperty("imageNumber").GetString()!, text);
        Assert.Contains("已通过", text);
        await desk.ScreenshotAsync(new PageScreenshotOptions { Path = ArtifactPath("support-outbox.png"), FullPage = true });
    }

    private static async Task AssertImageLoadsAsync(IPage page, string alt)
    {
        try
        {
            await page.WaitForFunctionAsync("alt => [...document.images].some(i => i.alt === alt && i.complete && i.naturalWidth > 0)", alt);
        }
        catch (TimeoutException)
        {
            var src = await page.Locator($"img[alt='{alt}']").GetAttributeAsync("src");
            Assert.Fail($"the image '{alt}' did not load: {src}");
        }
    }

    /// <summary>A stand-in for the pipeline's review PNG: grey with a one-pixel guide line and a face box.</summary>
    private static byte[] PreviewPng(int width, int height)
    {
        using var grey = NetVips.Image.Black(width, height, bands: 3).Linear([1.0, 1.0, 1.0], [200.0, 200.0, 200.0]).Cast(NetVips.Enums.BandFormat.Uchar);
        using var drawn = grey.Mutate(m =>
        {
            m.DrawLine([30.0, 60.0, 255.0], 0, height / 2, width - 1, height / 2);
            m.DrawRect([230.0, 30.0, 30.0], width / 4, height / 5, width / 2, height / 2);
        });
        return drawn.PngsaveBuffer();
    }
}

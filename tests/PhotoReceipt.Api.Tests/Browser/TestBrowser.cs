using Microsoft.Playwright;

namespace PhotoReceipt.Api.Tests.Browser;

/// <summary>
/// Debian's Chromium driven by Playwright for .NET (its bundled node driver), headless; disposing it closes
/// the browser and every context in it.
/// </summary>
public sealed class TestBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private TestBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<TestBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return new TestBrowser(playwright, browser);
    }

    /// <summary>A page on a phone: 390 × 844 CSS pixels at 2×, touch, a WeChat-like mobile user agent, Chinese; waits up to a minute.</summary>
    public async Task<IPage> PhoneAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "zh-CN",
            AcceptDownloads = true,
            UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        return page;
    }

    /// <summary>A page on a desk screen (the staff console), Chinese; waits up to a minute, as a phone page does
    /// (the other test assemblies share the two cores while the browser tests run).</summary>
    public async Task<IPage> DeskAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

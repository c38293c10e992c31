using Microsoft.Playwright;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Browser;

/// <summary>
/// The whole product in a browser: the mini-program's h5 build served by the real app at /app, the
/// real imaging pipeline, and the worker loops on (photos processed, orders submitted, receipts
/// issued as in production), against the test's own PostgreSQL.
/// </summary>
public sealed class MiniProgramApp : BrowserApiFactory
{
    protected override bool UseRealPipeline => true;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        // The signed download links name the Kestrel origin the browser reaches.
        .. base.Settings,
        new("Worker:Enabled", "true"),
        new("Worker:PollSeconds", "1"),
        new("MiniProgram:H5Root", H5Root),
    ];

    public static string H5Root => Path.Combine(RepoPaths.Root, "src", "PhotoReceipt.MiniProgram", "dist", "h5");

    public static string Screenshots { get; } = Path.Combine(RepoPaths.Root, ".data", "test-output", "miniprogram");

    public override async Task InitializeAsync()
    {
        Assert.True(File.Exists(Path.Combine(H5Root, "index.html")),
            $"{H5Root} has no h5 build: ./build.sh test builds it (or ./build.sh client h5)");
        await base.InitializeAsync();
    }

    public static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        // Let images that just arrived decode before the picture is taken.
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 10_000 }).ContinueWith(_ => { });
        // Taro's h5 router slides a new page in; the picture is of the page at rest.
        await page.WaitForTimeoutAsync(700);
        // Taro's h5 pages scroll inside their own container, which a full-page shot does not see:
        // the viewport grows to the page's content for the picture, then returns to the phone's.
        var size = page.ViewportSize;
        var height = size is null ? 0 : await page.EvaluateAsync<int>(
            "() => Math.max(...[...document.querySelectorAll('.taro_page, body')].filter(e => e.offsetParent !== null || e === document.body).map(e => e.scrollHeight))");
        if (size is not null && height > size.Height)
            await page.SetViewportSizeAsync(size.Width, Math.Min(height + 60, 6000));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = true });
        if (size is not null && height > size.Height) await page.SetViewportSizeAsync(size.Width, size.Height);
    }
}

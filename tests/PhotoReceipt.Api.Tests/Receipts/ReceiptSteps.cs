using PhotoReceipt.Testing;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Worker.Jobs;

namespace PhotoReceipt.Api.Tests.Receipts;

/// <summary>The app with the real photo pipeline (libvips + dlib): the photo is really standardized and checked.</summary>
public sealed class RealPipelineFactory : ApiFactory
{
    protected override bool UseRealPipeline => true;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Imaging:MaxParallelism", "1"),
        new("Receipts:CollectionPointName", "天河区体育西路数码照相馆"),
        new("Receipts:CollectionPointCode", "GZ440106001"),
    ];
}

/// <summary>Steps and measurements the receipt tests share.</summary>
internal static class ReceiptSteps
{
    /// <summary>Approves the order in the review desk as a fresh reviewer.</summary>
    public static async Task ApproveAsync(this ApiFactory app, Guid orderId)
    {
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "approve")).StatusCode);
    }

    /// <summary>Runs one job handler directly, as the worker would after claiming a job of its kind.</summary>
    public static async Task RunHandlerAsync(this ApiFactory app, string kind, object payload)
    {
        var handler = app.Services.GetServices<IJobHandler>().Single(h => h.Kind == kind);
        await handler.RunAsync(new JobRecord(0, kind, JsonSerializer.Serialize(payload, ApiClient.Json), 1, 8), CancellationToken.None);
    }

    /// <summary>A file from a signed URL, fetched by a client without the user's token (as wx.downloadFile does).</summary>
    public static async Task<HttpResponseMessage> DownloadAsync(this ApiFactory app, string url) =>
        await app.CreateClient().GetAsync(new Uri(url).PathAndQuery);

    public static RgbImage Decode(byte[] bytes) => RgbImage.Decode(bytes);

    /// <summary>The image resized to exactly width×height by libvips, decoded.</summary>
    public static RgbImage Scaled(byte[] jpeg, int width, int height) => RgbImage.Scaled(jpeg, width, height);

    public static double[] MeanRgb(RgbImage image, int x0, int y0, int width, int height)
    {
        var sums = new double[3];
        for (var y = y0; y < y0 + height; y++)
        {
            for (var x = x0; x < x0 + width; x++)
            {
                var i = ((y * image.Width) + x) * image.Channels;
                for (var c = 0; c < 3; c++) sums[c] += image.Pixels[i + c];
            }
        }
        return [.. sums.Select(s => s / (width * height))];
    }

    /// <summary>Runs a Debian tool (poppler-utils, zbar-tools) on a file; a missing tool fails with the install line.</summary>
    public static string Tool(string tool, string package, params string[] arguments)
    {
        var path = $"/usr/bin/{tool}";
        Assert.True(File.Exists(path), $"{tool} is missing: apt-get install -y {package}");
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), $"{tool} did not finish");
        Assert.True(process.ExitCode == 0, $"{tool} exited {process.ExitCode}: {stderr}");
        return stdout.Result;
    }
}

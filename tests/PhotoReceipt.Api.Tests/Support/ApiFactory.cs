using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Testing;
using PhotoReceipt.Imaging;
using PhotoReceipt.Worker;
using PhotoReceipt.Worker.Jobs;

namespace PhotoReceipt.Api.Tests.Support;

/// <summary>
/// The real app over HTTP against its own PostgreSQL database, with the worker's job handlers composed
/// into the same host (the API itself never references the worker). The worker loops are off: tests run
/// jobs with <see cref="RunJobsAsync"/>. The only stand-in is the photo pipeline (a seam), so these
/// platform tests do not depend on the imaging stack; a subclass may ask for the real one.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    public string BlobRoot { get; } = Directory.CreateTempSubdirectory("photoreceipt-blobs-").FullName;
    public ScriptedPhotoPipeline Pipeline { get; } = new();
    public LogCapture Logs { get; } = new();
    public BodyMeter Bodies { get; } = new();

    /// <summary>True for journeys that need the real imaging pipeline (a photo the checks really pass).</summary>
    protected virtual bool UseRealPipeline => false;

    /// <summary>The host environment; tests of production rules override it.</summary>
    protected virtual string EnvironmentName => "Development";

    /// <summary>Extra settings a test class needs (e.g. a small upload limit).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    /// <summary>The app's database; a subclass may point it at a server of its own.</summary>
    public virtual string ConnectionString => _database.ConnectionString;

    public virtual async Task InitializeAsync() => await _database.InitializeAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        var settings = TestSettings(ConnectionString, BlobRoot);
        foreach (var (k, v) in Settings) settings[k] = v;
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices((context, services) =>
        {
            services.AddPhotoReceiptWorker();
            services.AddPhotoPipeline(context.Configuration);
            services.AddSingleton<IStartupFilter>(Bodies);
            services.AddSingleton<IStartupFilter>(new TestPeer());
        });
        if (UseRealPipeline) return;
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IPhotoPipeline>();
            services.AddSingleton<IPhotoPipeline>(Pipeline);
        });
    }

    /// <summary>What every test app runs with: its database and blob folder, fresh keys, the worker loops off, rate limits out of the way.</summary>
    public static Dictionary<string, string?> TestSettings(string connectionString, string blobRoot) => new()
    {
        ["ConnectionStrings:Postgres"] = connectionString,
        ["Blobs:Root"] = blobRoot,
        ["Worker:Enabled"] = "false",
        ["Pii:CurrentKeyId"] = "k1",
        ["Pii:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Pii:LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Files:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["RateLimits:LoginPerMinute"] = "1000",
        ["RateLimits:UploadsPerMinute"] = "1000",
    };

    /// <summary>Runs due jobs until none is left; returns how many ran.</summary>
    public async Task<int> RunJobsAsync()
    {
        var runner = Services.GetRequiredService<JobRunner>();
        var n = 0;
        while (await runner.RunOnceAsync(CancellationToken.None)) n++;
        return n;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync(); // virtual: subclasses stop what they started (a fake server) after the app

        await _database.DisposeAsync();
        Directory.Delete(BlobRoot, recursive: true);
    }
}

/// <summary>
/// The photo pipeline's test double: returns the upload itself as the "standardized" photo with a
/// report the test chooses (usable by default).
/// </summary>
public sealed class ScriptedPhotoPipeline : IPhotoPipeline
{
    public Func<PhotoRequest, PhotoResult> Next { get; set; } = Usable;

    private int _calls;
    public int Calls => _calls;

    public Task<PhotoResult> StandardizeAsync(PhotoRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(Next(request));
    }

    public static PhotoResult Usable(PhotoRequest r) => new(r.Source.ToArray(), null, new CheckReport(
        [new Check("single_face", CheckStatus.Pass, "1", "1", "检测到一张人脸"),
         new Check("face_width", CheckStatus.Pass, "207 px", $"{r.Spec.FaceWidthPx}", "脸宽合适")]));

    public static PhotoResult Unusable(PhotoRequest r) => new(r.Source.ToArray(), null, new CheckReport(
        [new Check("background_uniformity", CheckStatus.Fail, "38.2", "≤ 12", "背景不够干净，请在白墙前重拍")]));

    public static PhotoResult NoFace(PhotoRequest r) => new(null, null, new CheckReport(
        [new Check("single_face", CheckStatus.Fail, "0", "1", "没有检测到人脸，请正对镜头重拍")]));
}

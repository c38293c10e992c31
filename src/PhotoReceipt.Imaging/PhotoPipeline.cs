using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Models;
using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Imaging;

/// <summary>
/// libvips + OpenCV DNN (three MediaPipe models) implementation of <see cref="IPhotoPipeline"/>.
/// One instance per process: it verifies and loads the models once and runs at most
/// <see cref="ImagingOptions.MaxParallelism"/> photos at a time, each with its own networks.
/// </summary>
public sealed class PhotoPipeline : IPhotoPipeline, IDisposable
{
    private readonly ProductCatalog _catalog;
    private readonly ModelPool _models;
    private readonly PhotoProcessor _processor;
    private readonly SemaphoreSlim _gate;

    /// <exception cref="ImagingException">A model file is missing or altered (the message names it
    /// and the command that fetches it).</exception>
    public PhotoPipeline(ImagingOptions options, ProductCatalog catalog, ILogger<PhotoPipeline>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException("Invalid imaging options: " + string.Join("; ", problems), nameof(options));
        _catalog = catalog;
        ImagingRuntime.EnsureStarted(options.LibvipsConcurrency);
        var files = ModelFiles.Verify(options.ModelDirectory);
        _models = new ModelPool(files);
        // One set of networks per photo that may run at once, made now rather than by the first
        // photos that happen to run in parallel.
        _models.Warm(options.MaxParallelism);
        _processor = new PhotoProcessor(options, _models, CanonicalFace.Load(files), (ILogger?)logger ?? NullLogger.Instance);
        _gate = new SemaphoreSlim(options.MaxParallelism, options.MaxParallelism);
    }

    public async Task<PhotoResult> StandardizeAsync(PhotoRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Spec);
        var background = request.Background ?? DefaultBackground(request.Spec);
        var source = request.Source.ToArray();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => _processor.Process(source, request.Spec, background, null, cancellationToken), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs one photo on the calling thread and reports per-stage times (benchmark use).</summary>
    internal PhotoResult ProcessTimed(PhotoRequest request, Dictionary<string, double> stageMs)
    {
        var times = new StageTimes();
        var result = _processor.Process(request.Source.ToArray(), request.Spec, request.Background ?? DefaultBackground(request.Spec), times, CancellationToken.None);
        foreach (var (k, v) in times.Ms) stageMs[k] = v;
        return result;
    }

    /// <summary>Runs one photo and keeps the intermediate images (development contact sheets).</summary>
    internal PhotoResult ProcessTraced(PhotoRequest request, List<ProcessTrace> trace) =>
        _processor.Process(request.Source.ToArray(), request.Spec, request.Background ?? DefaultBackground(request.Spec), new StageTimes(), trace, CancellationToken.None);

    internal ModelPool Models => _models;

    private RgbColour DefaultBackground(PhotoSpec spec) =>
        _catalog.ResolveBackground(spec.Backgrounds[0])
        ?? throw new InvalidOperationException($"spec '{spec.Id}' names background '{spec.Backgrounds[0]}', which the catalog does not define");

    public void Dispose()
    {
        _models.Dispose();
        _gate.Dispose();
    }
}

using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Detection;
using PhotoReceipt.Imaging.Interop;
using PhotoReceipt.Imaging.Matting;
using PhotoReceipt.Imaging.Pipeline;
using PhotoReceipt.Imaging.Vips;

namespace PhotoReceipt.Imaging;

/// <summary>
/// libvips + dlib + OpenCV implementation of <see cref="IPhotoPipeline"/>. One instance per
/// process: it holds the landmark model (~100 MB) and a pool of detectors, and runs at most
/// <see cref="ImagingOptions.MaxParallelism"/> photos at a time on thread-pool threads.
/// </summary>
public sealed class PhotoPipeline : IPhotoPipeline, IDisposable
{
    private readonly ProductCatalog _catalog;
    private readonly FaceDetectorPool _detectors;
    private readonly PhotoProcessor _processor;
    private readonly SemaphoreSlim _gate;

    public PhotoPipeline(ImagingOptions options, ProductCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException("Invalid imaging options: " + string.Join("; ", problems), nameof(options));
        _catalog = catalog;
        VipsRuntime.EnsureStarted(options.LibvipsConcurrency);
        NativeImaging.pr_set_threads(1);
        _detectors = new FaceDetectorPool(options.LandmarkModelPath, options.DetectorUpsample, options.DetectorThreshold);
        // One detector per photo that may run at once, made now (~190 ms each) rather than by the
        // first photos that happen to run in parallel.
        _detectors.Warm(options.MaxParallelism);
        _processor = new PhotoProcessor(options, _detectors, new GrabCutMatting(options.GrabCutIterations));
        _gate = new SemaphoreSlim(options.MaxParallelism, options.MaxParallelism);
    }

    public async Task<PhotoResult> StandardizeAsync(PhotoRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Spec);
        var background = request.Background ?? DefaultBackground(request.Spec);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => _processor.Process(request.Source.Span, request.Spec, background, null, cancellationToken), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs one photo on the calling thread and reports per-stage times (benchmark use).</summary>
    internal PhotoResult ProcessTimed(PhotoRequest request, Dictionary<string, double> stageMs)
    {
        var times = new PhotoProcessor.StageTimes();
        var result = _processor.Process(request.Source.Span, request.Spec, request.Background ?? DefaultBackground(request.Spec), times, CancellationToken.None);
        foreach (var (k, v) in times.Ms) stageMs[k] = v;
        return result;
    }

    internal FaceDetectorPool Detectors => _detectors;

    private RgbColour DefaultBackground(PhotoSpec spec) =>
        _catalog.ResolveBackground(spec.Backgrounds[0])
        ?? throw new InvalidOperationException($"spec '{spec.Id}' names background '{spec.Backgrounds[0]}', which the catalog does not define");

    public void Dispose()
    {
        _detectors.Dispose();
        _gate.Dispose();
    }
}

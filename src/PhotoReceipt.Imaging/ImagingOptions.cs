namespace PhotoReceipt.Imaging;

/// <summary>Settings of the photo pipeline, bound from the "Imaging" configuration section.</summary>
public sealed class ImagingOptions
{
    public const string SectionName = "Imaging";

    /// <summary>Folder holding the learned models (fetched by <c>./build.sh models</c>; the build copies
    /// them next to every app). Each file is checked against its sha256 at start-up.</summary>
    public string ModelDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Uploads whose header claims more pixels are refused before any decoding (decompression bombs).</summary>
    public long MaxSourcePixels { get; set; } = 60_000_000;

    /// <summary>Photos processed at the same time; each holds its own set of networks.</summary>
    public int MaxParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>JPEGs are decoded with the decoder's own 1/2, 1/4, 1/8 scaling to at least this long
    /// side: enough face pixels for every spec from a typical phone photo, at a fraction of a full decode.
    /// When a small face needs more, the photo is decoded again at just the size needed.</summary>
    public int DecodeSize { get; set; } = 1000;

    /// <summary>Long side of the copy the face models and source checks see.</summary>
    public int WorkingSize { get; set; } = 1000;

    /// <summary>Head roll corrected automatically (warned above 8°); beyond it the user is asked to retake.</summary>
    public double MaxRollDegrees { get; set; } = 15;

    /// <summary>How far a small source may be enlarged to reach the spec's face size (1.0 = never);
    /// above 1 the report warns, beyond this it fails instead of delivering a blurry photo. 1.6 lets
    /// a sharp 165 px face (a half-body photo at 1000 px) fill the exit-entry window (230–283 px).</summary>
    public double MaxUpscale { get; set; } = 1.6;

    /// <summary>libvips threads per operation; 1 leaves the cores to our own parallelism.</summary>
    public int LibvipsConcurrency { get; set; } = 1;

    /// <summary>Returns what is wrong, or nothing.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelDirectory)) yield return "Imaging:ModelDirectory is empty";
        if (MaxSourcePixels < 1_000_000) yield return "Imaging:MaxSourcePixels must be at least 1000000";
        if (MaxParallelism is < 1 or > 64) yield return "Imaging:MaxParallelism must be 1–64";
        if (WorkingSize is < 320 or > 2048) yield return "Imaging:WorkingSize must be 320–2048";
        if (DecodeSize < WorkingSize) yield return "Imaging:DecodeSize must be at least WorkingSize";
        if (MaxRollDegrees is < 0 or > 30) yield return "Imaging:MaxRollDegrees must be 0–30";
        if (MaxUpscale is < 1 or > 2) yield return "Imaging:MaxUpscale must be 1–2";
        if (LibvipsConcurrency is < 0 or > 64) yield return "Imaging:LibvipsConcurrency must be 0–64 (0 = libvips default)";
    }
}

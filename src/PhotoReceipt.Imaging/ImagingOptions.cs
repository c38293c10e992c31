namespace PhotoReceipt.Imaging;

/// <summary>Settings of the photo pipeline, bound from the "Imaging" configuration section.</summary>
public sealed class ImagingOptions
{
    public const string SectionName = "Imaging";

    /// <summary>dlib 68-point shape predictor. The Debian file was trained on iBUG 300-W (non-commercial); see README.</summary>
    public string LandmarkModelPath { get; set; } = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    /// <summary>Uploads whose header claims more pixels are refused before any decoding (decompression bombs).</summary>
    public long MaxSourcePixels { get; set; } = 60_000_000;

    /// <summary>Photos processed at the same time; each holds one dlib detector.</summary>
    public int MaxParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Long side of the copy the face detector sees.</summary>
    public int WorkingSize { get; set; } = 640;

    /// <summary>dlib HOG pyramid upsampling on the working copy (0 finds faces ≥ ~80 px; each step costs ~3×).</summary>
    public int DetectorUpsample { get; set; }

    /// <summary>dlib HOG score threshold; raise to ignore weak detections (background faces on posters).</summary>
    public double DetectorThreshold { get; set; }

    /// <summary>Long side of the region GrabCut runs on (its cost grows with the square).</summary>
    public int MattingSize { get; set; } = 200;

    public int GrabCutIterations { get; set; } = 3;

    /// <summary>Head roll corrected automatically; beyond it the user is asked to retake.</summary>
    public double MaxRollDegrees { get; set; } = 10;

    /// <summary>Long side of the first decode (JPEG shrink-on-load makes it cheap: a 4000×3000 photo
    /// decodes at 1/4 scale). When the face needs more pixels for the spec, the photo is decoded
    /// again at just the size needed.</summary>
    public int FirstDecodeSize { get; set; } = 1000;

    /// <summary>How far a small source may be enlarged to reach the spec's face size (1.0 = never);
    /// above 1 the report warns, beyond this it fails instead of delivering a blurry photo.</summary>
    public double MaxUpscale { get; set; } = 1.15;

    /// <summary>libvips threads per operation; 1 leaves the cores to our own parallelism.</summary>
    public int LibvipsConcurrency { get; set; } = 1;

    /// <summary>Returns what is wrong, or nothing.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(LandmarkModelPath)) yield return "Imaging:LandmarkModelPath is empty";
        else if (!File.Exists(LandmarkModelPath)) yield return $"Imaging:LandmarkModelPath '{LandmarkModelPath}' does not exist (install libdlib-data or set the path)";
        if (MaxSourcePixels < 1_000_000) yield return "Imaging:MaxSourcePixels must be at least 1000000";
        if (MaxParallelism is < 1 or > 64) yield return "Imaging:MaxParallelism must be 1–64";
        if (WorkingSize is < 320 or > 2000) yield return "Imaging:WorkingSize must be 320–2000";
        if (DetectorUpsample is < 0 or > 2) yield return "Imaging:DetectorUpsample must be 0–2";
        if (MattingSize is < 128 or > 1024) yield return "Imaging:MattingSize must be 128–1024";
        if (GrabCutIterations is < 1 or > 10) yield return "Imaging:GrabCutIterations must be 1–10";
        if (MaxRollDegrees is < 0 or > 30) yield return "Imaging:MaxRollDegrees must be 0–30";
        if (MaxUpscale is < 1 or > 2) yield return "Imaging:MaxUpscale must be 1–2";
        if (FirstDecodeSize < WorkingSize) yield return "Imaging:FirstDecodeSize must be at least WorkingSize";
        if (LibvipsConcurrency is < 0 or > 64) yield return "Imaging:LibvipsConcurrency must be 0–64 (0 = libvips default)";
    }
}

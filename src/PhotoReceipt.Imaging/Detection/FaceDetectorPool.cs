using System.Collections.Concurrent;
using PhotoReceipt.Imaging.Interop;
using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Imaging.Detection;

/// <summary>
/// The landmark model, loaded once per process (~100 MB, read-only after loading), and dlib HOG
/// detectors, which are not thread-safe and slow to create: each call borrows one for itself.
/// The pipeline's semaphore bounds how many are ever in use, so the pool never exceeds that.
/// </summary>
internal sealed class FaceDetectorPool : IDisposable
{
    private const int MaxFaces = 8;
    private readonly LandmarkModelHandle _model;
    private readonly ConcurrentBag<FaceDetectorHandle> _idle = [];
    private readonly ConcurrentBag<FaceDetectorHandle> _all = [];
    private readonly int _upsample;
    private readonly double _threshold;

    public unsafe FaceDetectorPool(string modelPath, int upsample, double threshold)
    {
        _upsample = upsample;
        _threshold = threshold;
        var err = stackalloc byte[NativeImaging.ErrorLength];
        var code = NativeImaging.pr_model_load(modelPath, out _model, err, NativeImaging.ErrorLength);
        NativeImaging.Check(code, err, $"loading landmark model '{modelPath}'");
    }

    /// <summary>All faces (best first, at most 8 with landmarks) and how many the detector saw.</summary>
    /// <param name="scanScale">Scan a copy this much smaller (≤ 1) when the faces sought are known to be large.</param>
    public unsafe (IReadOnlyList<FaceLandmarks> Faces, int Seen) Detect(RgbImage image, int? upsample = null, double scanScale = 1.0)
    {
        if (image.Channels != 3) throw new ArgumentException("RGB expected", nameof(image));
        var detector = Rent();
        try
        {
            var faces = stackalloc NativeFace[MaxFaces];
            var err = stackalloc byte[NativeImaging.ErrorLength];
            int found;
            fixed (byte* px = image.Pixels)
            {
                var code = NativeImaging.pr_detect(detector, _model, px, image.Width, image.Height, image.Stride, scanScale < 1 ? 0 : upsample ?? _upsample, scanScale, _threshold,
                    faces, MaxFaces, out found, err, NativeImaging.ErrorLength);
                NativeImaging.Check(code, err, "face detection");
            }
            var list = new List<FaceLandmarks>();
            for (var i = 0; i < Math.Min(found, MaxFaces); i++)
            {
                var f = faces[i];
                var pts = new PointD[68];
                for (var k = 0; k < 68; k++) pts[k] = new PointD(f.Landmarks[2 * k], f.Landmarks[2 * k + 1]);
                list.Add(new FaceLandmarks(f.Left, f.Top, f.Right, f.Bottom, f.Score, pts));
            }
            return (list, found);
        }
        finally
        {
            _idle.Add(detector);
        }
    }

    private unsafe FaceDetectorHandle Rent()
    {
        if (_idle.TryTake(out var d)) return d;
        var err = stackalloc byte[NativeImaging.ErrorLength];
        var code = NativeImaging.pr_detector_new(out var created, err, NativeImaging.ErrorLength);
        NativeImaging.Check(code, err, "creating the face detector");
        _all.Add(created);
        return created;
    }

    /// <summary>Creates detectors ahead of the first request (~190 ms each).</summary>
    public void Warm(int count)
    {
        var made = new List<FaceDetectorHandle>();
        for (var i = 0; i < count; i++) made.Add(Rent());
        foreach (var d in made) _idle.Add(d);
    }

    public void Dispose()
    {
        foreach (var d in _all) d.Dispose();
        _model.Dispose();
    }
}

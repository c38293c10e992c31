using OpenCvSharp;
using OpenCvSharp.Dnn;
using PhotoReceipt.Imaging.Geometry;

namespace PhotoReceipt.Imaging.Models;

/// <summary>A face found by BlazeFace: box, score and six keypoints, in the pixels of the image searched.</summary>
/// <param name="Keypoints">The subject's right eye (left in the image), left eye, nose tip, mouth
/// centre, right ear tragion, left ear tragion.</param>
internal sealed record DetectedFace(double Left, double Top, double Width, double Height, double Score, PointD[] Keypoints)
{
    public PointD Centre => new(Left + Width / 2, Top + Height / 2);
    public PointD RightEye => Keypoints[0];
    public PointD LeftEye => Keypoints[1];

    public double Iou(DetectedFace other)
    {
        var x0 = Math.Max(Left, other.Left);
        var y0 = Math.Max(Top, other.Top);
        var x1 = Math.Min(Left + Width, other.Left + other.Width);
        var y1 = Math.Min(Top + Height, other.Top + other.Height);
        var inter = Math.Max(0, x1 - x0) * Math.Max(0, y1 - y0);
        return inter / (Width * Height + other.Width * other.Height - inter);
    }
}

/// <summary>
/// MediaPipe BlazeFace (face_detection_full_range / short_range .tflite) through OpenCV's DNN
/// module. The image is letterboxed to the square input; each anchor regresses a box and six
/// keypoints in input pixels relative to its centre. Not thread-safe: one per parallel photo.
/// </summary>
internal sealed class FaceDetector : IDisposable
{
    private const double MinScore = 0.5;
    private const double NmsIou = 0.3;

    private readonly Net _net;
    private readonly int _size;
    private readonly string[] _outputs;
    private readonly PointD[] _anchors;

    private FaceDetector(string path, int size, string[] outputs, PointD[] anchors)
    {
        _net = CvDnn.ReadNet(path) ?? throw new ImagingException($"OpenCV could not read {path}");
        _size = size;
        _outputs = outputs;
        _anchors = anchors;
    }

    /// <summary>Faces from about 2 % of the image width up (192×192 input, 2304 anchors).</summary>
    public static FaceDetector FullRange(ModelFiles files) =>
        new(files.PathOf("face_detection_full_range.tflite"), 192, ["reshaped_classifier_face_4", "reshaped_regressor_face_4"], Grid([(48, 1)]));

    /// <summary>Large, near faces (128×128 input, 896 anchors): the fallback when the far model sees none.</summary>
    public static FaceDetector ShortRange(ModelFiles files) =>
        new(files.PathOf("face_detection_short_range.tflite"), 128, ["classificators", "regressors"], Grid([(16, 2), (8, 6)]));

    /// <summary>Faces in an RGB image, best first, overlapping detections suppressed.</summary>
    public List<DetectedFace> Detect(Mat rgb)
    {
        var scale = (double)_size / Math.Max(rgb.Width, rgb.Height);
        var w = Math.Max(1, (int)Math.Round(rgb.Width * scale));
        var h = Math.Max(1, (int)Math.Round(rgb.Height * scale));
        var padX = (_size - w) / 2;
        var padY = (_size - h) / 2;
        using var resized = new Mat();
        Cv2.Resize(rgb, resized, new Size(w, h), 0, 0, InterpolationFlags.Area);
        using var square = new Mat();
        Cv2.CopyMakeBorder(resized, square, padY, _size - h - padY, padX, _size - w - padX, BorderTypes.Constant, Scalar.All(0));
        using var blob = CvDnn.BlobFromImage(square, 1 / 127.5, new Size(_size, _size), new Scalar(127.5, 127.5, 127.5), swapRB: false, crop: false);
        _net.SetInput(blob);
        var outs = _outputs.Select(_ => new Mat()).ToArray();
        try
        {
            _net.Forward(outs, _outputs);
            var scores = outs[0].Reshape(1, 1).AsSpan<float>();
            var regs = outs[1].Reshape(1, 1).AsSpan<float>();
            var stride = regs.Length / _anchors.Length;
            var found = new List<DetectedFace>();
            for (var i = 0; i < _anchors.Length; i++)
            {
                var score = 1 / (1 + Math.Exp(-Math.Clamp(scores[i], -100f, 100f)));
                if (score < MinScore) continue;
                var r = regs.Slice(i * stride, stride);
                var a = _anchors[i];
                // Input pixels back to image pixels: undo the letterbox, then the scale.
                double X(double v) => ((a.X * _size + v) - padX) / scale;
                double Y(double v) => ((a.Y * _size + v) - padY) / scale;
                double cx = X(r[0]), cy = Y(r[1]), bw = r[2] / scale, bh = r[3] / scale;
                var keypoints = new PointD[6];
                for (var k = 0; k < 6; k++) keypoints[k] = new PointD(X(r[4 + 2 * k]), Y(r[5 + 2 * k]));
                found.Add(new DetectedFace(cx - bw / 2, cy - bh / 2, bw, bh, score, keypoints));
            }
            return Suppress(found);
        }
        finally
        {
            foreach (var m in outs) m.Dispose();
        }
    }

    private static List<DetectedFace> Suppress(List<DetectedFace> faces)
    {
        var kept = new List<DetectedFace>();
        foreach (var f in faces.OrderByDescending(f => f.Score))
            if (kept.All(k => k.Iou(f) < NmsIou)) kept.Add(f);
        return kept;
    }

    /// <summary>Anchor centres in input units (0–1): per layer, a grid of cells with n anchors each.</summary>
    private static PointD[] Grid((int Cells, int PerCell)[] layers)
    {
        var anchors = new List<PointD>();
        foreach (var (cells, perCell) in layers)
            for (var y = 0; y < cells; y++)
                for (var x = 0; x < cells; x++)
                    for (var n = 0; n < perCell; n++)
                        anchors.Add(new PointD((x + 0.5) / cells, (y + 0.5) / cells));
        return [.. anchors];
    }

    public void Dispose() => _net.Dispose();
}

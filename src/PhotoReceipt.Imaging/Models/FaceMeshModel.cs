using OpenCvSharp;
using OpenCvSharp.Dnn;
using PhotoReceipt.Imaging.Geometry;

namespace PhotoReceipt.Imaging.Models;

/// <summary>
/// MediaPipe Face Mesh (face_landmark.tflite): 468 landmarks from a 192×192 crop that holds the
/// face upright with a margin. Run twice: first on a square around the detector's box rotated by
/// its eye keypoints, then on a square around the first landmarks, which centres and levels the
/// face the way the model was trained. Not thread-safe: one per parallel photo.
/// </summary>
internal sealed class FaceMeshModel : IDisposable
{
    private const int Size = 192;
    private const double Margin = 1.5;
    private static readonly string[] Outputs = ["conv2d_21", "conv2d_31"];

    private readonly Net _net;

    public FaceMeshModel(ModelFiles files)
    {
        var path = files.PathOf("face_landmark.tflite");
        _net = CvDnn.ReadNet(path) ?? throw new ImagingException($"OpenCV could not read {path}");
    }

    /// <summary>Landmarks of the detected face, in the pixels of <paramref name="rgb"/>.</summary>
    public FaceMesh Run(Mat rgb, DetectedFace face)
    {
        var angle = Math.Atan2(face.LeftEye.Y - face.RightEye.Y, face.LeftEye.X - face.RightEye.X);
        var first = RunOnRoi(rgb, face.Centre, Math.Max(face.Width, face.Height) * Margin, angle);
        // Second pass from the mesh itself: eye corners (33, 263) level the crop, the landmarks' box sizes it.
        var p = first.Points;
        var level = Math.Atan2(p[263].Y - p[33].Y, p[263].X - p[33].X);
        var unrotate = Affine.Rotate(-level, 0, 0);
        var rotated = p.Select(unrotate.Apply).ToArray();
        double x0 = rotated.Min(q => q.X), x1 = rotated.Max(q => q.X), y0 = rotated.Min(q => q.Y), y1 = rotated.Max(q => q.Y);
        var centre = Affine.Rotate(level, 0, 0).Apply(new PointD((x0 + x1) / 2, (y0 + y1) / 2));
        return RunOnRoi(rgb, centre, Math.Max(x1 - x0, y1 - y0) * Margin, level);
    }

    private FaceMesh RunOnRoi(Mat rgb, PointD centre, double side, double angle)
    {
        // Crop pixel (u, v) ↔ image point centre + R(angle)·((u, v) − 96)·side/192.
        var k = side / Size;
        var toImage = Affine.Compose(Affine.Translate(centre.X, centre.Y),
            Affine.Compose(Affine.Rotate(angle, 0, 0), Affine.Compose(Affine.Scale(k), Affine.Translate(-Size / 2.0, -Size / 2.0))));
        using var m = toImage.Invert().ToMat();
        using var crop = new Mat();
        Cv2.WarpAffine(rgb, crop, m, new OpenCvSharp.Size(Size, Size), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.All(0));
        using var blob = CvDnn.BlobFromImage(crop, 1 / 255.0, new OpenCvSharp.Size(Size, Size), new Scalar(0, 0, 0), swapRB: false, crop: false);
        _net.SetInput(blob);
        using var landmarks = new Mat();
        using var flag = new Mat();
        _net.Forward([landmarks, flag], Outputs);
        var v = landmarks.Reshape(1, 1).AsSpan<float>();
        var points = new PointD[FaceMesh.Count];
        var z = new double[FaceMesh.Count];
        for (var i = 0; i < FaceMesh.Count; i++)
        {
            points[i] = toImage.Apply(new PointD(v[3 * i], v[3 * i + 1]));
            z[i] = v[3 * i + 2] * k;
        }
        var presence = 1 / (1 + Math.Exp(-flag.Reshape(1, 1).AsSpan<float>()[0]));
        return new FaceMesh(points, z, presence);
    }

    public void Dispose() => _net.Dispose();
}

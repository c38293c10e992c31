using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace PhotoReceipt.Imaging.Models;

/// <summary>
/// MediaPipe selfie segmentation (selfie_segmentation.tflite): the probability that each pixel
/// is a person, from the image stretched to 256×256. Not thread-safe: one per parallel photo.
/// </summary>
internal sealed class PersonSegmenter : IDisposable
{
    public const int Size = 256;
    private readonly Net _net;

    public PersonSegmenter(ModelFiles files)
    {
        var path = files.PathOf("selfie_segmentation.tflite");
        _net = CvDnn.ReadNet(path) ?? throw new ImagingException($"OpenCV could not read {path}");
    }

    /// <summary>A 256×256 CV_32F map of person probability 0–1 for the whole of <paramref name="rgb"/>.</summary>
    public Mat Segment(Mat rgb)
    {
        using var blob = CvDnn.BlobFromImage(rgb, 1 / 255.0, new Size(Size, Size), new Scalar(0, 0, 0), swapRB: false, crop: false);
        _net.SetInput(blob);
        using var output = _net.Forward();
        return output.Reshape(1, Size).Clone();
    }

    public void Dispose() => _net.Dispose();
}

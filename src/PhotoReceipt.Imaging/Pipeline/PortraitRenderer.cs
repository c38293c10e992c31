using OpenCvSharp;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Imaging.Geometry;
using PhotoReceipt.Imaging.Matting;
using PhotoReceipt.Imaging.Models;

namespace PhotoReceipt.Imaging.Pipeline;

/// <summary>One framing rendered: the photo, its matte and the composite, all at output size.</summary>
internal sealed class RenderedPortrait(Mat photo, Mat probability, Matte matte, Mat valid, Mat composite, Affine masterToOutput) : IDisposable
{
    /// <summary>Share of the head's edge where person and background colours are too alike to separate.</summary>
    public double LowContrastEdge { get; } = matte.LowContrastEdge;
    /// <summary>How far (face widths) the outline rises again beside the head: another person or object touching the subject.</summary>
    public double NeighbourRise { get; } = matte.NeighbourRise;
    /// <summary>The source pixels framed, before the background is replaced (8-bit RGB).</summary>
    public Mat Photo { get; } = photo;
    /// <summary>The segmentation model's person probability on this framing (CV_32F), before refinement.</summary>
    public Mat Probability { get; } = probability;
    /// <summary>The refined matte (CV_32F 0–1).</summary>
    public Mat Alpha { get; } = matte.Alpha;
    /// <summary>255 where the output shows the photo, 0 where the framing reaches past its edge.</summary>
    public Mat Valid { get; } = valid;
    /// <summary>The finished photo on the spec colour (8-bit RGB).</summary>
    public Mat Composite { get; } = composite;
    public Affine MasterToOutput { get; } = masterToOutput;

    /// <summary>The rows [top, top + height) of this render, as a render of its own.</summary>
    public RenderedPortrait Rows(int top, int height)
    {
        var rect = new Rect(0, top, Photo.Width, height);
        Mat Cut(Mat m) => m.Empty() ? new Mat() : new Mat(m, rect).Clone();
        var moved = Affine.Compose(Affine.Translate(0, -top), MasterToOutput);
        return new RenderedPortrait(Cut(Photo), Cut(Probability), new Matte(Cut(Alpha), LowContrastEdge, NeighbourRise), Cut(Valid), Cut(Composite), moved);
    }

    public void Dispose()
    {
        Photo.Dispose();
        Probability.Dispose();
        Alpha.Dispose();
        Valid.Dispose();
        Composite.Dispose();
    }
}

/// <summary>
/// Renders framings of one photo. The segmentation model runs a second time on a canvas around
/// the first framing (the whole-frame pass sees a head as ~60 of its 256 pixels; this one sees it
/// at several times that), and later framings inside that canvas reuse its answer.
/// </summary>
internal sealed class PortraitRenderer(Mat master, PersonSegmenter segmenter, RgbColour background) : IDisposable
{
    // The canvas around the first frame rendered (the tall frame the head top is measured on), in
    // its widths/heights: room at the sides for ears and shoulders and a little above, so that
    // re-framings stay inside it.
    private const double CanvasLeft = 0.25, CanvasTop = 0.1, CanvasWidth = 1.5, CanvasHeight = 1.15;

    private Mat? _canvasProbability;
    private Affine _masterToCanvas;

    /// <param name="composite">False for a frame that is only measured (no new background needed).</param>
    public RenderedPortrait Render(Affine masterToOutput, int width, int height, FaceLayout face, bool composite = true)
    {
        var outputToCanvas = EnsureCanvas(masterToOutput, width, height, face.ChinY);
        // Matted with a margin all round and cropped after: the filters would otherwise read the
        // frame's edge as the photo's and fatten whatever touches it (a tuft of hair at the top).
        var margin = Math.Max(8, width / 20);
        var shift = Affine.Translate(margin, margin);
        int w = width + 2 * margin, h = height + 2 * margin;
        using var validWide = new Mat();
        using var photoWide = Warp.Image(master, Affine.Compose(shift, masterToOutput), w, h, BorderTypes.Reflect101, validWide);
        using var probabilityWide = new Mat();
        using (var m = Affine.Compose(shift, outputToCanvas.Invert()).ToMat())
            Cv2.WarpAffine(_canvasProbability!, probabilityWide, m, new Size(w, h), InterpolationFlags.Linear, BorderTypes.Replicate);
        var shifted = face with { Eye = shift.Apply(face.Eye), ChinY = face.ChinY + margin };
        var wide = PortraitMatte.Refine(photoWide, probabilityWide, validWide, shifted);
        var inner = new Rect(margin, margin, width, height);
        using (wide.Alpha)
        {
            var matte = wide with { Alpha = new Mat(wide.Alpha, inner).Clone() };
            var photo = new Mat(photoWide, inner).Clone();
            var result = composite ? PortraitMatte.Composite(photo, matte.Alpha, background) : new Mat();
            return new RenderedPortrait(photo, new Mat(probabilityWide, inner).Clone(), matte, new Mat(validWide, inner).Clone(), result, masterToOutput);
        }
    }

    /// <summary>The canvas covering this framing (segmented now if the current one does not), as a map from output pixels.</summary>
    private Affine EnsureCanvas(Affine masterToOutput, int width, int height, double chinY)
    {
        if (_canvasProbability is not null)
        {
            var toCanvas = Affine.Compose(_masterToCanvas, masterToOutput.Invert());
            var corners = new[] { new PointD(0, 0), new PointD(width, 0), new PointD(0, height), new PointD(width, height) }.Select(toCanvas.Apply);
            const double margin = 8;
            if (corners.All(c => c.X >= margin && c.Y >= margin && c.X <= PersonSegmenter.Size - margin && c.Y <= PersonSegmenter.Size - margin))
                return toCanvas;
            _canvasProbability.Dispose();
        }
        const int s = PersonSegmenter.Size;
        var outputToCanvas = Affine.Compose(Affine.Scale2(s / (CanvasWidth * width), s / (CanvasHeight * height)),
            Affine.Translate(CanvasLeft * width, CanvasTop * height));
        _masterToCanvas = Affine.Compose(outputToCanvas, masterToOutput);
        using var valid = new Mat();
        using var canvas = Warp.Image(master, _masterToCanvas, s, s, BorderTypes.Reflect101, valid);
        // Beside and above the head, past the photo's edge, the model sees plain wall (the colour of
        // the photo's own edge there), not smeared hair: a head cut by the edge then reads as cut,
        // and hair that stops short of the edge is not continued. Below the chin the edge is
        // repeated, so that clothing cut by a tight crop stays clothing.
        PaintOutside(canvas, valid, (int)Math.Clamp(outputToCanvas.Apply(new PointD(0, chinY)).Y, 0, s));
        _canvasProbability = segmenter.Segment(canvas);
        return outputToCanvas;
    }

    /// <summary>Fills what lies outside the photo, above <paramref name="rows"/>, with the median colour of the photo's pixels next to it.</summary>
    private static void PaintOutside(Mat canvas, Mat valid, int rows)
    {
        var v = valid.AsSpan<byte>();
        int w = canvas.Width, h = canvas.Height;
        var edge = new List<Vec3b>();
        for (var y = 0; y < rows; y++)
            for (var x = 0; x < w; x++)
            {
                if (v[y * w + x] == 0) continue;
                var nextToOutside = (x > 0 && v[y * w + x - 1] == 0) || (x < w - 1 && v[y * w + x + 1] == 0) || (y > 0 && v[(y - 1) * w + x] == 0);
                if (nextToOutside) edge.Add(canvas.At<Vec3b>(y, x));
            }
        if (edge.Count == 0) return;
        var fill = new Vec3b(Median(edge, 0), Median(edge, 1), Median(edge, 2));
        for (var y = 0; y < rows; y++)
            for (var x = 0; x < w; x++)
                if (v[y * w + x] == 0) canvas.Set(y, x, fill);
    }

    private static byte Median(List<Vec3b> pixels, int channel) =>
        pixels.Select(p => channel switch { 0 => p.Item0, 1 => p.Item1, _ => p.Item2 }).Order().ElementAt(pixels.Count / 2);

    public void Dispose() => _canvasProbability?.Dispose();
}

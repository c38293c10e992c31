using OpenCvSharp;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Imaging.Geometry;

namespace PhotoReceipt.Imaging.Matting;

/// <summary>
/// Turns the segmentation model's person probability into an alpha matte with clean edges at
/// output resolution, and composites the person onto the spec colour.
/// <list type="number">
/// <item>Colour guided filter against the photo: the coarse probability snaps to the real edges
/// of hair, ears and collar.</item>
/// <item>Contrast stretch over 0.15–0.85: the filter's soft ramps become a tight edge.</item>
/// <item>In the edge band, alpha re-estimated from the local person and background colours and
/// only ever lowered: background colour caught around the hair (a halo) goes.</item>
/// <item>Only the region connected to the subject's face is kept: other people and objects the
/// model saw as "person" are dropped unless they touch the subject.</item>
/// </list>
/// </summary>
internal static class PortraitMatte
{
    private const float StretchLow = 0.15f, StretchHigh = 0.85f;

    /// <param name="rgb">The output-sized photo (8-bit RGB).</param>
    /// <param name="probability">The model's person probability warped to the output (CV_32F).</param>
    /// <param name="valid">255 where the output shows the photo, 0 where it lies outside it.</param>
    /// <param name="face">The face centre in the output.</param>
    /// <param name="chinY">Above the chin, what lies outside the photo is background; below it, the
    /// clothing is continued from the photo's edge (a tight crop).</param>
    public static Matte Refine(Mat rgb, Mat probability, Mat valid, FaceLayout face)
    {
        var chinY = face.ChinY;
        int w = rgb.Width, h = rgb.Height;
        var radius = Math.Max(2, (int)Math.Round(w / 45.0));
        using var guide = new Mat();
        rgb.ConvertTo(guide, MatType.CV_32FC3, 1 / 255.0);
        var alpha = FastGuidedFilter.Apply(guide, probability, radius, 1e-3);
        alpha.ConvertTo(alpha, MatType.CV_32F, 1 / (StretchHigh - StretchLow), -StretchLow / (StretchHigh - StretchLow));
        Cv2.Threshold(alpha, alpha, 1, 1, ThresholdTypes.Trunc);
        Cv2.Threshold(alpha, alpha, 0, 0, ThresholdTypes.Tozero);

        var lowContrast = LowerByColour(guide, alpha, probability, Math.Max(5, w / 24), chinY);
        var a = alpha.AsSpan<float>();
        var v = valid.AsSpan<byte>();
        var headEnd = Math.Clamp((int)chinY, 0, h);
        for (var i = 0; i < headEnd * w; i++) if (v[i] == 0) a[i] = 0;
        LowerByHairColour(guide, alpha, face);
        KeepSubject(alpha, face.Eye, Math.Max(2, w / 150));
        return new Matte(alpha, lowContrast, NeighbourRise(alpha, face));
    }

    /// <summary>
    /// Where the person and background colours nearby differ clearly, a pixel's alpha cannot be
    /// higher than its colour's position between them (projection of I − B̄ on F̄ − B̄).
    /// </summary>
    private static double LowerByColour(Mat guide, Mat alpha, Mat probability, int radius, double chinY)
    {
        int w = guide.Width, h = guide.Height;
        using var wf = new Mat();
        using var wb = new Mat();
        Cv2.Multiply(alpha, alpha, wf);
        using (var inv = new Mat())
        {
            // 1 − α as a linear map: OpenCvSharp's Scalar-minus-Mat builds a whole Mat of the scalar first (≈ 5 ms).
            alpha.ConvertTo(inv, MatType.CV_32F, -1, 1);
            Cv2.Multiply(inv, inv, wb);
        }
        using var f = WeightedMean(guide, wf, radius);
        using var b = WeightedMean(guide, wb, radius);
        var a = alpha.AsSpan<float>();
        var prob = probability.AsSpan<float>();
        var g = guide.AsSpan<float>();
        var fs = f.AsSpan<float>();
        var bs = b.AsSpan<float>();
        const float minContrast = 25f / 255 * (25f / 255);
        var headEnd = Math.Clamp((int)chinY, 0, h) * w;
        int edge = 0, alike = 0;
        for (var i = 0; i < w * h; i++)
        {
            if (a[i] <= 0.01f || a[i] >= 0.99f) continue;
            var j = 3 * i;
            float d0 = fs[j] - bs[j], d1 = fs[j + 1] - bs[j + 1], d2 = fs[j + 2] - bs[j + 2];
            var dd = d0 * d0 + d1 * d1 + d2 * d2;
            if (i < headEnd && a[i] is > 0.1f and < 0.9f)
            {
                edge++;
                if (dd < minContrast) alike++;
            }
            if (dd < minContrast)
            {
                // Person and wall alike (dark hair on a dark wall): the photo cannot guide the
                // edge, so the filter would only blur it into a halo; the model's own edge, made
                // steep, is the better guess.
                a[i] = Math.Min(a[i], Math.Clamp((prob[i] - 0.7f) / 0.2f, 0, 1));
                continue;
            }
            var t = ((g[j] - bs[j]) * d0 + (g[j + 1] - bs[j + 1]) * d1 + (g[j + 2] - bs[j + 2]) * d2) / dd;
            if (t < a[i]) a[i] = Math.Max(0, t);
        }
        return edge == 0 ? 0 : alike / (double)edge;
    }

    /// <summary>
    /// Another person (or object) whose outline joins the subject's: walking outwards from the
    /// crown along the outline's top, the subject's head only ever descends towards the shoulders;
    /// when the outline rises again by a tenth of a face width above the shoulders, something else
    /// stands there, touching the subject. No seam between the two can be trusted (cutting at the
    /// valley slices the subject's own hair), so this is measured and reported, not cut.
    /// </summary>
    /// <returns>How far, in face widths, the outline rises again beyond the valley (0 when it never does).</returns>
    private static double NeighbourRise(Mat alpha, FaceLayout face)
    {
        var a = alpha.AsSpan<float>();
        int w = alpha.Width, h = alpha.Height;
        var top = new int[w];
        for (var x = 0; x < w; x++)
        {
            var y = 0;
            while (y < h && a[y * w + x] < 0.5f) y++;
            top[x] = y;
        }
        var shoulders = Math.Min(h, (int)(face.ChinY + 0.5 * (face.ChinY - face.Eye.Y)));
        var highest = 0.0;
        foreach (var step in new[] { -1, 1 })
        {
            // Start at the crown: the highest column within a quarter face width of the centre.
            var x = (int)Math.Clamp(face.Eye.X, 0, w - 1);
            for (var c = (int)(face.Eye.X - 0.25 * face.Width); c <= face.Eye.X + 0.25 * face.Width; c++)
                if (c >= 0 && c < w && top[c] < top[x]) x = c;
            var valley = x;
            for (; x >= 0 && x < w; x += step)
            {
                if (top[x] >= shoulders) break;
                if (top[x] > top[valley]) valley = x;
                if (Math.Abs(x - face.Eye.X) >= 0.5 * face.Width) highest = Math.Max(highest, (top[valley] - top[x]) / face.Width);
            }
        }
        return highest;
    }

    /// <summary>
    /// Above the brows the person is hair (or scalp). A soft pixel there whose colour is far from
    /// the hair's own (its median over solid hair on the crown) is background the model took for
    /// hair — a blurred sign or light behind the head — and is faded out.
    /// </summary>
    private static void LowerByHairColour(Mat guide, Mat alpha, FaceLayout face)
    {
        int w = guide.Width, h = guide.Height;
        var a = alpha.AsSpan<float>();
        var g = guide.AsSpan<float>();
        var crownEnd = Math.Clamp((int)(face.Eye.Y - 0.6 * face.Width), 0, h);
        var x0 = Math.Clamp((int)(face.Eye.X - 0.35 * face.Width), 0, w);
        var x1 = Math.Clamp((int)(face.Eye.X + 0.35 * face.Width), 0, w);
        var hair = new List<(float R, float G, float B)>();
        for (var y = 0; y < crownEnd; y++)
            for (var x = x0; x < x1; x++)
            {
                var i = y * w + x;
                if (a[i] > 0.95f) hair.Add((g[3 * i], g[3 * i + 1], g[3 * i + 2]));
            }
        if (hair.Count < 50) return;
        float Median(Func<(float R, float G, float B), float> c) => hair.Select(c).Order().ElementAt(hair.Count / 2);
        var (hr, hg, hb) = (Median(p => p.R), Median(p => p.G), Median(p => p.B));
        var spread = hair.Select(p => MathF.Abs(p.R - hr) + MathF.Abs(p.G - hg) + MathF.Abs(p.B - hb)).Order().ElementAt(hair.Count / 2);
        var limit = Math.Max(0.25f, 3 * spread);
        var browY = Math.Clamp((int)(face.Eye.Y - 0.3 * face.Width), 0, h);
        for (var i = 0; i < browY * w; i++)
        {
            if (a[i] is <= 0.02f or >= 0.98f) continue;
            var d = MathF.Abs(g[3 * i] - hr) + MathF.Abs(g[3 * i + 1] - hg) + MathF.Abs(g[3 * i + 2] - hb);
            if (d > limit) a[i] *= Math.Clamp(2 - d / limit, 0, 1);
        }
    }

    /// <summary>Box-filtered mean of a 3-channel image under per-pixel weights.</summary>
    private static Mat WeightedMean(Mat image, Mat weight, int radius)
    {
        var k = new Size(2 * radius + 1, 2 * radius + 1);
        using var w3 = new Mat();
        Cv2.Merge([weight, weight, weight], w3);
        using var weighted = new Mat();
        Cv2.Multiply(image, w3, weighted);
        var num = new Mat();
        Cv2.BoxFilter(weighted, num, MatType.CV_32F, k);
        using var den = new Mat();
        Cv2.BoxFilter(w3, den, MatType.CV_32F, k);
        den.ConvertTo(den, MatType.CV_32F, 1, 1e-4);
        Cv2.Divide(num, den, num);
        return num;
    }

    /// <summary>Zeroes what is not connected to the face (kept within <paramref name="reach"/> px of it).</summary>
    private static void KeepSubject(Mat alpha, PointD face, int reach)
    {
        using var binary = new Mat();
        Cv2.Threshold(alpha, binary, 0.5, 255, ThresholdTypes.Binary);
        binary.ConvertTo(binary, MatType.CV_8U);
        using var labels = new Mat();
        var count = Cv2.ConnectedComponents(binary, labels, PixelConnectivity.Connectivity8, MatType.CV_32S);
        if (count <= 1) return;
        var subject = SubjectLabel(labels, face);
        if (subject <= 0) return;
        using var keep = new Mat();
        Cv2.Compare(labels, new Scalar(subject), keep, CmpTypes.EQ);
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(2 * reach + 1, 2 * reach + 1));
        Cv2.Dilate(keep, keep, kernel);
        using var soft = new Mat();
        keep.ConvertTo(soft, MatType.CV_32F, 1 / 255.0);
        Cv2.GaussianBlur(soft, soft, new Size(0, 0), reach / 2.0);
        Cv2.Multiply(alpha, soft, alpha);
    }

    /// <summary>The component under the face centre, or the one most common in a small box around it.</summary>
    private static int SubjectLabel(Mat labels, PointD face)
    {
        var l = labels.AsSpan<int>();
        int w = labels.Width, h = labels.Height;
        var counts = new Dictionary<int, int>();
        var r = Math.Max(2, w / 20);
        for (var y = Math.Max(0, (int)face.Y - r); y < Math.Min(h, (int)face.Y + r); y++)
            for (var x = Math.Max(0, (int)face.X - r); x < Math.Min(w, (int)face.X + r); x++)
                if (l[y * w + x] > 0) counts[l[y * w + x]] = counts.GetValueOrDefault(l[y * w + x]) + 1;
        return counts.Count == 0 ? 0 : counts.MaxBy(kv => kv.Value).Key;
    }

    /// <summary>
    /// The person on the spec colour. Where alpha is partial, the colour the old background lent
    /// the pixel is replaced by the new one: out = I + (1 − α)(B_new − B_local), with B_local the
    /// background colour nearby (which also removes the old wall's tint from hair edges); the
    /// faintest pixels take their colour from the person nearby instead: α·F̄ + (1 − α)·B_new.
    /// </summary>
    public static Mat Composite(Mat rgb, Mat alpha, RgbColour background)
    {
        int w = rgb.Width, h = rgb.Height;
        using var image = new Mat();
        rgb.ConvertTo(image, MatType.CV_32FC3);
        using var inv = new Mat();
        alpha.ConvertTo(inv, MatType.CV_32F, -1, 1);
        using var local = WeightedMean(image, inv, Math.Max(6, w / 18));
        using var solid = new Mat();
        Cv2.Multiply(alpha, alpha, solid);
        Cv2.Multiply(solid, solid, solid);
        using var fore = WeightedMean(image, solid, Math.Max(4, w / 40));
        var output = new Mat(h, w, MatType.CV_8UC3);
        var o = output.AsSpan<byte>();
        var src = image.AsSpan<float>();
        var bl = local.AsSpan<float>();
        var fl = fore.AsSpan<float>();
        var a = alpha.AsSpan<float>();
        float br = background.R, bg = background.G, bb = background.B;
        for (var i = 0; i < w * h; i++)
        {
            var j = 3 * i;
            if (a[i] < 0.01f)
            {
                o[j] = background.R; o[j + 1] = background.G; o[j + 2] = background.B;
                continue;
            }
            var k = 1 - a[i];
            // The fainter the pixel, the more its colour is taken from the solid person nearby
            // (F̄, the local mean under α⁴) rather than from the photo, where the old wall shows
            // through and would stay as a coloured fringe.
            var t = Math.Clamp((0.8f - a[i]) / 0.6f, 0, 1);
            o[j] = Clamp((1 - t) * (src[j] + k * (br - bl[j])) + t * (a[i] * fl[j] + k * br));
            o[j + 1] = Clamp((1 - t) * (src[j + 1] + k * (bg - bl[j + 1])) + t * (a[i] * fl[j + 1] + k * bg));
            o[j + 2] = Clamp((1 - t) * (src[j + 2] + k * (bb - bl[j + 2])) + t * (a[i] * fl[j + 2] + k * bb));
        }
        return output;
    }

    private static byte Clamp(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
}

/// <summary>A refined matte and what refining it found.</summary>
/// <param name="Alpha">CV_32F 0–1.</param>
/// <param name="LowContrastEdge">Share of the head's edge (above the chin) where person and background
/// colours nearby are too alike to tell apart (the matte there is the model's guess).</param>
/// <param name="NeighbourRise">How far (face widths) the outline rises again beside the head: another person or object touching the subject.</param>
internal sealed record Matte(Mat Alpha, double LowContrastEdge, double NeighbourRise);

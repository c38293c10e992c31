using PhotoReceipt.Imaging.Detection;
using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Imaging.Matting;

/// <summary>
/// OpenCV GrabCut seeded from the landmarks (face, neck and chest are surely the person; the
/// region's top and upper sides are surely wall) — dependable on plain walls, not on clutter,
/// which is why the pipeline measures the background before trusting it.
/// </summary>
internal sealed class GrabCutMatting(int iterations) : IPortraitMatting
{
    private const byte Bg = 0, Fg = 1, ProbBg = 2, ProbFg = 3;
    private const int MinSeeds = 64;

    public RgbImage Segment(RgbImage region, FaceLandmarks face, double headTopGuess, bool[] inside)
    {
        var w = region.Width;
        var h = region.Height;
        var trimap = new byte[w * h];
        Array.Fill(trimap, ProbBg);

        var eye = face.EyeMid;
        var chin = face.Chin.Y;
        var fw = face.FaceWidth;
        var lower = Math.Max(1, chin - eye.Y);           // eye line to chin
        var headCy = (headTopGuess + chin) / 2;
        var headRy = (chin - headTopGuess) / 2 * 1.15;
        var headRx = fw * 0.68;
        var band = Math.Max(2, (int)(0.03 * Math.Max(w, h)));
        var shoulderY = chin + 0.35 * lower;

        // Jaw + eyebrows outline, pulled 12 % towards its centre: certainly skin.
        var outline = new List<PointD>();
        for (var i = 0; i <= 16; i++) outline.Add(face.Points[i]);
        for (var i = 26; i >= 17; i--) outline.Add(face.Points[i]);
        var cx = outline.Average(p => p.X);
        var cy = outline.Average(p => p.Y);
        var inner = outline.Select(p => new PointD(cx + (p.X - cx) * 0.88, cy + (p.Y - cy) * 0.88)).ToArray();

        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                byte v = ProbBg;
                var dx = (x - eye.X) / headRx;
                var dy = (y - headCy) / headRy;
                if (dx * dx + dy * dy <= 1) v = ProbFg;
                if (y > chin - 0.1 * lower)
                {
                    // Body widens from the neck to the shoulders, then stays wide.
                    var t = Math.Clamp((y - chin) / (1.2 * lower), 0, 1);
                    var half = fw * (0.45 + 0.95 * t);
                    if (Math.Abs(x - eye.X) <= half) v = ProbFg;
                    if (Math.Abs(x - eye.X) <= fw * 0.2 && y <= chin + 0.5 * lower) v = Fg;          // neck
                    if (Math.Abs(x - eye.X) <= fw * 0.55 && y >= chin + 1.2 * lower) v = Fg;         // chest
                }
                // Sure-background seeds only on real pixels: where the region runs past the photo's
                // edge, a cut-off head repeats upwards and must be allowed to show as person.
                var real = inside[y * w + x];
                if (real && (y < band || ((x < band || x >= w - band) && y < shoulderY))) v = Bg;
                if (real && y < headTopGuess - 0.25 * lower && Math.Abs(x - eye.X) > headRx * 1.3) v = Bg;
                trimap[y * w + x] = v;
            }
        }
        FillPolygon(trimap, w, h, inner, Fg);

        // GrabCut fits five-component colour models on each side; with almost no samples on one
        // side (a region nearly all face) it cannot, so the seeds themselves are the answer.
        var fgSeeds = trimap.Count(v => v is Fg or ProbFg);
        if (fgSeeds < MinSeeds || trimap.Length - fgSeeds < MinSeeds)
        {
            var seedsOnly = new RgbImage(w, h, 1);
            for (var i = 0; i < trimap.Length; i++) seedsOnly.Pixels[i] = trimap[i] is Fg or ProbFg ? (byte)255 : (byte)0;
            return seedsOnly;
        }
        return NativeOps.GrabCut(region, trimap, iterations);
    }

    private static void FillPolygon(byte[] target, int w, int h, PointD[] poly, byte value)
    {
        var minY = Math.Max(0, (int)Math.Floor(poly.Min(p => p.Y)));
        var maxY = Math.Min(h - 1, (int)Math.Ceiling(poly.Max(p => p.Y)));
        var xs = new List<double>();
        for (var y = minY; y <= maxY; y++)
        {
            xs.Clear();
            var sy = y + 0.5;
            for (int i = 0, j = poly.Length - 1; i < poly.Length; j = i++)
            {
                var (a, b) = (poly[i], poly[j]);
                if ((a.Y <= sy) != (b.Y <= sy)) xs.Add(a.X + (sy - a.Y) / (b.Y - a.Y) * (b.X - a.X));
            }
            xs.Sort();
            for (var k = 0; k + 1 < xs.Count; k += 2)
            {
                var x0 = Math.Max(0, (int)Math.Ceiling(xs[k] - 0.5));
                var x1 = Math.Min(w - 1, (int)Math.Floor(xs[k + 1] - 0.5));
                for (var x = x0; x <= x1; x++) target[y * w + x] = value;
            }
        }
    }
}

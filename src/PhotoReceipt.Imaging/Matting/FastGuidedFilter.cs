using OpenCvSharp;

namespace PhotoReceipt.Imaging.Matting;

/// <summary>
/// The colour guided filter (He, Sun, Tang) with its linear coefficients computed at half
/// resolution and applied at full resolution (He &amp; Sun, "Fast Guided Filter", 2015): the edges
/// still come from the full-resolution photo, at about a fifth of the cost of OpenCV's
/// full-resolution filter (≈ 4 ms instead of 18 ms on a 400×760 frame).
/// </summary>
internal static class FastGuidedFilter
{
    /// <param name="guide">CV_32FC3, 0–1.</param>
    /// <param name="input">CV_32FC1, the signal to filter (the model's person probability).</param>
    /// <param name="radius">Window radius at full resolution.</param>
    /// <param name="eps">Regularisation (edge-preservation threshold), in guide units squared.</param>
    public static Mat Apply(Mat guide, Mat input, int radius, double eps)
    {
        int w = guide.Width, h = guide.Height;
        int sw = Math.Max(1, w / 2), sh = Math.Max(1, h / 2);
        using var g = new Mat();
        using var p = new Mat();
        Cv2.Resize(guide, g, new Size(sw, sh), 0, 0, InterpolationFlags.Area);
        Cv2.Resize(input, p, new Size(sw, sh), 0, 0, InterpolationFlags.Area);
        var box = new Size(2 * Math.Max(1, radius / 2) + 1, 2 * Math.Max(1, radius / 2) + 1);
        var channels = g.Split();
        try
        {
            Mat Mean(Mat m)
            {
                var r = new Mat();
                Cv2.BoxFilter(m, r, MatType.CV_32F, box);
                return r;
            }
            Mat Product(Mat a, Mat b)
            {
                var r = new Mat();
                Cv2.Multiply(a, b, r);
                return r;
            }
            var (r0, g0, b0) = (channels[0], channels[1], channels[2]);
            using var mr = Mean(r0);
            using var mg = Mean(g0);
            using var mb = Mean(b0);
            using var mp = Mean(p);
            using var prr = Product(r0, r0);
            using var prg = Product(r0, g0);
            using var prb = Product(r0, b0);
            using var pgg = Product(g0, g0);
            using var pgb = Product(g0, b0);
            using var pbb = Product(b0, b0);
            using var prp = Product(r0, p);
            using var pgp = Product(g0, p);
            using var pbp = Product(b0, p);
            using var mrr = Mean(prr);
            using var mrg = Mean(prg);
            using var mrb = Mean(prb);
            using var mgg = Mean(pgg);
            using var mgb = Mean(pgb);
            using var mbb = Mean(pbb);
            using var mrp = Mean(prp);
            using var mgp = Mean(pgp);
            using var mbp = Mean(pbp);

            // Per window: a = (Σ + εU)⁻¹ cov(I, p), b = mean(p) − a·mean(I).
            using var a = new Mat(sh, sw, MatType.CV_32FC3);
            using var bb = new Mat(sh, sw, MatType.CV_32FC1);
            Solve(a, bb, mr, mg, mb, mp, mrr, mrg, mrb, mgg, mgb, mbb, mrp, mgp, mbp, (float)eps);
            using var am = Mean(a);
            using var bm = Mean(bb);
            using var aUp = new Mat();
            using var bUp = new Mat();
            Cv2.Resize(am, aUp, new Size(w, h), 0, 0, InterpolationFlags.Linear);
            Cv2.Resize(bm, bUp, new Size(w, h), 0, 0, InterpolationFlags.Linear);
            var q = new Mat(h, w, MatType.CV_32FC1);
            var qs = q.AsSpan<float>();
            var gs = guide.AsSpan<float>();
            var asn = aUp.AsSpan<float>();
            var bs = bUp.AsSpan<float>();
            for (var i = 0; i < qs.Length; i++)
                qs[i] = asn[3 * i] * gs[3 * i] + asn[3 * i + 1] * gs[3 * i + 1] + asn[3 * i + 2] * gs[3 * i + 2] + bs[i];
            return q;
        }
        finally
        {
            foreach (var c in channels) c.Dispose();
        }
    }

    private static void Solve(Mat a, Mat b, Mat mr, Mat mg, Mat mb, Mat mp, Mat mrr, Mat mrg, Mat mrb, Mat mgg, Mat mgb, Mat mbb,
        Mat mrp, Mat mgp, Mat mbp, float eps)
    {
        var av = a.AsSpan<float>();
        var bv = b.AsSpan<float>();
        ReadOnlySpan<float> r = mr.AsSpan<float>(), g = mg.AsSpan<float>(), bl = mb.AsSpan<float>(), p = mp.AsSpan<float>();
        ReadOnlySpan<float> rr = mrr.AsSpan<float>(), rg = mrg.AsSpan<float>(), rb = mrb.AsSpan<float>();
        ReadOnlySpan<float> gg = mgg.AsSpan<float>(), gb = mgb.AsSpan<float>(), bbv = mbb.AsSpan<float>();
        ReadOnlySpan<float> rp = mrp.AsSpan<float>(), gp = mgp.AsSpan<float>(), bp = mbp.AsSpan<float>();
        for (var i = 0; i < bv.Length; i++)
        {
            // Covariance of the guide (symmetric 3×3) plus ε on the diagonal, and cov(I, p).
            double s00 = rr[i] - r[i] * r[i] + eps, s01 = rg[i] - r[i] * g[i], s02 = rb[i] - r[i] * bl[i];
            double s11 = gg[i] - g[i] * g[i] + eps, s12 = gb[i] - g[i] * bl[i], s22 = bbv[i] - bl[i] * bl[i] + eps;
            double c0 = rp[i] - r[i] * p[i], c1 = gp[i] - g[i] * p[i], c2 = bp[i] - bl[i] * p[i];
            // Inverse by cofactors.
            double i00 = s11 * s22 - s12 * s12, i01 = s02 * s12 - s01 * s22, i02 = s01 * s12 - s02 * s11;
            double i11 = s00 * s22 - s02 * s02, i12 = s01 * s02 - s00 * s12, i22 = s00 * s11 - s01 * s01;
            var det = s00 * i00 + s01 * i01 + s02 * i02;
            var a0 = (i00 * c0 + i01 * c1 + i02 * c2) / det;
            var a1 = (i01 * c0 + i11 * c1 + i12 * c2) / det;
            var a2 = (i02 * c0 + i12 * c1 + i22 * c2) / det;
            av[3 * i] = (float)a0;
            av[3 * i + 1] = (float)a1;
            av[3 * i + 2] = (float)a2;
            bv[i] = (float)(p[i] - a0 * r[i] - a1 * g[i] - a2 * bl[i]);
        }
    }
}

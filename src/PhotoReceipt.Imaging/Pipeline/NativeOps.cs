using PhotoReceipt.Imaging.Interop;

namespace PhotoReceipt.Imaging.Pipeline;

/// <summary>Safe wrappers over the native pixel operations: buffers are pinned only for the call.</summary>
internal static unsafe class NativeOps
{
    /// <summary>Warps src with the forward map src → dst into a new width×height image (edges repeat).</summary>
    public static RgbImage Warp(RgbImage src, Affine map, int width, int height)
    {
        var dst = new RgbImage(width, height, src.Channels);
        var m = map.ToArray();
        var err = stackalloc byte[NativeImaging.ErrorLength];
        fixed (byte* s = src.Pixels)
        fixed (byte* d = dst.Pixels)
        fixed (double* mp = m)
        {
            var code = NativeImaging.pr_warp_affine(s, src.Width, src.Height, src.Stride, src.Channels, mp, d, width, height, dst.Stride, err, NativeImaging.ErrorLength);
            NativeImaging.Check(code, err, "affine warp");
        }
        return dst;
    }

    /// <summary>GrabCut from a trimap (0 bg, 1 fg, 2 probably bg, 3 probably fg); returns a 0/255 mask.</summary>
    public static RgbImage GrabCut(RgbImage rgb, byte[] trimap, int iterations)
    {
        var mask = new RgbImage(rgb.Width, rgb.Height, 1);
        var err = stackalloc byte[NativeImaging.ErrorLength];
        fixed (byte* p = rgb.Pixels)
        fixed (byte* t = trimap)
        fixed (byte* m = mask.Pixels)
        {
            var code = NativeImaging.pr_grabcut(p, rgb.Width, rgb.Height, rgb.Stride, t, iterations, m, err, NativeImaging.ErrorLength);
            NativeImaging.Check(code, err, "GrabCut");
        }
        return mask;
    }

    /// <summary>Guided-filter alpha from the coarse mask, then the background replaced in place with
    /// colour decontamination; returns the alpha.</summary>
    public static RgbImage MatteComposite(RgbImage rgb, RgbImage coarseMask, int radius, double eps, byte r, byte g, byte b)
    {
        var alpha = new RgbImage(rgb.Width, rgb.Height, 1);
        var err = stackalloc byte[NativeImaging.ErrorLength];
        fixed (byte* p = rgb.Pixels)
        fixed (byte* m = coarseMask.Pixels)
        fixed (byte* a = alpha.Pixels)
        {
            var code = NativeImaging.pr_matte_composite(p, rgb.Width, rgb.Height, rgb.Stride, m, radius, eps, r, g, b, a, err, NativeImaging.ErrorLength);
            NativeImaging.Check(code, err, "matte composite");
        }
        return alpha;
    }
}

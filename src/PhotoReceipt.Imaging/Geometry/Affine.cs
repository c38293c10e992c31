namespace PhotoReceipt.Imaging.Geometry;

/// <summary>A 2×3 affine map (x' = A·x + B·y + C, y' = D·x + E·y + F), as OpenCV's warpAffine takes it.</summary>
internal readonly record struct Affine(double A, double B, double C, double D, double E, double F)
{
    public static Affine Identity => new(1, 0, 0, 0, 1, 0);
    public static Affine Translate(double x, double y) => new(1, 0, x, 0, 1, y);
    public static Affine Scale(double s) => new(s, 0, 0, 0, s, 0);
    public static Affine Scale2(double sx, double sy) => new(sx, 0, 0, 0, sy, 0);

    /// <summary>Rotation by <paramref name="radians"/> (y down) about (cx, cy).</summary>
    public static Affine Rotate(double radians, double cx, double cy)
    {
        var (sin, cos) = Math.SinCos(radians);
        return Compose(Translate(cx, cy), Compose(new Affine(cos, -sin, 0, sin, cos, 0), Translate(-cx, -cy)));
    }

    /// <summary>outer ∘ inner: apply inner, then outer.</summary>
    public static Affine Compose(Affine outer, Affine inner) => new(
        outer.A * inner.A + outer.B * inner.D, outer.A * inner.B + outer.B * inner.E, outer.A * inner.C + outer.B * inner.F + outer.C,
        outer.D * inner.A + outer.E * inner.D, outer.D * inner.B + outer.E * inner.E, outer.D * inner.C + outer.E * inner.F + outer.F);

    public Affine Invert()
    {
        var det = A * E - B * D;
        if (Math.Abs(det) < 1e-12) throw new InvalidOperationException("singular affine map");
        var ia = E / det;
        var ib = -B / det;
        var id = -D / det;
        var ie = A / det;
        return new Affine(ia, ib, -(ia * C + ib * F), id, ie, -(id * C + ie * F));
    }

    public PointD Apply(PointD p) => new(A * p.X + B * p.Y + C, D * p.X + E * p.Y + F);

    public double[] ToArray() => [A, B, C, D, E, F];

    /// <summary>As the 2×3 matrix OpenCV's warpAffine takes (CV_64F).</summary>
    public OpenCvSharp.Mat ToMat()
    {
        var m = new OpenCvSharp.Mat(2, 3, OpenCvSharp.MatType.CV_64FC1);
        var a = ToArray();
        for (var i = 0; i < 6; i++) m.Set(i / 3, i % 3, a[i]);
        return m;
    }
}

internal readonly record struct PointD(double X, double Y)
{
    public static PointD operator +(PointD a, PointD b) => new(a.X + b.X, a.Y + b.Y);
    public static PointD operator -(PointD a, PointD b) => new(a.X - b.X, a.Y - b.Y);
    public static PointD operator *(PointD a, double s) => new(a.X * s, a.Y * s);
    public static PointD operator /(PointD a, double s) => new(a.X / s, a.Y / s);
    public double Length => Math.Sqrt(X * X + Y * Y);
    public static PointD Mid(PointD a, PointD b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);
    public static double Distance(PointD a, PointD b) => (a - b).Length;
}

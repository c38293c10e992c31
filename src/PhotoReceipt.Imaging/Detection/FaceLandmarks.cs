using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Imaging.Detection;

/// <summary>One face: its detector box and the 68 iBUG landmarks, in one image's pixel coordinates.</summary>
internal sealed class FaceLandmarks
{
    public FaceLandmarks(double left, double top, double right, double bottom, double score, PointD[] points)
    {
        if (points.Length != 68) throw new ArgumentException("68 landmarks expected", nameof(points));
        Left = left; Top = top; Right = right; Bottom = bottom; Score = score; Points = points;
    }

    public double Left { get; }
    public double Top { get; }
    public double Right { get; }
    public double Bottom { get; }
    public double Score { get; }
    public IReadOnlyList<PointD> Points { get; }

    /// <summary>Centre of the eye that appears on the left of the image (landmarks 36–41).</summary>
    public PointD LeftEye => Mean(36, 41);
    public PointD RightEye => Mean(42, 47);
    public PointD EyeMid => PointD.Mid(LeftEye, RightEye);
    public PointD Chin => Points[8];
    public PointD NoseTip => Points[30];

    /// <summary>Ear-to-ear face width: the jaw line's outermost points at ear level (0 and 16).</summary>
    public double FaceWidth => (Points[16] - Points[0]).Length;

    /// <summary>Eye-line angle in radians (y down, so positive means the right eye is lower).</summary>
    public double Roll
    {
        get
        {
            var d = RightEye - LeftEye;
            return Math.Atan2(d.Y, d.X);
        }
    }

    public FaceLandmarks Map(Affine m)
    {
        var pts = Points.Select(m.Apply).ToArray();
        var corners = new[] { m.Apply(new(Left, Top)), m.Apply(new(Right, Top)), m.Apply(new(Left, Bottom)), m.Apply(new(Right, Bottom)) };
        return new FaceLandmarks(corners.Min(c => c.X), corners.Min(c => c.Y), corners.Max(c => c.X), corners.Max(c => c.Y), Score, pts);
    }

    /// <summary>Eye aspect ratio (Soukupová–Čech), mean of both eyes; about 0.3 open, below 0.15 closed.</summary>
    public double EyeAspectRatio => (Ear(36) + Ear(42)) / 2;

    /// <summary>Gap between the inner lips relative to mouth width.</summary>
    public double MouthOpenRatio
    {
        get
        {
            var gap = ((Points[61] - Points[67]).Length + (Points[62] - Points[66]).Length + (Points[63] - Points[65]).Length) / 3;
            return gap / Math.Max(1, (Points[64] - Points[60]).Length);
        }
    }

    /// <summary>Yaw estimate in degrees from where the nose tip sits between the jaw ends.</summary>
    public double YawDegrees
    {
        get
        {
            var left = (NoseTip - Points[0]).Length;
            var right = (Points[16] - NoseTip).Length;
            var r = left / Math.Max(1e-6, left + right);
            return Math.Asin(Math.Clamp((r - 0.5) * 2, -1, 1)) * 180 / Math.PI;
        }
    }

    private double Ear(int first)
    {
        var p = Points;
        var v = (p[first + 1] - p[first + 5]).Length + (p[first + 2] - p[first + 4]).Length;
        return v / Math.Max(1e-6, 2 * (p[first + 3] - p[first]).Length);
    }

    private PointD Mean(int from, int to)
    {
        double x = 0, y = 0;
        for (var i = from; i <= to; i++) { x += Points[i].X; y += Points[i].Y; }
        var n = to - from + 1;
        return new PointD(x / n, y / n);
    }
}

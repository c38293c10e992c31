namespace PhotoReceipt.Imaging.Geometry;

/// <summary>
/// The 468 Face Mesh landmarks of one face in one image's pixels (z: relative depth in the same
/// units as x, larger away from the camera), with the indices the pipeline measures by.
/// "Right" and "left" are the subject's: the right eye appears on the left of the image.
/// </summary>
internal sealed class FaceMesh(PointD[] points, double[] z, double presence)
{
    public const int Count = 468;

    public const int ForeheadTop = 10, Chin = 152, RightCheek = 234, LeftCheek = 454, NoseTip = 1;
    public const int RightEyeOuter = 33, RightEyeInner = 133, LeftEyeInner = 362, LeftEyeOuter = 263;
    public const int UpperLipInner = 13, LowerLipInner = 14, MouthRight = 61, MouthLeft = 291, InnerMouthRight = 78, InnerMouthLeft = 308;

    public static readonly int[] RightUpperLid = [160, 159, 158], RightLowerLid = [144, 145, 153];
    public static readonly int[] LeftUpperLid = [385, 386, 387], LeftLowerLid = [380, 374, 373];
    public static readonly int[] RightBrow = [70, 63, 105, 66, 107, 46, 53, 52, 65, 55];
    public static readonly int[] LeftBrow = [300, 293, 334, 296, 336, 276, 283, 282, 295, 285];
    /// <summary>Eye openings (lid margins), clockwise from the outer corner.</summary>
    public static readonly int[] RightEyeContour = [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7];
    public static readonly int[] LeftEyeContour = [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249];
    /// <summary>Outer lip contour.</summary>
    public static readonly int[] OuterLips = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146];
    /// <summary>Inner lip contour, upper (78 → 308 over 13) and lower (78 → 308 under 14).</summary>
    public static readonly int[] UpperInnerLip = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308];
    public static readonly int[] LowerInnerLip = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308];
    /// <summary>The face oval, clockwise from the forehead top.</summary>
    public static readonly int[] Oval =
        [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109];

    public IReadOnlyList<PointD> Points { get; } = points;
    public IReadOnlyList<double> Z { get; } = z;
    /// <summary>The model's own face-presence probability for its crop.</summary>
    public double Presence { get; } = presence;

    public PointD this[int index] => Points[index];

    public PointD RightEye => Mean([RightEyeOuter, RightEyeInner]);
    public PointD LeftEye => Mean([LeftEyeOuter, LeftEyeInner]);
    public PointD EyeMid => PointD.Mid(RightEye, LeftEye);

    /// <summary>Face width between the cheeks (234–454), as GA 461 measures 脸宽.</summary>
    public double FaceWidth => PointD.Distance(Points[RightCheek], Points[LeftCheek]);

    /// <summary>Cheek-to-cheek width in 3D: about the same whether the head is turned or not.</summary>
    public double FaceWidth3D
    {
        get
        {
            var d = Points[LeftCheek] - Points[RightCheek];
            var dz = Z[LeftCheek] - Z[RightCheek];
            return Math.Sqrt(d.X * d.X + d.Y * d.Y + dz * dz);
        }
    }

    /// <summary>Eye-line angle in radians (y down: positive when the subject's left eye is lower).</summary>
    public double Roll
    {
        get
        {
            var d = LeftEye - RightEye;
            return Math.Atan2(d.Y, d.X);
        }
    }

    public FaceMesh Map(Affine m)
    {
        var scale = Math.Sqrt(Math.Abs(m.A * m.E - m.B * m.D));
        return new FaceMesh(Points.Select(m.Apply).ToArray(), Z.Select(v => v * scale).ToArray(), Presence);
    }

    public PointD Mean(IEnumerable<int> indices)
    {
        double x = 0, y = 0;
        var n = 0;
        foreach (var i in indices) { x += Points[i].X; y += Points[i].Y; n++; }
        return new PointD(x / n, y / n);
    }

    /// <summary>Where the face sits, as the matte needs it.</summary>
    public FaceLayout Layout => new(EyeMid, FaceWidth, Points[Chin].Y);

    public (double X0, double Y0, double X1, double Y1) Bounds(IEnumerable<int>? indices = null)
    {
        var pts = indices is null ? Points : indices.Select(i => Points[i]).ToList();
        return (pts.Min(p => p.X), pts.Min(p => p.Y), pts.Max(p => p.X), pts.Max(p => p.Y));
    }
}

/// <summary>The face in an output frame: eye midpoint, cheek-to-cheek width, chin height.</summary>
internal readonly record struct FaceLayout(PointD Eye, double Width, double ChinY);

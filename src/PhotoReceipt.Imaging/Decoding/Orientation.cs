using OpenCvSharp;

namespace PhotoReceipt.Imaging.Decoding;

/// <summary>EXIF orientation (1–8): how the stored pixels turn upright, as libvips' autorot does it.</summary>
internal static class Orientation
{
    /// <summary>The upright image; <paramref name="stored"/> is returned as is for 1 (or an unknown value) and disposed otherwise.</summary>
    public static Mat Upright(Mat stored, int orientation)
    {
        if (orientation is < 2 or > 8) return stored;
        var upright = new Mat();
        using (stored)
        {
            switch (orientation)
            {
                case 2: Cv2.Flip(stored, upright, FlipMode.Y); break;
                case 3: Cv2.Rotate(stored, upright, RotateFlags.Rotate180); break;
                case 4: Cv2.Flip(stored, upright, FlipMode.X); break;
                case 5: Cv2.Transpose(stored, upright); break;
                case 6: Cv2.Rotate(stored, upright, RotateFlags.Rotate90Clockwise); break;
                case 7:
                    Cv2.Transpose(stored, upright);
                    Cv2.Flip(upright, upright, FlipMode.XY);
                    break;
                case 8: Cv2.Rotate(stored, upright, RotateFlags.Rotate90Counterclockwise); break;
            }
        }
        return upright;
    }
}

using OpenCvSharp;
using PhotoReceipt.Imaging.Models;

namespace PhotoReceipt.Imaging.Geometry;

/// <summary>Head rotation in degrees: yaw (turned left/right), pitch (nodding; positive = chin up), roll (tilt).</summary>
internal readonly record struct HeadPose(double Yaw, double Pitch, double Roll)
{
    /// <summary>
    /// Fits MediaPipe's canonical face to the mesh with solvePnP (a pinhole camera whose focal
    /// length is the image's long side, a typical phone field of view) and reads the rotation as
    /// yaw, pitch, roll. Unlike a 2D proxy (nose between the cheeks) this has no built-in bias on a
    /// frontal face.
    /// </summary>
    public static HeadPose Estimate(FaceMesh mesh, Point3[] canonical, int imageWidth, int imageHeight)
    {
        // Canonical: x to the image right, y up, z towards the camera; OpenCV's camera: y down, z away.
        var objectPoints = canonical.Select(p => new Point3f((float)p.X, (float)-p.Y, (float)-p.Z)).ToArray();
        var imagePoints = mesh.Points.Select(p => new Point2f((float)p.X, (float)p.Y)).ToArray();
        double f = Math.Max(imageWidth, imageHeight);
        var camera = new double[,] { { f, 0, imageWidth / 2.0 }, { 0, f, imageHeight / 2.0 }, { 0, 0, 1 } };
        var rvec = new double[3];
        var tvec = new double[3];
        Cv2.SolvePnP(objectPoints, imagePoints, camera, [], ref rvec, ref tvec, false, SolvePnPMethod.Iterative);
        using var rv = Mat.FromPixelData(3, 1, MatType.CV_64FC1, rvec);
        using var r = new Mat();
        Cv2.Rodrigues(rv, r);
        // The face's own axes seen from the camera, corrected for where the face sits in the frame:
        // a frontal face off-centre is seen slightly from the side, which is not a turned head.
        var ray = Normalize(tvec[0], tvec[1], tvec[2]);
        var yawOffset = Math.Atan2(ray.X, ray.Z);
        var pitchOffset = Math.Atan2(-ray.Y, Math.Sqrt(ray.X * ray.X + ray.Z * ray.Z));
        double r00 = r.At<double>(0, 0), r10 = r.At<double>(1, 0), r20 = r.At<double>(2, 0), r21 = r.At<double>(2, 1), r22 = r.At<double>(2, 2);
        var pitch = Math.Atan2(r21, r22);
        var yaw = Math.Atan2(-r20, Math.Sqrt(r21 * r21 + r22 * r22));
        var roll = Math.Atan2(r10, r00);
        const double deg = 180 / Math.PI;
        return new HeadPose((yaw - yawOffset) * deg, -(pitch - pitchOffset) * deg, roll * deg);
    }

    private static (double X, double Y, double Z) Normalize(double x, double y, double z)
    {
        var n = Math.Sqrt(x * x + y * y + z * z);
        return (x / n, y / n, z / n);
    }
}

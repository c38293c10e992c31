using OpenCvSharp;
using PhotoReceipt.Imaging.Geometry;
using PhotoReceipt.Imaging.Matting;
using PhotoReceipt.Imaging.Models;

namespace PhotoReceipt.Imaging.Pipeline;

/// <summary>The person the photo is of, and who else the detector saw.</summary>
/// <param name="Face">The subject's detection (the largest face).</param>
/// <param name="Mesh">The subject's 468 landmarks.</param>
/// <param name="Others">Every other face found, largest first.</param>
internal sealed record Subject(DetectedFace Face, FaceMesh Mesh, HeadPose Pose, IReadOnlyList<DetectedFace> Others)
{
}

/// <summary>Finds faces (far model, then near), picks the subject and fits the mesh and head pose.</summary>
internal static class FaceAnalysis
{
    private const double MinTiltedScore = 0.75;

    /// <returns>The subject, or null with how many faces were seen (0) when there is none.</returns>
    public static Subject? Find(Mat work, ModelSet models, Point3[] canonical)
    {
        var faces = models.FarFaces.Detect(work);
        if (faces.Count == 0) faces = models.NearFaces.Detect(work);
        if (faces.Count == 0) return FindTilted(work, models, canonical);
        var ordered = faces.OrderByDescending(f => f.Width * f.Height).ToList();
        var mesh = models.Mesh.Run(work, ordered[0]);
        return new Subject(ordered[0], mesh, HeadPose.Estimate(mesh, canonical, work.Width, work.Height), ordered.Skip(1).ToList());
    }

    /// <summary>BlazeFace misses faces tilted far past the vertical: look again in copies turned
    /// ±35°, so that a heavy tilt is reported as a tilt rather than as "no face".</summary>
    private static Subject? FindTilted(Mat work, ModelSet models, Point3[] canonical)
    {
        foreach (var degrees in new[] { 35.0, -35.0 })
        {
            var turn = Affine.Rotate(degrees * Math.PI / 180, work.Width / 2.0, work.Height / 2.0);
            using var turned = Warp.Image(work, turn, work.Width, work.Height, BorderTypes.Replicate);
            // Only a confident face here: a turned copy of a plain wall or a hand must stay "no face".
            var faces = models.FarFaces.Detect(turned).Where(f => f.Score >= MinTiltedScore).ToList();
            if (faces.Count == 0) continue;
            var face = faces.OrderByDescending(f => f.Width * f.Height).First();
            var mesh = models.Mesh.Run(turned, face).Map(turn.Invert());
            var back = turn.Invert();
            var box = new DetectedFace(face.Left, face.Top, face.Width, face.Height, face.Score, face.Keypoints.Select(back.Apply).ToArray());
            var centre = back.Apply(face.Centre);
            box = box with { Left = centre.X - face.Width / 2, Top = centre.Y - face.Height / 2 };
            return new Subject(box, mesh, HeadPose.Estimate(mesh, canonical, work.Width, work.Height), []);
        }
        return null;
    }
}

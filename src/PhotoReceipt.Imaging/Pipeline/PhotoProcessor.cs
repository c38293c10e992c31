using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenCvSharp;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Core.Telemetry;
using PhotoReceipt.Imaging.Checks;
using PhotoReceipt.Imaging.Decoding;
using PhotoReceipt.Imaging.Encoding;
using PhotoReceipt.Imaging.Framing;
using PhotoReceipt.Imaging.Geometry;
using PhotoReceipt.Imaging.Matting;
using PhotoReceipt.Imaging.Models;
using PhotoReceipt.Imaging.Preview;

namespace PhotoReceipt.Imaging.Pipeline;

/// <summary>Per-stage timings: kept for a caller that passes one in (the benchmark), and recorded as the stage-duration metric.</summary>
internal sealed class StageTimes
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    public Dictionary<string, double> Ms { get; } = [];

    public void Lap(string stage)
    {
        var elapsed = _clock.Elapsed;
        Ms[stage] = Ms.GetValueOrDefault(stage) + elapsed.TotalMilliseconds;
        PhotoReceiptTelemetry.PhotoStageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("photo.stage", stage));
        _clock.Restart();
    }
}

/// <summary>What a run kept for a person to look at (the development contact sheet).</summary>
internal sealed record ProcessTrace(Mat? Work, Subject? Subject, RenderedPortrait? Portrait, OutputGeometry? Geometry, FaceFacts? Facts = null);

/// <summary>
/// The stages of one photo on one thread: decode, find the face, measure it, frame it, matte and
/// composite, measure the result, encode. Every rule is measured that can be; the report lists
/// every failure, most useful fix first.
/// </summary>
internal sealed class PhotoProcessor(ImagingOptions options, ModelPool models, Point3[] canonical, ILogger logger)
{
    public PhotoResult Process(byte[] source, PhotoSpec spec, RgbColour background, StageTimes? times, CancellationToken ct) =>
        Process(source, spec, background, times ?? new StageTimes(), null, ct);

    internal PhotoResult Process(byte[] source, PhotoSpec spec, RgbColour background, StageTimes times, List<ProcessTrace>? trace, CancellationToken ct)
    {
        var report = new CheckReportBuilder();
        DecodedPhoto decoded;
        try
        {
            decoded = PhotoDecoder.Decode(source, options.MaxSourcePixels, options.DecodeSize);
        }
        catch (PhotoRejectedException rejected)
        {
            if (rejected.Detail is not null) logger.LogInformation("Photo refused as {Check}: {Detail}", rejected.Check.Id, rejected.Detail);
            report.Add(rejected.Check);
            return new PhotoResult(null, null, report.Build());
        }
        times.Lap("decode");
        var set = models.Rent();
        try
        {
            using (decoded) return Run(decoded, source, spec, background, set, report, times, trace, ct);
        }
        finally
        {
            models.Return(set);
        }
    }

    private PhotoResult Run(DecodedPhoto decoded, byte[] source, PhotoSpec spec, RgbColour background, ModelSet set, CheckReportBuilder report,
        StageTimes times, List<ProcessTrace>? trace, CancellationToken ct)
    {
        var master = decoded.Rgb;
        // A whole-number reduction (1/2, 1/3 …) to about WorkingSize (up to a quarter more):
        // OpenCV averages those fast, and a 1008 px decode is not halved to 504.
        var reduce = (int)Math.Ceiling(Math.Max(master.Width, master.Height) / (1.25 * options.WorkingSize));
        using var work = new Mat();
        if (reduce <= 1) master.CopyTo(work);
        else Cv2.Resize(master, work, new Size(Math.Max(1, master.Width / reduce), Math.Max(1, master.Height / reduce)), 0, 0, InterpolationFlags.Area);
        var kw = (double)work.Width / master.Width;
        times.Lap("working copy");

        var subject = FaceAnalysis.Find(work, set, canonical);
        times.Lap("faces");
        if (subject is null)
        {
            FaceRules.NoFace(report);
            trace?.Add(new ProcessTrace(work.Clone(), null, null, null));
            return new PhotoResult(null, null, report.Build());
        }
        ct.ThrowIfCancellationRequested();

        var mesh = subject.Mesh;
        using var coarse = set.Segmenter.Segment(work);
        var facts = FaceMeasures.Measure(work, mesh, coarse);
        var sourcePerWork = decoded.SourceWidth / (double)work.Width;
        FaceRules.Add(report, subject, facts, options);
        times.Lap("face checks");

        // Level the eyes about their midpoint; plan the first framing from the whole-frame matte.
        var eye = mesh.EyeMid;
        var level = Affine.Rotate(-mesh.Roll, eye.X, eye.Y);
        var lm = mesh.Map(level);
        var windows = SpecWindows.For(spec);
        var headTop0 = CoarseHeadTop(coarse, work, level, lm);
        // The photo's bottom edge, levelled: a frame reaching past it needs clothing made up.
        var bottomLeft = level.Apply(new PointD(0, work.Height));
        var bottomRight = level.Apply(new PointD(work.Width, work.Height));
        double PhotoBottom(double x0, double x1)
        {
            double At(double x) => bottomLeft.Y + (bottomRight.Y - bottomLeft.Y) * (x - bottomLeft.X) / (bottomRight.X - bottomLeft.X);
            return Math.Min(At(x0), At(x1));
        }
        var plan = CropPlanner.Plan(spec, windows, CoarseHeadWidth(coarse, work, level, lm), headTop0, lm[FaceMesh.Chin].Y, lm.EyeMid, sourcePerWork, PhotoBottom);
        times.Lap("coarse matte");

        // Resolution: the face must not be enlarged beyond what the source really has.
        // Output pixels per decoded pixel above 1: the decode is too small for this framing.
        using var larger = plan.Scale * kw > 1.0 && !decoded.IsFullSize
            ? PhotoDecoder.Decode(source, options.MaxSourcePixels,
                (int)Math.Ceiling(Math.Max(decoded.SourceWidth, decoded.SourceHeight) * Math.Min(1.0, 1.1 * plan.Scale / sourcePerWork)))
            : null;
        if (larger is not null)
        {
            kw *= (double)master.Width / larger.Rgb.Width;
            master = larger.Rgb;
            times.Lap("decode again");
        }
        ct.ThrowIfCancellationRequested();

        using var renderer = new PortraitRenderer(master, set.Segmenter, background);
        var masterToLevel = Affine.Compose(level, Affine.Scale(kw));
        RenderedPortrait? portrait = null;
        try
        {
            // The frame is rendered taller than the output (half an output height more above it and
            // a little below),
            // so that hair and anything on it are seen whole; head top and width are measured on
            // its refined matte and the plan made again from them. When the new plan keeps the
            // scale (within 3 %, inside the windows' middle half), the output is cut out of that same render, shifted by whole rows;
            // otherwise the taller frame is rendered once more at the new scale.
            var extra = spec.HeightPx / 2;
            var below = spec.HeightPx / 8;
            for (var pass = 0; pass < 3 && portrait is null; pass++)
            {
                var up = Affine.Compose(Affine.Translate(0, extra), plan.ToOutput);
                var lo = lm.Map(up);
                using var tall = renderer.Render(Affine.Compose(up, masterToLevel), spec.WidthPx, spec.HeightPx + extra + below, lo.Layout);
                times.Lap("render");
                if (OutputMeasures.HeadTop(tall.Composite, background, lo.EyeMid.X, lo.FaceWidth, lo[FaceMesh.ForeheadTop].Y) is not { } found)
                {
                    portrait = tall.Rows(extra, spec.HeightPx);
                    break;
                }
                var headTop = up.Invert().Apply(new PointD(lo.EyeMid.X, found)).Y;
                var (hl, hr) = OutputMeasures.HeadWidth(tall.Alpha, lo.EyeMid.X, lo.EyeMid.Y, lo[FaceMesh.NoseTip].Y, lo[FaceMesh.RightCheek].X, lo[FaceMesh.LeftCheek].X);
                var next = CropPlanner.Plan(spec, windows, (hr - hl) / up.A, headTop, lm[FaceMesh.Chin].Y, lm.EyeMid, sourcePerWork, PhotoBottom);
                var rows = (int)Math.Round((next.OriginY - plan.OriginY) * plan.Scale);
                var shift = Math.Clamp(rows, -extra, below) + extra;
                var kept = plan with { OriginY = plan.OriginY + (shift - extra) / plan.Scale, Conflict = next.Conflict };
                // Keeping the scale must not make up more clothing than the new plan would.
                var keep = Math.Abs(next.Scale - plan.Scale) <= 0.03 * plan.Scale && rows >= -extra && rows <= below
                    && (CropPlanner.Overflow(kept, PhotoBottom) - CropPlanner.Overflow(next, PhotoBottom)) * plan.Scale < 0.01 * spec.HeightPx;
                if (keep || pass == 2)
                {
                    plan = kept;
                    portrait = tall.Rows(shift, spec.HeightPx);
                }
                else plan = next;
            }
            times.Lap("measure head");
            if (portrait is null) throw new InvalidOperationException("no frame was rendered");

            // Cheek widths on both sides: the source's (3D, so a turned head is not "small") and the output's.
            FaceRules.SourceResolution(report, mesh.FaceWidth3D * sourcePerWork, lm.FaceWidth * plan.Scale, options.MaxUpscale);
            var om = lm.Map(plan.ToOutput);
            var top = OutputMeasures.HeadTop(portrait.Composite, background, om.EyeMid.X, om.FaceWidth, om[FaceMesh.ForeheadTop].Y) ?? om[FaceMesh.ForeheadTop].Y;
            var (left, right) = OutputMeasures.HeadWidth(portrait.Alpha, om.EyeMid.X, om.EyeMid.Y, om[FaceMesh.NoseTip].Y, om[FaceMesh.RightCheek].X, om[FaceMesh.LeftCheek].X);
            var geometry = new OutputGeometry(left, right, top, om[FaceMesh.Chin].Y, om.EyeMid.Y, om.EyeMid.X);
            ct.ThrowIfCancellationRequested();

            var g = geometry;
            var outMesh = lm.Map(plan.ToOutput);
            var framed = OutputRules.Add(report, spec, background, windows, portrait!, g, outMesh, subject, plan);
            times.Lap("output checks");
            trace?.Add(new ProcessTrace(work.Clone(), subject, portrait, g, facts));
            if (!framed) return new PhotoResult(null, null, report.Build());

            var jpeg = SizeWindowJpegEncoder.Encode(portrait!.Composite, spec.Dpi, spec.MinKb, spec.MaxKb);
            OutputRules.AddFile(report, jpeg, spec);
            times.Lap("encode");
            var preview = PreviewRenderer.Render(portrait.Composite, windows, g, portrait.Valid);
            times.Lap("preview");
            return new PhotoResult(jpeg.Bytes, preview, report.Build());
        }
        finally
        {
            if (trace is null) portrait?.Dispose();
        }
    }

    /// <summary>
    /// The head's width across the ears from the whole-frame matte, in levelled working pixels, as
    /// <see cref="OutputMeasures.HeadWidth"/> measures it on the output: the first plan then
    /// already has the scale the refined matte will confirm.
    /// </summary>
    private static double CoarseHeadWidth(Mat probability, Mat work, Affine level, FaceMesh lm)
    {
        var p = new float[probability.Width * probability.Height];
        probability.AsSpan<float>().CopyTo(p);
        var n = probability.Width;
        var unlevel = level.Invert();
        var cheeks = lm.FaceWidth;
        bool Person(double x, double y)
        {
            var q = unlevel.Apply(new PointD(x, y));
            if (q.X < 0 || q.Y < 0 || q.X >= work.Width || q.Y >= work.Height) return false;
            return p[Math.Clamp((int)(q.Y / work.Height * n), 0, n - 1) * n + Math.Clamp((int)(q.X / work.Width * n), 0, n - 1)] >= 0.5f;
        }
        var widths = new List<double>();
        var step = Math.Max(1, cheeks / 100);
        for (var y = lm.EyeMid.Y; y <= lm[FaceMesh.NoseTip].Y; y += Math.Max(1, cheeks / 20))
        {
            double l = lm.EyeMid.X, r = lm.EyeMid.X;
            while (l > lm.EyeMid.X - cheeks && Person(l - step, y)) l -= step;
            while (r < lm.EyeMid.X + cheeks && Person(r + step, y)) r += step;
            widths.Add(r - l);
        }
        widths.Sort();
        return widths.Count == 0 ? 1.15 * cheeks : Math.Clamp(widths[widths.Count / 2], cheeks, 1.3 * cheeks);
    }

    /// <summary>
    /// The head top from the whole-frame matte, in levelled working pixels: walking up from the
    /// mesh's forehead point over the head's central columns while they stay person.
    /// </summary>
    private static double CoarseHeadTop(Mat probability, Mat work, Affine level, FaceMesh lm)
    {
        var p = probability.AsSpan<float>();
        var n = probability.Width;
        var unlevel = level.Invert();
        var top = lm[FaceMesh.ForeheadTop];
        var fw = lm.FaceWidth;
        var last = top.Y;
        for (var y = top.Y; y > top.Y - 1.5 * fw; y -= 1)
        {
            int hits = 0, total = 0;
            for (var x = top.X - 0.25 * fw; x <= top.X + 0.25 * fw; x += Math.Max(1, fw / 40))
            {
                var q = unlevel.Apply(new PointD(x, y));
                if (q.Y < 0) continue;
                total++;
                var u = Math.Clamp((int)(q.X / work.Width * n), 0, n - 1);
                var v = Math.Clamp((int)(q.Y / work.Height * n), 0, n - 1);
                if (p[v * n + u] >= 0.5f) hits++;
            }
            if (total == 0 || hits < 0.2 * total) break;
            last = y;
        }
        return last;
    }
}

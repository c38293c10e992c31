using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Checks;
using PhotoReceipt.Imaging.Detection;
using PhotoReceipt.Imaging.Encoding;
using PhotoReceipt.Imaging.Matting;
using PhotoReceipt.Imaging.Preview;
using PhotoReceipt.Imaging.Vips;

namespace PhotoReceipt.Imaging.Pipeline;

/// <summary>
/// The stages of one photo, run synchronously on one thread: decode, find the face, level and
/// frame it, matte, composite, encode, check. Rejections end the run with a report.
/// </summary>
internal sealed class PhotoProcessor(ImagingOptions options, FaceDetectorPool detectors, IPortraitMatting matting)
{
    private readonly OutputRenderer _renderer = new(detectors);

    /// <summary>Per-stage timings, filled when a caller (the benchmark) passes one in.</summary>
    internal sealed class StageTimes
    {
        public Dictionary<string, double> Ms { get; } = [];
        internal void Add(string stage, System.Diagnostics.Stopwatch sw)
        {
            Ms[stage] = Ms.GetValueOrDefault(stage) + sw.Elapsed.TotalMilliseconds;
            sw.Restart();
        }
    }

    public PhotoResult Process(ReadOnlySpan<byte> source, PhotoSpec spec, RgbColour background, StageTimes? times, CancellationToken ct)
    {
        var report = new CheckReportBuilder();
        try
        {
            return Run(source, spec, background, report, times ?? new StageTimes(), ct);
        }
        catch (PhotoRejectedException rejected)
        {
            report.Add(rejected.Check);
            return new PhotoResult(null, null, report.Build());
        }
    }

    private PhotoResult Run(ReadOnlySpan<byte> source, PhotoSpec spec, RgbColour background, CheckReportBuilder report, StageTimes times, CancellationToken ct)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var decoded = PhotoDecoder.Decode(source, options.MaxSourcePixels, options.FirstDecodeSize);
        try
        {
            times.Add("decode", sw);
            ct.ThrowIfCancellationRequested();

            // 1. Working copy and the face.
            var working = ToWorking(decoded.Master, options.WorkingSize);
            var workingPerMaster = (double)working.Width / decoded.Master.Width;
            times.Add("working copy", sw);
            var (face, seen) = FindFace(working);
            times.Add("detect", sw);
            if (face is null)
                throw PhotoRejectedException.Fail("single_face", $"{seen} 张", "1 张",
                    seen == 0 ? "没有找到人脸，请正对镜头、露出完整面部，在光线充足处重拍。" : $"照片中有 {seen} 张人脸，请只拍本人一人。");
            report.Add("single_face", CheckStatus.Pass, "1 张", "1 张", "检测到一张人脸。");

            var rollDeg = face.Roll * 180 / Math.PI;
            if (Math.Abs(rollDeg) > options.MaxRollDegrees)
                throw PhotoRejectedException.Fail("roll", $"{CheckReportBuilder.Num(Math.Abs(rollDeg), "0.0")}°", $"≤ {options.MaxRollDegrees:0}°",
                    "头部倾斜太大，请摆正头部、双眼保持水平后重拍。");
            report.Add("roll", CheckStatus.Pass, $"{CheckReportBuilder.Num(Math.Abs(rollDeg), "0.0")}°", $"≤ {options.MaxRollDegrees:0}°",
                Math.Abs(rollDeg) < 1 ? "头部端正。" : "头部略有倾斜，已自动校正。");
            ct.ThrowIfCancellationRequested();

            // 2. Level the eyes; first framing from the landmarks alone.
            var eye = face.EyeMid;
            var level = Affine.Rotate(-face.Roll, eye.X, eye.Y);
            var unlevel = level.Invert();
            var lf = face.Map(level);
            var windows = SpecWindows.For(spec);
            var lower = lf.Chin.Y - lf.EyeMid.Y;
            var headTopGuess = lf.EyeMid.Y - 1.1 * lower;
            var sourcePerWorking = decoded.SourcePerMaster / workingPerMaster;
            var plan0 = CropPlanner.Plan(spec, windows, lf.FaceWidth * 1.15, headTopGuess, lf.Chin.Y, lf.EyeMid, sourcePerWorking);

            // 3. Matte a small region around that framing; head top and ear-to-ear width come from the matte.
            var wq = spec.WidthPx / plan0.Scale;
            var hq = spec.HeightPx / plan0.Scale;
            double rx0 = plan0.OriginX - 0.2 * wq, ry0 = plan0.OriginY - 0.2 * hq;
            double rw = 1.4 * wq, rh = 1.3 * hq;
            var gs = Math.Min(1.0, options.MattingSize / Math.Max(rw, rh));
            var toRegion = Affine.Compose(Affine.Compose(Affine.Scale(gs), Affine.Translate(-rx0, -ry0)), level);
            var region = NativeOps.Warp(working, toRegion, Math.Max(8, (int)Math.Round(rw * gs)), Math.Max(8, (int)Math.Round(rh * gs)));
            var gface = face.Map(toRegion);
            var inside = Inside(toRegion.Invert(), region.Width, region.Height, working.Width, working.Height);
            var mask = matting.Segment(region, gface, (headTopGuess - ry0) * gs, inside);
            times.Add("matte", sw);

            var browY = Math.Min(gface.Points[19].Y, gface.Points[24].Y);
            var gTop = PixelMeasures.HeadTop(mask, gface.EyeMid.X, 0.25 * gface.FaceWidth, browY);
            var headTop = gTop is { } t ? ry0 + t / gs : headTopGuess;
            var headWidth = PixelMeasures.HeadWidth(mask, gface.EyeMid.X, gface.Points[0].Y, gface.Points[2].Y, gface.FaceWidth) / gs;
            var topInWorking = unlevel.Apply(new PointD(lf.EyeMid.X, headTop));
            if (topInWorking.Y <= 1.5)
                throw PhotoRejectedException.Fail("head_top", "头顶在画面外", "完整的头部", "头顶被裁掉了，请在头顶上方留出空间重拍。");
            var bg = PixelMeasures.Background(region, mask);

            // 4. Final framing, and whether the source can fill it.
            var plan = CropPlanner.Plan(spec, windows, headWidth, headTop, lf.Chin.Y, lf.EyeMid, sourcePerWorking);
            CheckFraming(plan, unlevel, working, spec);
            var sourceFace = headWidth * sourcePerWorking;
            var neededFace = headWidth * plan.Scale;
            if (neededFace > sourceFace * options.MaxUpscale)
                throw PhotoRejectedException.Fail("source_resolution", $"脸宽 {CheckReportBuilder.Px(sourceFace)}", $"≥ {CheckReportBuilder.Px(neededFace / options.MaxUpscale)}",
                    "原图分辨率太低，脸部像素不够，请用手机后置摄像头在近处重拍，不要截图或压缩。");
            report.Add("source_resolution", sourceFace >= neededFace ? CheckStatus.Pass : CheckStatus.Warn,
                $"脸宽 {CheckReportBuilder.Px(sourceFace)}", $"≥ {CheckReportBuilder.Px(neededFace)}",
                sourceFace >= neededFace ? "原图清晰度足够。" : "原图分辨率偏低，照片已略微放大，建议在近处重拍以获得更清晰的照片。");
            if (plan.Scale * workingPerMaster > 1.0 && !decoded.IsFullSize)
            {
                // Just enough pixels: output scale relative to the source, plus a little headroom.
                var needed = (int)Math.Ceiling(Math.Max(decoded.SourceWidth, decoded.SourceHeight) * Math.Min(1.0, 1.1 * plan.Scale / sourcePerWorking));
                var full = PhotoDecoder.Decode(source, options.MaxSourcePixels, needed);
                workingPerMaster *= (double)decoded.Master.Width / full.Master.Width;
                times.Add("decode again", sw);
                decoded.Dispose();
                decoded = full;
            }

            // 5–6. Render, matte at output size and measure on the output itself. The first
            // framing rests on a small matte; if what the output shows is off, re-frame once
            // from the output's own measurements.
            var frame = new OutputRenderer.Framing(decoded.Master, level, workingPerMaster, mask, rx0, ry0, gs, background, spec, lf);
            var rendered = _renderer.RenderAndMeasure(frame, plan, times, sw);
            if (!OutputRenderer.Fits(rendered.Geometry, windows))
            {
                var back = plan.ToOutput.Invert();
                var g = rendered.Geometry;
                var eyeL = back.Apply(new PointD(g.EyeX, g.EyeY));
                var refined = CropPlanner.Plan(spec, windows, g.FaceWidth / plan.Scale, back.Apply(new PointD(g.EyeX, g.HeadTop)).Y,
                    back.Apply(new PointD(g.EyeX, g.Chin)).Y, eyeL, sourcePerWorking);
                var second = _renderer.RenderAndMeasure(frame, refined, times, sw);
                if (OutputRenderer.Misfit(second.Geometry, windows) < OutputRenderer.Misfit(rendered.Geometry, windows)) rendered = second;
            }
            ct.ThrowIfCancellationRequested();
            var (output, alpha, of, geometry) = rendered;
            OutputChecks.AddGeometry(report, windows, of, geometry, spec);
            OutputChecks.AddQuality(report, output, alpha, of, spec, background, bg);

            // 7. Encode into the KB window, then the reviewer preview.
            using var outVips = VipsImage.FromPixels(output.Pixels, output.Width, output.Height, 3);
            var jpeg = SizeWindowJpegEncoder.Encode(outVips, spec.Dpi, spec.MinKb, spec.MaxKb);
            OutputChecks.AddFile(report, jpeg, spec);
            times.Add("encode", sw);
            var preview = PreviewRenderer.Render(output, windows, geometry);
            times.Add("preview", sw);
            return new PhotoResult(jpeg.Bytes, preview, report.Build());
        }
        finally
        {
            decoded.Dispose();
        }
    }

    private static bool[] Inside(Affine toSource, int width, int height, int sourceWidth, int sourceHeight)
    {
        var inside = new bool[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var p = toSource.Apply(new PointD(x, y));
                inside[y * width + x] = p.X >= 0 && p.Y >= 0 && p.X < sourceWidth && p.Y < sourceHeight;
            }
        return inside;
    }

    internal static RgbImage ToWorking(VipsImage master, int size)
    {
        var scale = Math.Min(1.0, (double)size / Math.Max(master.Width, master.Height));
        if (scale >= 1.0) return new RgbImage(master.Width, master.Height, 3, master.ToBytes());
        using var small = master.ResizeLinear(scale);
        return new RgbImage(small.Width, small.Height, 3, small.ToBytes());
    }

    /// <summary>The single face, or null with how many were seen. A face tilted beyond what the
    /// HOG detector finds is looked for again in rotated copies, so that a heavy roll is reported
    /// as a roll rather than as "no face".</summary>
    private (FaceLandmarks? Face, int Seen) FindFace(RgbImage working)
    {
        var (faces, seen) = detectors.Detect(working);
        if (seen == 0 && Math.Max(working.Width, working.Height) < 700) (faces, seen) = detectors.Detect(working, upsample: 1);
        if (seen == 1) return (faces[0], 1);
        if (seen > 1) return (null, seen);
        foreach (var degrees in new[] { 30.0, -30.0 })
        {
            var rotate = Affine.Rotate(degrees * Math.PI / 180, working.Width / 2.0, working.Height / 2.0);
            var rotated = NativeOps.Warp(working, rotate, working.Width, working.Height);
            var (rf, rs) = detectors.Detect(rotated);
            if (rs == 1) return (rf[0].Map(rotate.Invert()), 1);
        }
        return (null, 0);
    }

    private static void CheckFraming(CropPlan plan, Affine unlevel, RgbImage working, PhotoSpec spec)
    {
        var fromOutput = Affine.Compose(unlevel, plan.ToOutput.Invert());
        var bottom = fromOutput.Apply(new PointD(spec.WidthPx / 2.0, spec.HeightPx));
        var below = (bottom.Y - working.Height) * plan.Scale / spec.HeightPx;
        if (below > Thresholds.ShoulderOverflow)
            throw PhotoRejectedException.Fail("shoulders", $"缺少 {below:P0} 画面高度", "拍到双肩", "照片没有拍到肩膀，请后退一些、露出双肩后重拍。");
        var left = fromOutput.Apply(new PointD(0, spec.HeightPx / 2.0)).X;
        var right = fromOutput.Apply(new PointD(spec.WidthPx, spec.HeightPx / 2.0)).X;
        var side = Math.Max(-left, right - working.Width) * plan.Scale / spec.WidthPx;
        if (side > Thresholds.SideOverflow)
            throw PhotoRejectedException.Fail("framing", $"缺少 {side:P0} 画面宽度", "人像两侧留有背景", "人像太靠近照片边缘，请站到画面中间、离镜头远一点重拍。");
    }

}

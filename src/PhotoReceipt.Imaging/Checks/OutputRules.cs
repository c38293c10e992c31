using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Encoding;
using PhotoReceipt.Imaging.Framing;
using PhotoReceipt.Imaging.Geometry;
using PhotoReceipt.Imaging.Pipeline;
using static PhotoReceipt.Imaging.Checks.CheckReportBuilder;

namespace PhotoReceipt.Imaging.Checks;

/// <summary>The rules judged on the framed, matted output: whether the crop could be made at all,
/// the spec's geometry windows, the matte's certainty and the clothing against the new background.</summary>
internal static class OutputRules
{
    /// <returns>False when no photo should be shown at all (the head or shoulders are not in the
    /// source, or the matte cannot be trusted); every rule is still reported.</returns>
    public static bool Add(CheckReportBuilder r, PhotoSpec spec, RgbColour background, SpecWindows w, RenderedPortrait p, OutputGeometry g,
        FaceMesh face, Subject subject, CropPlan plan)
    {
        var framed = true;
        var fw = face.FaceWidth;
        var chin = face[FaceMesh.Chin].Y;

        // The head: cut by the photo's top edge, or eaten by the matte (a top inside the skull).
        // On the model's own probability: the refinement fades the last rows at an edge.
        var cut = OutputMeasures.TopCut(p.Probability, p.Valid, g.EyeX, fw, chin);
        var topOverChin = (g.EyeY - g.HeadTop) / Math.Max(1, g.Chin - g.EyeY);
        if (cut > Thresholds.TopCutFail)
        {
            r.Add("head_top", CheckStatus.Fail, $"头发被照片上边缘截断 {cut:0.00}×脸宽", "完整的头部和头发", "头顶被裁掉了，请在头顶上方留出一些空间重拍。");
            framed = false;
        }
        else if (plan.Conflict)
        {
            // The head's own proportions do not fit: moving the camera cannot help, the hair can.
            const string tall = "头发（发髻、刘海或头顶头发）太高，头部的高度和宽度无法同时符合要求，请把头发放低、压平后重拍。";
            r.Window("head_top", g.HeadTop, w.HeadTop, 3, "头顶位置符合要求。", tall, tall);
        }
        else
        {
            r.Window("head_top", g.HeadTop, w.HeadTop, 3, "头顶位置符合要求。", "头顶离上边缘太近，请在头顶上方留出空间重拍。", "头顶离上边缘太远，请靠近镜头重拍。");
        }

        if (topOverChin < Thresholds.MinTopOverChin && cut <= Thresholds.TopCutFail)
        {
            r.Add("background", CheckStatus.Fail, $"头顶高度 {topOverChin:0.00}×下巴距离", $"≥ {Thresholds.MinTopOverChin:0.00}×",
                "头发与背景颜色太接近，无法准确抠出头部轮廓，请换一个与头发颜色不同的背景重拍。");
            framed = false;
        }
        else
        {
            var alike = p.LowContrastEdge;
            if (p.NeighbourRise > Thresholds.NeighbourRiseFail)
            {
                r.Add("background", CheckStatus.Fail, $"头部旁轮廓再次升高 {p.NeighbourRise:0.00}×脸宽", $"≤ {Thresholds.NeighbourRiseFail:0.00}×",
                    "头部旁边有其他人或物体和您连在一起，无法干净地去除背景，请在身后和身边没有人、没有杂物的地方重拍。");
                framed = false;
            }
            else
            r.Add("background", alike > Thresholds.LowContrastEdgeWarn ? CheckStatus.Warn : CheckStatus.Pass,
                $"头部边缘颜色相近 {alike:P0}", $"≤ {Thresholds.LowContrastEdgeWarn:P0}",
                alike > Thresholds.LowContrastEdgeWarn ? "头发与原背景颜色接近，边缘可能不够精确，请检查头发边缘；在与头发颜色不同的纯色墙前重拍效果更好。" : "背景已替换为规定颜色。");
        }

        // Somebody else in the frame whose outline joins the subject's: the matte cannot separate them.
        var touching = subject.Others.Count(o => Touches(p, plan, o, subject));
        if (touching > 0 && r.Find("single_face")?.Status != CheckStatus.Fail)
            r.Add("single_face", CheckStatus.Fail, $"{touching + 1} 张", "1 张", "您身后或身边有其他人，与您挨得太近，请只拍本人一人，身后不要有人。");

        // Shoulders: clothing continued past the photo's bottom edge (a tight crop).
        var extended = OutputMeasures.ExtendedRows(p.Alpha, p.Valid, g.EyeX, fw) / (double)spec.HeightPx;
        if (extended > Thresholds.ExtensionFail)
        {
            r.Add("shoulders", CheckStatus.Fail, $"缺少 {extended:P0} 画面高度", "拍到双肩", "照片没有拍到肩膀，请后退一些、露出双肩后重拍。");
            framed = false;
        }
        else if (extended > Thresholds.ExtensionWarn)
            r.Add("shoulders", CheckStatus.Warn, $"底部延伸 {extended:P0} 画面高度", $"≤ {Thresholds.ExtensionFail:P0}",
                "照片底部衣服稍有不足，已自动补齐（审核预览中已标出），建议重拍时多露出一些肩膀。");
        else
            r.Add("shoulders", CheckStatus.Pass, "双肩完整", "拍到双肩", "肩膀完整。");

        // Shoulders continued past the photo's left or right edge.
        var sides = OutputMeasures.ExtendedSides(p.Alpha, p.Valid, chin);
        if (sides > Thresholds.SideExtensionFail)
        {
            r.Add("framing", CheckStatus.Fail, $"两侧补齐 {sides:P0} 画面", $"≤ {Thresholds.SideExtensionFail:P0}", "人像太靠近照片左右边缘，请站到画面中间、离镜头远一点重拍。");
            framed = false;
        }
        else if (sides > 0.002)
            r.Add("framing", CheckStatus.Warn, $"两侧补齐 {sides:P1} 画面", $"≤ {Thresholds.SideExtensionFail:P0}",
                "肩膀两侧超出了原照片，已自动补齐（审核预览中已标出），建议重拍时离镜头远一点。");
        else
            r.Add("framing", CheckStatus.Pass, "人像在照片中", "人像两侧留有背景", "人像位置合适。");

        if (w.FaceWidth is { } fwWin)
            r.Window("face_width", g.FaceWidth, fwWin, 3, "脸宽符合要求。", "脸部偏小，无法放大到规定尺寸，请靠近镜头重拍。", "脸部偏大，请离镜头远一点重拍。");
        else
            r.Add("face_width", CheckStatus.Pass, Px(g.FaceWidth), null, "该规格不限制脸宽。");
        if (w.HeadHeight is { } hhWin)
            r.Window("head_height", g.HeadHeight, hhWin, 4, "头部高度符合要求。", "头部偏小，请靠近镜头重拍。",
                plan.Conflict ? "头发太高，头部高度超出要求，请把头发放低、压平后重拍。" : "头部偏大（可能头发或帽子太高），请离镜头远一点重拍。");
        else
            r.Add("head_height", CheckStatus.Pass, Px(g.HeadHeight), null, "该规格不限制头部高度。");
        r.Window("eye_line", g.EyeY, w.EyeFromTop, 3, "眼睛高度符合要求。", "眼睛位置太高，请调整拍摄角度，让镜头与眼睛平齐。", "眼睛位置太低，请调整拍摄角度，让镜头与眼睛平齐。");
        r.Window("centring", g.EyeX, w.EyeCenterX, 3, "人像居中。", "人像偏左，请站在画面正中。", "人像偏右，请站在画面正中。");

        AddClothing(r, p, g, fw, spec, background);
        return framed;
    }

    private static bool Touches(RenderedPortrait p, CropPlan plan, Models.DetectedFace other, Subject subject)
    {
        // The other face's centre in the output, through the same framing as the subject's mesh.
        var subjectEye = subject.Mesh.EyeMid;
        var level = Affine.Rotate(-subject.Mesh.Roll, subjectEye.X, subjectEye.Y);
        var c = Affine.Compose(plan.ToOutput, level).Apply(other.Centre);
        var x = (int)Math.Round(c.X);
        var y = (int)Math.Round(c.Y);
        if (x < 0 || y < 0 || x >= p.Alpha.Width || y >= p.Alpha.Height) return false;
        return p.Alpha.At<float>(y, x) >= 0.5f;
    }

    private static void AddClothing(CheckReportBuilder r, RenderedPortrait p, OutputGeometry g, double fw, PhotoSpec spec, RgbColour background)
    {
        var clothing = OutputMeasures.Clothing(p.Photo, p.Alpha, g.EyeX, fw, g.Chin + 0.3 * (g.Chin - g.EyeY));
        if (spec.NoRedClothing && clothing.RedFraction > Thresholds.RedClothingFail)
        {
            r.Add("clothing_contrast", CheckStatus.Fail, $"红色 {clothing.RedFraction:P0}", $"红色 ≤ {Thresholds.RedClothingFail:P0}",
                "驾驶证照片不能穿红色衣服，请换其他颜色的衣服重拍。");
            return;
        }
        if (clothing.Pixels < 40)
        {
            r.Add("clothing_contrast", CheckStatus.Warn, null, null, "照片中衣服太少，无法检查衣服颜色，请拍到双肩。");
            return;
        }
        // Against the colour the photo will have, not the wall it was taken at.
        var distance = clothing.DistanceTo(background);
        // Clothing that melts into the background is warned, not refused: the reviewer judges the
        // edge (the specs advise against it; only the driving licence forbids a colour).
        var status = distance >= Thresholds.ClothingContrastPass ? CheckStatus.Pass : CheckStatus.Warn;
        var bgLuma = 0.299 * background.R + 0.587 * background.G + 0.114 * background.B;
        var message = status == CheckStatus.Pass ? "衣服与背景颜色区分明显。"
            : bgLuma > 200 ? "衣服颜色太浅，与白色背景分不清，建议换深色有领上衣重拍，审核时可能不通过。"
            : "衣服颜色与背景太接近，建议换一件与背景颜色不同的衣服重拍。";
        if (status == CheckStatus.Pass && bgLuma > 200 && clothing.Luma > Thresholds.WhiteClothingLuma)
        {
            status = CheckStatus.Warn;
            message = "浅色衣服配白色背景，边缘可能不清楚，建议换深色上衣重拍。";
        }
        if (status == CheckStatus.Pass && spec.DarkClothing && clothing.Luma > Thresholds.DarkClothingLuma)
        {
            status = CheckStatus.Warn;
            message = "该证件要求穿深色衣服，建议换深色上衣重拍。";
        }
        r.Add("clothing_contrast", status, $"与背景色差 {distance:0}", $"≥ {Thresholds.ClothingContrastPass:0}", message);
    }

    public static void AddFile(CheckReportBuilder r, EncodedJpeg jpeg, PhotoSpec spec)
    {
        var info = JpegInfo.Read(jpeg.Bytes);
        var kb = jpeg.Bytes.Length / 1024.0;
        var measured = info is null ? "无法读取" : $"JPEG {info.Width}×{info.Height} px, {info.DpiX} dpi, {kb:0.0} KB";
        var window = spec.MinKb is { } lo && spec.MaxKb is { } hi ? $", {lo}–{hi} KB" : "";
        var allowed = $"JPEG {spec.WidthPx}×{spec.HeightPx} px, {spec.Dpi} dpi{window}";
        var ok = info is { Components: 3, Baseline: true } && info.Width == spec.WidthPx && info.Height == spec.HeightPx && info.DpiX == spec.Dpi && jpeg.InWindow;
        r.Add("file", ok ? CheckStatus.Pass : CheckStatus.Fail, measured, allowed,
            ok ? "文件格式、尺寸和大小符合要求。" : "无法生成符合大小要求的文件，请换一张照片重试。");
    }
}

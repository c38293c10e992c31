using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Detection;
using PhotoReceipt.Imaging.Encoding;
using PhotoReceipt.Imaging.Pipeline;
using PhotoReceipt.Imaging.Preview;

namespace PhotoReceipt.Imaging.Checks;

/// <summary>The rules measured on the finished photo (geometry re-detected on the output itself).</summary>
internal static class OutputChecks
{
    public static void AddGeometry(CheckReportBuilder r, SpecWindows w, FaceLandmarks face, OutputGeometry g, PhotoSpec spec)
    {
        var fw = g.FaceWidth;
        if (w.FaceWidth is { } fwWin)
            r.Window("face_width", fw, fwWin, 3, "脸宽符合要求。", "脸部偏小，无法放大到规定尺寸，请靠近镜头重拍。", "脸部偏大，请离镜头远一点重拍。");
        else
            r.Add("face_width", CheckStatus.Pass, CheckReportBuilder.Px(fw), null, "该规格不限制脸宽。");

        if (w.HeadHeight is { } hhWin)
            r.Window("head_height", g.HeadHeight, hhWin, 4, "头部高度符合要求。", "头部偏小，请靠近镜头重拍。", "头部偏大（可能头发或帽子太高），请离镜头远一点重拍。");
        else
            r.Add("head_height", CheckStatus.Pass, CheckReportBuilder.Px(g.HeadHeight), null, "该规格不限制头部高度。");

        r.Window("head_top", g.HeadTop, w.HeadTop, 3, "头顶位置符合要求。", "头顶离上边缘太近，请在头顶上方留出空间重拍。", "头顶离上边缘太远，请靠近镜头重拍。");
        r.Window("eye_line", g.EyeY, w.EyeFromTop, 3, "眼睛高度符合要求。", "眼睛位置太高，请调整拍摄角度，让镜头与眼睛平齐。", "眼睛位置太低，请调整拍摄角度，让镜头与眼睛平齐。");
        r.Window("centring", g.EyeX, w.EyeCenterX, 3, "人像居中。", "人像偏左，请站在画面正中。", "人像偏右，请站在画面正中。");

        var yaw = Math.Abs(face.YawDegrees);
        r.AtMost("yaw", yaw, Thresholds.YawPassDeg, Thresholds.YawWarnDeg, "°", "0", "正对镜头。", "脸部侧转，请正对镜头重拍。");
        r.AtLeast("eyes_open", face.EyeAspectRatio, Thresholds.EyesOpenPass, Thresholds.EyesOpenWarn, "（眼睛高宽比）", "0.00", "双眼睁开。", "眼睛没有完全睁开，请自然睁大双眼重拍。");
        r.AtMost("mouth_closed", face.MouthOpenRatio, Thresholds.MouthPass, Thresholds.MouthWarn, "（嘴唇间隙/嘴宽）", "0.00", "嘴巴闭合。", "请闭上嘴巴、保持自然表情重拍，不要露齿笑。");
    }

    public static void AddQuality(CheckReportBuilder r, RgbImage photo, RgbImage alpha, FaceLandmarks f, PhotoSpec spec, RgbColour background,
        (double Gradient, double Spread, int Pixels) sourceBackground)
    {
        var p = f.Points;
        var textured = PixelRect.Clip(p[36].X, Math.Min(p[19].Y, p[24].Y), p[45].X, p[57].Y, photo);
        var sharp = PixelMeasures.Sharpness(photo, textured);
        r.AtLeast("sharpness", sharp, Thresholds.SharpnessPass, Thresholds.SharpnessWarn, " 灰度²（拉普拉斯方差）", "0", "照片清晰。", "照片模糊，请对准焦点、拿稳手机后重拍。");

        var skin = PixelRect.Clip(p[36].X, p[28].Y, p[45].X, p[33].Y, photo);
        var luma = PixelMeasures.MeanLuma(photo, skin);
        var exposure = luma < Thresholds.ExposureLowWarn || luma > Thresholds.ExposureHighWarn ? CheckStatus.Fail
            : luma < Thresholds.ExposureLowPass || luma > Thresholds.ExposureHighPass ? CheckStatus.Warn : CheckStatus.Pass;
        r.Add("exposure", exposure, $"脸部亮度 {luma:0}/255", $"{Thresholds.ExposureLowPass:0}–{Thresholds.ExposureHighPass:0}/255",
            exposure == CheckStatus.Pass ? "曝光正常。" : luma < Thresholds.ExposureLowPass ? "照片太暗，请在光线充足的地方重拍。" : "照片过亮，请避免强光直射脸部。");

        var leftHalf = PixelMeasures.MeanLuma(photo, PixelRect.Clip(p[36].X, p[28].Y, p[30].X, p[33].Y, photo));
        var rightHalf = PixelMeasures.MeanLuma(photo, PixelRect.Clip(p[30].X, p[28].Y, p[45].X, p[33].Y, photo));
        var imbalance = Math.Abs(leftHalf - rightHalf) / Math.Max(1, Math.Max(leftHalf, rightHalf));
        r.AtMost("lighting", imbalance * 100, Thresholds.LightingPass * 100, Thresholds.LightingWarn * 100, " %", "0",
            "脸部光线均匀。", "脸部一侧明显偏暗（阴阳脸），请面向光源、避免侧光重拍。");

        r.AtMost("background_uniformity", sourceBackground.Gradient, Thresholds.BackgroundPass, Thresholds.BackgroundWarn, " 灰度/px（原背景平均梯度）", "0.0",
            "背景干净，已替换为规定颜色。", "原背景太杂乱，抠图效果会很差，请在纯色墙前重拍。");

        AddClothing(r, photo, alpha, f, spec, background);
    }

    private static void AddClothing(CheckReportBuilder r, RgbImage photo, RgbImage alpha, FaceLandmarks f, PhotoSpec spec, RgbColour background)
    {
        var fw = f.FaceWidth;
        var top = f.Chin.Y + 0.6 * (f.Chin.Y - f.EyeMid.Y);
        var region = PixelRect.Clip(f.EyeMid.X - 0.7 * fw, top, f.EyeMid.X + 0.7 * fw, photo.Height - 1, photo);
        var clothing = region.IsEmpty ? default : PixelMeasures.Clothing(photo, alpha, region);
        if (clothing.Pixels < 150)
        {
            r.Add("clothing_contrast", CheckStatus.Warn, null, null, "照片中衣服太少，无法检查衣服颜色，请拍到双肩。");
            return;
        }
        var distance = Math.Sqrt(Math.Pow(clothing.R - background.R, 2) + Math.Pow(clothing.G - background.G, 2) + Math.Pow(clothing.B - background.B, 2));
        if (spec.NoRedClothing && clothing.RedFraction > Thresholds.RedClothingFail)
        {
            r.Add("clothing_contrast", CheckStatus.Fail, $"红色 {clothing.RedFraction:P0}", $"红色 ≤ {Thresholds.RedClothingFail:P0}",
                "驾驶证照片不能穿红色衣服，请换其他颜色的衣服重拍。");
            return;
        }
        var status = distance >= Thresholds.ClothingContrastPass ? CheckStatus.Pass : distance >= Thresholds.ClothingContrastWarn ? CheckStatus.Warn : CheckStatus.Fail;
        var message = status == CheckStatus.Pass ? "衣服与背景颜色区分明显。" : "衣服颜色与背景太接近，请换深色或与背景不同颜色的衣服重拍。";
        if (status == CheckStatus.Pass && spec.DarkClothing && clothing.Luma > Thresholds.DarkClothingLuma)
        {
            status = CheckStatus.Warn;
            message = "该证件要求穿深色衣服，建议换深色上衣重拍。";
        }
        r.Add("clothing_contrast", status, $"RGB 色差 {distance:0}", $"≥ {Thresholds.ClothingContrastPass:0}", message);
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

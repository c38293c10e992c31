using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Pipeline;
using static PhotoReceipt.Imaging.Checks.CheckReportBuilder;

namespace PhotoReceipt.Imaging.Checks;

/// <summary>The rules judged on the face in the source photo: who is in it, pose, eyes, mouth,
/// what covers the face, and the photo's quality.</summary>
internal static class FaceRules
{
    public static void NoFace(CheckReportBuilder r) =>
        r.Add("single_face", CheckStatus.Fail, "0 张", "1 张", "没有找到人脸，请正对镜头、露出完整面部，在光线充足处重拍。");

    public static void Add(CheckReportBuilder r, Subject s, FaceFacts f, ImagingOptions options)
    {
        var peers = s.Others.Count(o => o.Width >= Thresholds.OtherFaceSize * s.Face.Width && o.Score >= Thresholds.OtherFaceScore);
        if (peers > 0)
            r.Add("single_face", CheckStatus.Fail, $"{peers + 1} 张", "1 张", $"照片中有 {peers + 1} 个人，请只拍本人一人，身边和身后不要有其他人。");
        else
            r.Add("single_face", CheckStatus.Pass, "1 张", "1 张", s.Others.Count > 0 ? "检测到一张人脸（远处的其他人会随背景一起去掉）。" : "检测到一张人脸。");

        var pose = s.Pose;
        r.AtMost("yaw", Math.Abs(pose.Yaw), Thresholds.YawPass, Thresholds.YawWarn, "°", "0",
            "正对镜头。", "脸部略有侧转，建议正对镜头重拍。", "脸部侧转太多，请正对镜头、双肩放平后重拍。");
        var pitch = pose.Pitch - Thresholds.PitchNeutral;
        var upOrDown = pitch > 0 ? "请微微低头，平视镜头后重拍。" : "请微微抬头，平视镜头后重拍。";
        r.AtMost("pitch", Math.Abs(pitch), Thresholds.PitchPass, Thresholds.PitchWarn, "°", "0",
            "头部端正，平视镜头。", "头部略有" + (pitch > 0 ? "仰起" : "低下") + "，" + upOrDown, "头部" + (pitch > 0 ? "仰起" : "低下") + "太多，" + upOrDown);
        var roll = Math.Abs(s.Mesh.Roll * 180 / Math.PI);
        r.AtMost("roll", roll, Thresholds.RollPass, options.MaxRollDegrees, "°", "0",
            roll < 1 ? "头部端正。" : "头部略有倾斜，已自动摆正。", "头部歪斜，已自动摆正，但肩膀会显得倾斜，建议摆正头部后重拍。", "头部倾斜太大，请摆正头部、双眼保持水平后重拍。");

        var brim = f.HeadWidth is >= Thresholds.BrimWidth and <= Thresholds.BrimWidthUnknown;
        if (f.HeadwearColour > Thresholds.HeadwearColourFail || brim)
            r.Add("headwear", CheckStatus.Fail, brim ? $"头顶宽度 {f.HeadWidth:0.0}×脸宽" : $"头顶彩色区域 {f.HeadwearColour:P0}",
                brim ? $"< {Thresholds.BrimWidth:0.0}×脸宽" : $"≤ {Thresholds.HeadwearColourFail:P0}", "请摘下帽子、发卡或头饰后重拍。");
        else
            r.Add("headwear", CheckStatus.Pass, $"头顶彩色区域 {f.HeadwearColour:P0}", $"≤ {Thresholds.HeadwearColourFail:P0}", "未发现帽子或头饰。");

        if (f.EyeSclera < Thresholds.ScleraFail)
            r.Add("glasses", CheckStatus.Fail, $"眼白亮度 {f.EyeSclera:P0} 肤色", $"≥ {Thresholds.ScleraFail:P0}", "看不清眼睛（可能戴了墨镜或有色眼镜），请摘下后重拍。");
        else
            r.AtMost("glasses", f.EyeGlare * 100, Thresholds.GlareWarn * 100, Thresholds.GlareFail * 100, " %（眼部反光）", "0.0",
                "眼睛清晰可见。", "眼部有反光，建议调整角度或摘下眼镜重拍。", "眼镜反光遮住了眼睛，请调整角度或摘下眼镜重拍。");

        r.AtLeast("hair_over_eyes", f.ForeheadSkin * 100, Thresholds.ForeheadSkinPass * 100, Thresholds.ForeheadSkinWarn * 100, " %（眉毛上方露出的皮肤）", "0",
            "眉毛和眼睛露出。", "头发可能遮住了眉毛，建议把刘海拨开、露出眉毛后重拍。", "头发遮住了眉毛或眼睛，请把头发拨开、露出眉眼后重拍。");
        r.AtLeast("eyes_open", f.EyeOpening, Thresholds.EyesOpenPass, Thresholds.EyesOpenWarn, "（眼睑间距/眼宽）", "0.00",
            "双眼睁开。", "眼睛睁得不够大，建议自然睁大双眼重拍。", "眼睛没有睁开，请自然睁大双眼、平视镜头重拍。");
        Mouth(r, f);

        r.AtLeast("sharpness", f.Sharpness, Thresholds.SharpnessPass, Thresholds.SharpnessWarn, "（脸部拉普拉斯方差）", "0",
            "照片清晰。", "照片略有模糊，建议对准焦点、拿稳手机后重拍。", "照片模糊，请对准焦点、拿稳手机后重拍。");
        var luma = f.SkinLuma;
        var exposure = luma < Thresholds.ExposureLowWarn || luma > Thresholds.ExposureHighWarn ? CheckStatus.Fail
            : luma < Thresholds.ExposureLowPass || luma > Thresholds.ExposureHighPass ? CheckStatus.Warn : CheckStatus.Pass;
        r.Add("exposure", exposure, $"脸部亮度 {luma:0}/255", $"{Thresholds.ExposureLowPass:0}–{Thresholds.ExposureHighPass:0}/255",
            exposure == CheckStatus.Pass ? "曝光正常。" : luma < Thresholds.ExposureLowPass ? "照片太暗，请在光线充足的地方重拍。" : "照片过亮，请避免强光直射脸部。");
        r.AtMost("lighting", f.LightingImbalance * 100, Thresholds.LightingPass * 100, Thresholds.LightingWarn * 100, " %（两颊亮度差）", "0",
            "脸部光线均匀。", "脸部一侧偏暗，建议面向光源重拍。", "脸部一侧明显偏暗（阴阳脸），请面向光源、避免侧光重拍。");
    }

    private static void Mouth(CheckReportBuilder r, FaceFacts f)
    {
        var measured = $"{Num(f.MouthGap, "0.00")}（嘴唇间隙/嘴宽）";
        var allowed = $"≤ {Thresholds.MouthPass:0.00}";
        var covered = f.LipContrast <= Thresholds.LipContrastMin && f.SkinChroma >= Thresholds.ColourPhotoChroma;
        if (covered && f.MouthGap > Thresholds.MouthPass)
            r.Add("mouth_closed", CheckStatus.Fail, $"唇色对比 {f.LipContrast:0.0}", "嘴唇清晰可见", "嘴部被遮挡或没有闭合，请把手拿开、露出嘴巴并闭上嘴重拍。");
        else if (f.MouthGap <= Thresholds.MouthPass)
            r.Add("mouth_closed", CheckStatus.Pass, measured, allowed, "嘴巴闭合。");
        else if (f.MouthGap <= Thresholds.MouthOpen)
            r.Add("mouth_closed", CheckStatus.Warn, measured, allowed, "嘴唇微张，建议闭上嘴巴、保持自然表情重拍。");
        else if (f.Smile >= Thresholds.SmileLift || f.MouthTeeth >= Thresholds.SmileTeeth)
            r.Add("mouth_closed", CheckStatus.Warn, measured, allowed, "露齿笑：证件照要求表情自然、嘴巴闭合，审核时可能不通过，建议闭嘴重拍。");
        else
            r.Add("mouth_closed", CheckStatus.Fail, measured, allowed, "嘴巴张开了，请闭上嘴巴、保持自然表情重拍。");
    }

    public static void SourceResolution(CheckReportBuilder r, double sourceFace, double neededFace, double maxUpscale)
    {
        var status = sourceFace >= neededFace ? CheckStatus.Pass : sourceFace * maxUpscale >= neededFace ? CheckStatus.Warn : CheckStatus.Fail;
        r.Add("source_resolution", status, $"脸宽 {Px(sourceFace)}", $"≥ {Px(neededFace)}", status switch
        {
            CheckStatus.Pass => "原图清晰度足够。",
            CheckStatus.Warn => "原图分辨率偏低，照片已略微放大，建议在近处重拍以获得更清晰的照片。",
            _ => "原图中的脸太小，放大后会模糊，请用手机后置摄像头在近处（约 1 米）重拍，不要截图或压缩。",
        });
    }
}

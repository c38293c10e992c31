using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Core.PhotoCenter;

/// <summary>
/// Why a reviewer rejects a photo. A rejection names codes from the photo's own check report
/// (background_uniformity, face_width, …) and/or these reviewer codes for what the automatic checks
/// cannot see. Each comes with the sentence the user is shown.
/// </summary>
public static class ReviewReasons
{
    public static readonly IReadOnlyDictionary<string, string> ReviewerCodes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["expression"] = "表情不自然：请保持自然表情，双眼睁开，嘴巴闭合",
        ["glasses"] = "眼镜反光或镜框遮挡眼睛：请摘下眼镜重拍",
        ["hair_cover"] = "头发遮挡了眉毛、眼睛或脸部轮廓：请整理头发后重拍",
        ["headwear"] = "佩戴了帽子或头饰：请摘下后重拍",
        ["clothing"] = "服装颜色与背景相近：请换一件深色有领的衣服",
        ["edited"] = "照片经过美颜或修饰：请使用未经美化的原始照片",
        ["other"] = "其他原因：请查看审核备注",
    };

    /// <summary>The user-facing sentence for a code: the reviewer code's, the check's own message, or a general one.</summary>
    public static string Message(string code, CheckReport? report) =>
        ReviewerCodes.TryGetValue(code, out var text) ? text
        : report?.Checks.FirstOrDefault(c => c.Id == code)?.Message ?? "照片未通过审核，请按要求重新拍摄";

    /// <summary>Codes a reviewer may use for this photo: its check ids, then the reviewer codes.</summary>
    public static IReadOnlyList<string> Allowed(CheckReport? report) =>
        [.. report?.Checks.Select(c => c.Id).Distinct() ?? [], .. ReviewerCodes.Keys];
}

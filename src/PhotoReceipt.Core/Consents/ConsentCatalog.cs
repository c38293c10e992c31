namespace PhotoReceipt.Core.Consents;

/// <summary>One thing a user agrees to, in the version the mini-program currently shows.</summary>
/// <param name="Kind">Stable id sent by the client (privacy_policy, face_photo).</param>
/// <param name="Version">The text's version; a new version needs a new consent.</param>
/// <param name="Summary">What the user agrees to, in one sentence, as the consent screen shows it.</param>
public sealed record ConsentKind(string Kind, string Title, string Version, string Summary);

/// <summary>
/// The consents PhotoReceipt asks for. The face photo is sensitive personal information (PIPL
/// art. 28–29): it gets its own consent, separate from the privacy policy, before any upload.
/// </summary>
public static class ConsentCatalog
{
    public const string PrivacyPolicy = "privacy_policy";
    public const string FacePhoto = "face_photo";

    /// <summary>PIPL art. 31: a child under 14 needs a parent's or guardian's consent.</summary>
    public const int GuardianConsentAge = 14;

    public static readonly IReadOnlyList<ConsentKind> All =
    [
        new(PrivacyPolicy, "隐私政策", "2026-11",
            "我们收集姓名、身份证号码和手机号，仅用于生成照片回执并提交相片审核机构，回执过期后按保存期限删除。"),
        new(FacePhoto, "人脸照片处理规则", "2026-11",
            "人脸照片属于敏感个人信息。您单独同意后，我们才会处理您上传的照片：识别人脸、更换背景、裁剪为证件照并提交审核。"),
    ];

    public static ConsentKind? Find(string? kind) => All.FirstOrDefault(k => k.Kind == kind);
}

using System.ComponentModel.DataAnnotations;

namespace PhotoReceipt.Core.Notices;

/// <summary>What a template keyword shows. The keyword's name (type prefix + index) comes from the template in the WeChat back office.</summary>
public enum NoticeField
{
    /// <summary>Our order number (character_string).</summary>
    OrderNo,
    /// <summary>The product's name, e.g. 深圳居住证回执 (thing).</summary>
    ProductName,
    /// <summary>已通过 / 未通过 / 即将到期 (phrase).</summary>
    Result,
    /// <summary>The image number on the receipt (character_string); approvals only.</summary>
    ImageNumber,
    /// <summary>The first rejection reason, e.g. 表情不自然等2项 (thing); rejections only.</summary>
    Reasons,
    /// <summary>When the review decided, Beijing time (time).</summary>
    Time,
    /// <summary>The receipt's last valid day (date); expiry reminders only.</summary>
    ValidUntil,
    /// <summary>What to do next, e.g. 回执已出，点击查看并下载 (thing).</summary>
    Remark,
}

/// <summary>One subscribe-message template: its id and which of our fields each keyword shows.</summary>
public sealed class NoticeTemplate
{
    [Required]
    public string TemplateId { get; set; } = "";

    /// <summary>Keyword name (e.g. <c>character_string1</c>) → field. Empty means the built-in defaults.</summary>
    public Dictionary<string, NoticeField> Keywords { get; set; } = new(StringComparer.Ordinal);
}

public sealed class NoticeTemplates
{
    public NoticeTemplate Approved { get; set; } = new() { TemplateId = "photoreceipt-approved" };
    public NoticeTemplate Rejected { get; set; } = new() { TemplateId = "photoreceipt-rejected" };
    public NoticeTemplate Expiring { get; set; } = new() { TemplateId = "photoreceipt-expiring" };
}

/// <summary>
/// Section <c>Notices</c>. Template ids are the mini-program's own (subscribe-message templates chosen in the
/// WeChat back office); the defaults only suit sandbox mode, where nothing is sent.
/// </summary>
public sealed class NoticeOptions
{
    public const string Section = "Notices";

    public NoticeTemplates Templates { get; set; } = new();

    /// <summary>How often the dispatcher turns new outbox rows into send jobs.</summary>
    [Range(1, 3600)]
    public int DispatchEverySeconds { get; set; } = 10;

    /// <summary>Outbox rows one dispatch transaction takes at most.</summary>
    [Range(1, 10_000)]
    public int DispatchBatch { get; set; } = 100;

    public NoticeTemplate TemplateFor(string kind) => kind switch
    {
        NoticeKinds.Approved => Templates.Approved,
        NoticeKinds.Rejected => Templates.Rejected,
        NoticeKinds.Expiring => Templates.Expiring,
        _ => throw new ArgumentException($"'{kind}' is not a notice kind.", nameof(kind)),
    };

    /// <summary>Notice kind → the template it is sent with.</summary>
    public IReadOnlyDictionary<string, string> TemplateIds() => NoticeKinds.All.ToDictionary(k => k, k => TemplateFor(k).TemplateId);

    // Keyword sets are filled in only when none is configured: the configuration binder merges dictionary
    // keys, so defaults set in code would leak extra keywords into a configured template.
    public static readonly IReadOnlyDictionary<string, NoticeField> DefaultApproved = new Dictionary<string, NoticeField>
    {
        ["character_string1"] = NoticeField.OrderNo, ["phrase2"] = NoticeField.Result, ["character_string3"] = NoticeField.ImageNumber,
        ["time4"] = NoticeField.Time, ["thing5"] = NoticeField.Remark,
    };
    public static readonly IReadOnlyDictionary<string, NoticeField> DefaultRejected = new Dictionary<string, NoticeField>
    {
        ["character_string1"] = NoticeField.OrderNo, ["phrase2"] = NoticeField.Result, ["thing3"] = NoticeField.Reasons,
        ["time4"] = NoticeField.Time, ["thing5"] = NoticeField.Remark,
    };
    public static readonly IReadOnlyDictionary<string, NoticeField> DefaultExpiring = new Dictionary<string, NoticeField>
    {
        ["character_string1"] = NoticeField.OrderNo, ["thing2"] = NoticeField.ProductName, ["date3"] = NoticeField.ValidUntil,
        ["thing4"] = NoticeField.Remark,
    };
}

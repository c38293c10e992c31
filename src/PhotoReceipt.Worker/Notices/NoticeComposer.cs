using System.Globalization;
using PhotoReceipt.Core.Notices;

namespace PhotoReceipt.Worker.Notices;

/// <summary>What a notice can say about its order. Fields a kind does not have are null.</summary>
public sealed record NoticeFacts(string OrderNo, string? ProductName, string? ImageNumber, string? Reasons, DateTimeOffset At, DateOnly? ValidUntil);

/// <summary>
/// Turns a notice into keyword values. Texts are short on purpose: thing allows 20 characters and phrase
/// 5 Chinese characters (wechat.md §3); the client still normalizes and refuses what does not fit.
/// </summary>
public static class NoticeComposer
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static Dictionary<string, string> Compose(NoticeTemplate template, string kind, NoticeFacts facts) =>
        template.Keywords.ToDictionary(k => k.Key, k => Value(k.Value, kind, facts) ?? "", StringComparer.Ordinal);

    public static string Page(Guid orderId) => $"pages/order/detail?id={orderId}";

    private static string? Value(NoticeField field, string kind, NoticeFacts f) => field switch
    {
        NoticeField.OrderNo => f.OrderNo,
        NoticeField.ProductName => f.ProductName,
        NoticeField.ImageNumber => f.ImageNumber,
        NoticeField.Reasons => f.Reasons,
        NoticeField.Time => f.At.ToOffset(Beijing).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture),
        NoticeField.ValidUntil => f.ValidUntil?.ToString("yyyy年M月d日", CultureInfo.InvariantCulture),
        NoticeField.Result => kind switch
        {
            NoticeKinds.Approved => "已通过",
            NoticeKinds.Rejected => "未通过",
            _ => "即将到期",
        },
        NoticeField.Remark => kind switch
        {
            NoticeKinds.Approved => "回执已出，点击查看并下载",
            NoticeKinds.Rejected => "可免费重拍，点击查看原因",
            _ => "回执即将到期，请及时使用",
        },
        _ => null,
    };

    /// <summary>The first reason's headline (up to its first comma or colon), and how many there are.</summary>
    public static string? ReasonsText(IReadOnlyList<string> messages)
    {
        if (messages.Count == 0) return null;
        var first = messages[0];
        var cut = first.IndexOfAny(['：', '，', ':', ',', '。']);
        var headline = cut > 0 ? first[..cut] : first;
        return messages.Count == 1 ? headline : $"{headline}等{messages.Count}项";
    }
}

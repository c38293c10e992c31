using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PhotoReceipt.WeChat.Api;

/// <summary>
/// Keyword value rules of subscribeMessage.send (wechat.md §3), applied before sending because WeChat answers
/// a violation with 47003 and the one-time grant is then still unused but the notice is lost. Lengths are
/// counted in user-perceived characters so truncation never splits an emoji or a surrogate pair. Values whose
/// meaning a cut would change (numbers, amounts, phone numbers, times) are refused instead of truncated.
/// </summary>
public static partial class SubscribeMessageRules
{
    public const string Ellipsis = "…";

    /// <summary>The keyword type: the key without its trailing index (<c>character_string12</c> → <c>character_string</c>).</summary>
    public static string KeywordType(string key) => key.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');

    /// <summary>Normalizes every value, or returns the first violation in WeChat's own wording style.</summary>
    public static bool TryNormalize(IReadOnlyDictionary<string, string> data, out Dictionary<string, string> normalized, out string? error)
    {
        normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, raw) in data)
        {
            var (value, problem) = Normalize(KeywordType(key), raw ?? "");
            if (problem is not null)
            {
                error = $"data.{key}.value {problem}";
                return false;
            }
            normalized[key] = value!;
        }
        error = null;
        return true;
    }

    /// <returns>The value to send, or a problem description.</returns>
    public static (string? Value, string? Problem) Normalize(string type, string raw)
    {
        // Line breaks render as nothing in the card and some types reject them outright.
        var value = WhitespaceRun().Replace(raw, " ").Trim();
        if (value.Length == 0) return (null, "is empty");
        switch (type)
        {
            case "thing":
                return (Truncate(value, 20, Ellipsis), null);
            case "number":
                return NumberPattern().IsMatch(value) && value.Count(char.IsAsciiDigit) <= 32
                    ? (value, null) : (null, "must be at most 32 digits, decimals allowed");
            case "letter":
                return LetterPattern().IsMatch(value) ? (Truncate(value, 32), null) : (null, "must be letters only");
            case "symbol":
                return value.Any(c => char.IsLetterOrDigit(c)) ? (null, "must be symbols only") : (Truncate(value, 5), null);
            case "character_string":
                // Chinese is not allowed here; order numbers and image numbers fit.
                return CharacterStringPattern().IsMatch(value) ? (Truncate(value, 32), null)
                    : (null, "must be digits, letters or symbols without Chinese");
            case "time":
            case "date":
                return TimePattern().IsMatch(value) && value.Any(char.IsAsciiDigit)
                    ? (value, null) : (null, "must be a date or 24-hour time, a range joined by ~");
            case "amount":
                return AmountPattern().IsMatch(value) ? (value, null)
                    : (null, "must be an optional currency symbol and at most 10 digits, optionally ending in 元");
            case "phone_number":
                return PhonePattern().IsMatch(value) ? (value, null) : (null, "must be at most 17 digits or symbols");
            case "car_number":
                return Length(value) <= 8 ? (value, null) : (null, "must be at most 8 characters");
            case "name":
                return (Truncate(value, value.All(IsChinese) ? 10 : 20), null);
            case "phrase":
                return value.All(IsChinese) ? (Truncate(value, 5), null) : (null, "must be at most 5 Chinese characters");
            default:
                // enum and future types: only WeChat knows the template's allowed values.
                return (value, null);
        }
    }

    /// <summary>Cuts to at most <paramref name="max"/> text elements, the last being <paramref name="marker"/> when cut.</summary>
    public static string Truncate(string value, int max, string marker = "")
    {
        if (Length(value) <= max) return value;
        var keep = max - Length(marker);
        var sb = new StringBuilder();
        var e = StringInfo.GetTextElementEnumerator(value);
        for (var i = 0; i < keep && e.MoveNext(); i++) sb.Append(e.GetTextElement());
        return sb.Append(marker).ToString();
    }

    private static int Length(string value) => new StringInfo(value).LengthInTextElements;

    private static bool IsChinese(char c) => c is >= '\u4e00' and <= '\u9fff' or >= '\u3400' and <= '\u4dbf';

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRun();
    [GeneratedRegex(@"^-?\d+(\.\d+)?$")]
    private static partial Regex NumberPattern();
    [GeneratedRegex(@"^[A-Za-z]+$")]
    private static partial Regex LetterPattern();
    [GeneratedRegex(@"^[\x21-\x7E]+$")]
    private static partial Regex CharacterStringPattern();
    [GeneratedRegex(@"^[0-9年月日时分秒:：\-/. ~]+$")]
    private static partial Regex TimePattern();
    [GeneratedRegex(@"^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$")]
    private static partial Regex AmountPattern();
    [GeneratedRegex(@"^[0-9+\-() ]{1,17}$")]
    private static partial Regex PhonePattern();
}

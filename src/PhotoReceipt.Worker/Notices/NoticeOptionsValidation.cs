using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Notices;
using PhotoReceipt.WeChat.Api;

namespace PhotoReceipt.Worker.Notices;

/// <summary>
/// Fills in default keyword sets, then checks each template at start-up by composing a sample notice and
/// running WeChat's value rules over it: a keyword mapped to a field its type cannot carry (an order number
/// in a phrase, a reason on an approval) stops the process instead of failing every notice with 47003.
/// </summary>
public sealed partial class NoticeOptionsValidation : IPostConfigureOptions<NoticeOptions>, IValidateOptions<NoticeOptions>
{
    public void PostConfigure(string? name, NoticeOptions options)
    {
        Fill(options.Templates.Approved, NoticeOptions.DefaultApproved);
        Fill(options.Templates.Rejected, NoticeOptions.DefaultRejected);
        Fill(options.Templates.Expiring, NoticeOptions.DefaultExpiring);
    }

    private static void Fill(NoticeTemplate template, IReadOnlyDictionary<string, NoticeField> defaults)
    {
        if (template.Keywords.Count > 0) return;
        foreach (var (k, v) in defaults) template.Keywords[k] = v;
    }

    public ValidateOptionsResult Validate(string? name, NoticeOptions options)
    {
        var errors = new List<string>();
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero);
        Check("Approved", NoticeKinds.Approved, new NoticeFacts("P202601020001", "深圳居住证回执", "A1B2C3D4E5F6G7H8", null, at, null));
        Check("Rejected", NoticeKinds.Rejected, new NoticeFacts("P202601020001", "深圳居住证回执", null, "表情不自然等2项", at, null));
        Check("Expiring", NoticeKinds.Expiring, new NoticeFacts("P202601020001", "深圳居住证回执", "A1B2C3D4E5F6G7H8", null, at, new DateOnly(2026, 2, 1)));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        void Check(string label, string kind, NoticeFacts sample)
        {
            var template = options.TemplateFor(kind);
            var prefix = $"{NoticeOptions.Section}:Templates:{label}";
            if (string.IsNullOrWhiteSpace(template.TemplateId) || !TemplateIdPattern().IsMatch(template.TemplateId))
                errors.Add($"{prefix}:TemplateId must be a template id of letters, digits, '-' and '_'.");
            foreach (var key in template.Keywords.Keys.Where(k => !KeywordPattern().IsMatch(k)))
                errors.Add($"{prefix}:Keywords:{key} is not a keyword name (type prefix + index, e.g. thing2).");
            if (!SubscribeMessageRules.TryNormalize(NoticeComposer.Compose(template, kind, sample), out _, out var problem))
                errors.Add($"{prefix}:Keywords: {problem} (the mapped field does not fit the keyword's type, or this notice has no such value)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex TemplateIdPattern();

    [GeneratedRegex("^[a-z_]+[0-9]+$")]
    private static partial Regex KeywordPattern();
}

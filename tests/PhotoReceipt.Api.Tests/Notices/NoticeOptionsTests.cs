using PhotoReceipt.Core.Notices;
using PhotoReceipt.Worker.Notices;

namespace PhotoReceipt.Api.Tests.Notices;

public sealed class NoticeOptionsTests
{
    private static NoticeOptions Configured(Action<NoticeOptions> change)
    {
        var options = new NoticeOptions();
        change(options);
        new NoticeOptionsValidation().PostConfigure(null, options);
        return options;
    }

    [Fact]
    public void The_default_templates_fit_WeChat_keyword_rules()
    {
        var options = Configured(_ => { });
        Assert.True(new NoticeOptionsValidation().Validate(null, options).Succeeded);
        Assert.Equal(NoticeField.ImageNumber, options.Templates.Approved.Keywords["character_string3"]);
    }

    [Fact]
    public void A_configured_keyword_set_replaces_the_defaults_instead_of_merging()
    {
        var options = Configured(o => o.Templates.Rejected.Keywords["thing7"] = NoticeField.Reasons);
        Assert.Equal(["thing7"], options.Templates.Rejected.Keywords.Keys);
    }

    [Fact]
    public void A_field_that_does_not_fit_its_keyword_type_stops_start_up()
    {
        var options = Configured(o =>
        {
            o.Templates.Approved.Keywords["phrase2"] = NoticeField.OrderNo;       // phrase: Chinese only
            o.Templates.Rejected.Keywords["character_string9"] = NoticeField.ImageNumber; // a rejection has none
            o.Templates.Expiring.TemplateId = "";
        });
        var result = new NoticeOptionsValidation().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Notices:Templates:Approved:Keywords: data.phrase2.value must be", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Notices:Templates:Rejected:Keywords: data.character_string9.value is empty", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Notices:Templates:Expiring:TemplateId", StringComparison.Ordinal));
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Notices;

namespace PhotoReceipt.Api.Subscriptions;

/// <summary>The tmplIds the mini-program passes to wx.requestSubscribeMessage (at most 3 per call).</summary>
public sealed record SubscriptionTemplates(string Approved, string Rejected, string Expiring);

public static class SubscriptionTemplatesApi
{
    public static RouteGroupBuilder MapSubscriptionTemplates(this RouteGroupBuilder api)
    {
        api.MapGet("/subscriptions/templates", Get).WithTags("Subscriptions").WithName("SubscriptionTemplates")
            .WithSummary("The service-notice templates to ask the user for after payment (approved, rejected, expiring)");
        return api;
    }

    internal static Ok<SubscriptionTemplates> Get(IOptions<NoticeOptions> notices)
    {
        var t = notices.Value.Templates;
        return TypedResults.Ok(new SubscriptionTemplates(t.Approved.TemplateId, t.Rejected.TemplateId, t.Expiring.TemplateId));
    }
}

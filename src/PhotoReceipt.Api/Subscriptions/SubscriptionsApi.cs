using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PhotoReceipt.Api.Platform;
using Microsoft.Extensions.Options;
using PhotoReceipt.Data.Users;
using PhotoReceipt.Core.Notices;

namespace PhotoReceipt.Api.Subscriptions;

/// <summary>The template ids the user accepted in wx.requestSubscribeMessage: each accept allows one notice.</summary>
public sealed record SubscriptionRequest(IReadOnlyList<string>? TemplateIds);

public sealed record SubscriptionGrants(IReadOnlyDictionary<string, int> Remaining);

public sealed class SubscriptionRequestValidator : AbstractValidator<SubscriptionRequest>
{
    public SubscriptionRequestValidator()
    {
        RuleFor(x => x.TemplateIds).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("请至少提交一个已同意的模板 templateIds")
            .Must(ids => ids!.Count <= 5).WithMessage("一次最多提交 5 个模板（与 wx.requestSubscribeMessage 一致）");
        RuleForEach(x => x.TemplateIds).NotEmpty().WithMessage("模板 id 不能为空")
            .MaximumLength(64).WithMessage("模板 id 格式不正确")
            .Matches("^[A-Za-z0-9_-]+$").WithMessage("模板 id 格式不正确");
    }
}

public static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptions(this RouteGroupBuilder api)
    {
        api.MapPost("/subscriptions", RecordAsync).WithTags("Subscriptions").WithName("RecordSubscriptions")
            .WithSummary("Record the one-time subscribe-message grants the user accepted").WithValidation<SubscriptionRequest>();
        return api;
    }

    /// <summary>
    /// Grants a user can bank per template: each notice we send uses one, and we send at most a few per
    /// order; more would only be rows a client script could pile up.
    /// </summary>
    public const int MaxGrantsPerTemplate = 20;

    internal static async Task<Results<Ok<SubscriptionGrants>, ValidationProblem>> RecordAsync(SubscriptionRequest request, CurrentUser user,
        UserStore users, IOptions<NoticeOptions> notices, CancellationToken ct)
    {
        // Only the templates we send: a grant for anything else is a row nobody will ever use.
        var t = notices.Value.Templates;
        string[] ours = [t.Approved.TemplateId, t.Rejected.TemplateId, t.Expiring.TemplateId];
        var unknown = request.TemplateIds!.Where(id => !ours.Contains(id, StringComparer.Ordinal)).Distinct().ToList();
        if (unknown.Count > 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["templateIds"] = [$"不是本小程序的通知模板：{string.Join("、", unknown)}"] },
                detail: "包含不是本小程序的通知模板", title: "提交的信息有误");
        var userId = user.Id;
        await users.AddSubscriptionGrantsAsync(userId, request.TemplateIds!.Distinct().ToList(), MaxGrantsPerTemplate, ct);
        return TypedResults.Ok(new SubscriptionGrants(await users.SubscriptionGrantsAsync(userId, ct)));
    }
}

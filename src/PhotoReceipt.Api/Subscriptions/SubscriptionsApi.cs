using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Data.Users;

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

    internal static async Task<Ok<SubscriptionGrants>> RecordAsync(SubscriptionRequest request, HttpContext http, UserStore users, CancellationToken ct)
    {
        var userId = http.User.Id();
        await users.AddSubscriptionGrantsAsync(userId, request.TemplateIds!.Distinct().ToList(), ct);
        return TypedResults.Ok(new SubscriptionGrants(await users.SubscriptionGrantsAsync(userId, ct)));
    }
}

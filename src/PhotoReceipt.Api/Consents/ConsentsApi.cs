using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Core.Consents;
using PhotoReceipt.Data.Consents;

namespace PhotoReceipt.Api.Consents;

/// <summary>One kind of consent as the consent screen shows it, with this user's standing.</summary>
/// <param name="Given">True when this user's consent to the current version is on record.</param>
/// <param name="GivenVersion">The version the user last agreed to (maybe an older one), or null.</param>
public sealed record ConsentStatusDto(string Kind, string Title, string Version, string Summary, bool Given, string? GivenVersion, DateTime? GivenAt);

/// <param name="GuardianConsentAge">Applicants younger than this need a parent's or guardian's consent on the order.</param>
public sealed record ConsentList(IReadOnlyList<ConsentStatusDto> Items, int GuardianConsentAge);

public sealed record ConsentRequest(string? Kind, string? Version);

public sealed record ConsentWithdrawalDto(string Kind, bool Withdrawn, int PhotosDeleted, int OrdersCancelled);

public sealed class ConsentRequestValidator : AbstractValidator<ConsentRequest>
{
    public ConsentRequestValidator()
    {
        RuleFor(x => x.Kind).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("请说明同意的是哪一项（kind）")
            .Must(k => ConsentCatalog.Find(k) is not null).WithMessage("没有这一项授权");
        RuleFor(x => x.Version).NotEmpty().WithMessage("缺少条款版本号（version）").MaximumLength(32).WithMessage("条款版本号格式不正确");
    }
}

/// <summary>
/// Consents as PIPL asks: the privacy policy, and separately the processing of the face photo
/// (sensitive personal information, art. 28–29), each recorded with its version, time and user.
/// </summary>
public static class ConsentsApi
{
    public static RouteGroupBuilder MapConsents(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/consents").WithTags("Consents");
        group.MapGet("/", ListAsync).WithName("ListConsents").WithSummary("Each consent kind with its current version and whether this user has given it");
        group.MapPost("/", GiveAsync).WithName("GiveConsent").WithSummary("Record the user's consent to the current version of one kind")
            .WithValidation<ConsentRequest>();
        group.MapDelete("/{kind}", WithdrawAsync).WithName("WithdrawConsent")
            .WithSummary("Withdraw a consent; for face_photo the photos no paid order needs are deleted and unpaid orders holding them cancelled");
        return api;
    }

    internal static async Task<Ok<ConsentList>> ListAsync(CurrentUser user, ConsentStore consents, CancellationToken ct)
    {
        var standing = (await consents.StandingAsync(user.Id, ct)).ToDictionary(c => c.Kind);
        var items = ConsentCatalog.All.Select(k => Status(k, standing.GetValueOrDefault(k.Kind))).ToList();
        return TypedResults.Ok(new ConsentList(items, ConsentCatalog.GuardianConsentAge));
    }

    internal static async Task<Results<Ok<ConsentStatusDto>, ConflictProblem>> GiveAsync(
        ConsentRequest request, CurrentUser user, ConsentStore consents, CancellationToken ct)
    {
        var kind = ConsentCatalog.Find(request.Kind)!;
        // Agreeing to a text the user did not see is no consent: an old client re-reads the new one.
        if (request.Version != kind.Version)
            return new ConflictProblem("条款已更新", $"《{kind.Title}》已更新到 {kind.Version} 版，请重新阅读后再同意");
        var record = await consents.GiveAsync(user.Id, kind.Kind, kind.Version, ct);
        return TypedResults.Ok(Status(kind, record));
    }

    internal static async Task<Results<Ok<ConsentWithdrawalDto>, NotFoundProblem>> WithdrawAsync(
        string kind, CurrentUser user, ConsentStore consents, CancellationToken ct)
    {
        if (ConsentCatalog.Find(kind) is null)
            return new NotFoundProblem("找不到", "没有这一项授权");
        var result = await consents.WithdrawAsync(user.Id, kind, ct);
        return TypedResults.Ok(new ConsentWithdrawalDto(kind, result.Withdrawn, result.PhotosDeleted, result.OrdersCancelled));
    }

    /// <summary>
    /// Null when the user's consent to the current face-photo rules is on record; otherwise the 403
    /// every route that processes a face photo answers (upload, derive).
    /// </summary>
    public static async Task<ForbiddenProblem?> FacePhotoConsentMissingAsync(ConsentStore consents, Guid userId, CancellationToken ct)
    {
        var face = ConsentCatalog.Find(ConsentCatalog.FacePhoto)!;
        if (await consents.HasStandingAsync(userId, face.Kind, face.Version, ct)) return null;
        return new ForbiddenProblem("需要您的单独同意", $"人脸照片属于敏感个人信息。请先阅读并同意《{face.Title}》，再上传照片",
            new Dictionary<string, object?> { ["consentKind"] = face.Kind, ["consentVersion"] = face.Version });
    }

    private static ConsentStatusDto Status(ConsentKind kind, ConsentRecord? record) =>
        new(kind.Kind, kind.Title, kind.Version, kind.Summary, record?.Version == kind.Version, record?.Version, record?.GivenAt);
}

using FluentValidation;
using PhotoReceipt.Core.Consents;
using PhotoReceipt.Core.Identity;

namespace PhotoReceipt.Api.Orders;

/// <summary>A parent's or guardian's consent for an applicant under 14 (PIPL art. 31).</summary>
/// <param name="Relationship">父亲, 母亲 or 其他监护人.</param>
/// <param name="Consent">True: the guardian agrees to the processing of the child's personal information and face photo.</param>
public sealed record GuardianRequest(string? Name, string? Relationship, bool? Consent);

/// <summary>The guardian's consent recorded on an order (the name masked, as everywhere users see personal data).</summary>
public sealed record GuardianConsentDto(string Relationship, string? NameMasked, DateTime GivenAt);

public static class GuardianRules
{
    public static readonly IReadOnlyList<string> Relationships = ["父亲", "母亲", "其他监护人"];

    /// <summary>True when the ID number's birth date makes the applicant younger than 14 today (China's calendar).</summary>
    public static bool NeedsGuardian(string? idNumber, TimeProvider clock) =>
        idNumber is not null && ApplicantAge.YearsOn(idNumber, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8))) is { } age
        && age < ConsentCatalog.GuardianConsentAge;
}

public sealed class GuardianValidator : AbstractValidator<GuardianRequest>
{
    public GuardianValidator()
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("请填写监护人姓名")
            .Must(n => n!.Trim().Length is >= 1 and <= 30).WithMessage("监护人姓名最多 30 个字")
            .Matches(@"^\s*[\p{IsCJKUnifiedIdeographs}A-Za-z][\p{IsCJKUnifiedIdeographs}A-Za-z·•. ]*\s*$").WithMessage("监护人姓名只能包含汉字、字母和间隔号");
        RuleFor(x => x.Relationship).Must(r => r is not null && GuardianRules.Relationships.Contains(r))
            .WithMessage("请选择与申请人的关系（父亲、母亲或其他监护人）");
        RuleFor(x => x.Consent).Equal(true).WithMessage("申请人未满 14 周岁，需要监护人勾选同意后才能提交");
    }
}

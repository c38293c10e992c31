using FluentValidation;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Identity;

namespace PhotoReceipt.Api.Orders;

public sealed record ApplicantRequest(string? Name, string? IdNumber, string? Phone);

/// <param name="Guardian">Required when the applicant is under 14 (see <see cref="GuardianRules"/>).</param>
public sealed record CreateOrderRequest(string? ProductId, Guid? PhotoId, ApplicantRequest? Applicant, string? ConsentVersion, GuardianRequest? Guardian = null);

public sealed class CreateOrderRequestValidator : AbstractValidator<CreateOrderRequest>
{
    public CreateOrderRequestValidator(ProductCatalog catalog, TimeProvider clock)
    {
        RuleFor(x => x.ProductId).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("请选择证件类型")
            .Must(id => catalog.FindProduct(id!) is not null).WithMessage("所选的证件类型不存在");
        RuleFor(x => x.PhotoId).NotEmpty().WithMessage("请先上传照片");
        RuleFor(x => x.ConsentVersion).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("请先阅读并同意《隐私政策》")
            .MaximumLength(32).WithMessage("隐私政策版本号格式不正确");
        RuleFor(x => x.Applicant).NotNull().WithMessage("请填写申请人信息")
            .SetValidator(new ApplicantValidator(clock)!);
        When(x => GuardianRules.NeedsGuardian(x.Applicant?.IdNumber, clock), () =>
            RuleFor(x => x.Guardian).Cascade(CascadeMode.Stop)
                .NotNull().WithMessage("申请人未满 14 周岁，需要父母或其他监护人同意：请填写监护人信息并勾选同意")
                .SetValidator(new GuardianValidator()!));
    }
}

public sealed class ApplicantValidator : AbstractValidator<ApplicantRequest>
{
    public ApplicantValidator(TimeProvider clock)
    {
        RuleFor(x => x.Name).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("请填写姓名")
            .Must(n => n!.Trim().Length is >= 1 and <= 30).WithMessage("姓名最多 30 个字")
            .Matches(@"^\s*[\p{IsCJKUnifiedIdeographs}A-Za-z][\p{IsCJKUnifiedIdeographs}A-Za-z·•. ]*\s*$").WithMessage("姓名只能包含汉字、字母和间隔号");
        RuleFor(x => x.IdNumber).Custom((id, ctx) =>
        {
            var error = ChineseIdNumber.Validate(id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8)));
            if (error is not null) ctx.AddFailure(error);
        });
        RuleFor(x => x.Phone).Must(MainlandMobile.IsValid).WithMessage("请填写正确的 11 位手机号");
    }
}

public sealed record RetakeRequest(Guid? PhotoId);

public sealed class RetakeRequestValidator : AbstractValidator<RetakeRequest>
{
    public RetakeRequestValidator() => RuleFor(x => x.PhotoId).NotEmpty().WithMessage("请先上传新的照片");
}

using FluentValidation;

namespace PhotoReceipt.Api.Platform;

/// <summary>Runs the FluentValidation validator of a request body; failures become a 400 ValidationProblem keyed by JSON names.</summary>
public static class ValidationFilter
{
    /// <summary>
    /// Every validator of this assembly (FluentValidation's DI extensions), as singletons: they hold only
    /// the catalog and the clock. Messages are Chinese (ours are written so; the built-in ones in zh-CN) and
    /// name fields as the JSON does.
    /// </summary>
    public static IServiceCollection AddRequestValidation(this IServiceCollection services)
    {
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, includeInternalTypes: true);
        // "Applicant.IdNumber" → "applicant.idNumber": the names the mini-program sends.
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
        {
            var path = expression is null ? member?.Name : FluentValidation.Internal.PropertyChain.FromExpression(expression).ToString();
            return path is null ? null : string.Join('.', path.Split('.').Select(JsonName));
        };
        ValidatorOptions.Global.LanguageManager.Culture = new System.Globalization.CultureInfo("zh-CN");
        return services;
    }

    private static string JsonName(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..];

    public static RouteHandlerBuilder WithValidation<T>(this RouteHandlerBuilder builder) where T : class =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var argument = context.Arguments.OfType<T>().FirstOrDefault();
            if (argument is null)
                return TypedResults.Problem(statusCode: 400, title: "请求有误", detail: "请求内容为空或格式不正确");
            var validator = context.HttpContext.RequestServices.GetRequiredService<IValidator<T>>();
            var result = await validator.ValidateAsync(argument, context.HttpContext.RequestAborted);
            if (!result.IsValid)
                return TypedResults.ValidationProblem(
                    result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()),
                    detail: result.Errors[0].ErrorMessage,
                    title: "提交的信息有误");
            return await next(context);
        }).ProducesValidationProblem();
}

using Microsoft.AspNetCore.Authentication;
using PhotoReceipt.Api.Orders;
using PhotoReceipt.Api.Photos;
using PhotoReceipt.Api.Sessions;
using PhotoReceipt.Api.Subscriptions;
using PhotoReceipt.Core.Notices;

namespace PhotoReceipt.Api.Platform;

public static class ApiServiceCollectionExtensions
{
    /// <summary>What the HTTP surface needs: errors, auth, limits, validation, options, OpenAPI.</summary>
    public static IServiceCollection AddPhotoReceiptApi(this IServiceCollection services)
    {
        services.AddChineseProblemDetails();
        services.AddExceptionHandler<RequestFailures>();
        services.AddSingleton<DatabaseOutage>();
        services.AddTrustedProxies();
        services.AddAuthentication(BearerSessionAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerSessionAuthentication>(BearerSessionAuthentication.SchemeName, null);
        services.AddAuthorization();
        services.AddMemoryCache(o => o.SizeLimit = 100_000);
        services.AddPhotoReceiptRateLimits();
        services.AddOpenApi("v1");

        services.AddRequestValidation();

        services.AddOptions<LoginSessionOptions>().BindConfiguration(LoginSessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // /subscriptions accepts grants for our own templates only; the worker checks the keyword mappings.
        services.AddOptions<NoticeOptions>().BindConfiguration(NoticeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<StartupTasks>();
        return services;
    }
}

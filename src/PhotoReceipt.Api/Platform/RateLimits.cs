using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace PhotoReceipt.Api.Platform;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>POST /session per client address per minute (WeChat itself allows 100/min per user).</summary>
    [Range(1, 1_000_000)]
    public int LoginPerMinute { get; set; } = 30;

    /// <summary>Photo uploads per user per minute.</summary>
    [Range(1, 1_000_000)]
    public int UploadsPerMinute { get; set; } = 20;
}

public static class RateLimits
{
    public const string Login = "login";
    public const string Upload = "upload";

    public static IServiceCollection AddPhotoReceiptRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Login, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Limits(ctx).LoginPerMinute, Window = TimeSpan.FromMinutes(1) }));
            limiter.AddPolicy(Upload, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ctx.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Limits(ctx).UploadsPerMinute, Window = TimeSpan.FromMinutes(1) }));
            limiter.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.StatusCode = 429;
                if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    ctx.HttpContext.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx.HttpContext,
                    ProblemDetails = { Status = 429 },
                });
            };
        });
        return services;
    }

    private static RateLimitOptions Limits(HttpContext ctx) =>
        ctx.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value;
}

using Microsoft.AspNetCore.Http.Features;

namespace PhotoReceipt.Api.Platform;

/// <summary>How many request-body bytes an endpoint accepts, and what to tell a caller that sends more.</summary>
public sealed record BodyLimitMetadata(Func<HttpContext, long> Bytes, string? Detail = null);

/// <summary>An endpoint that exists only when its feature is configured (a WeChat callback, the external center's).</summary>
public sealed record FeatureGateMetadata(Func<HttpContext, bool> IsConfigured, string Detail);

/// <summary>
/// Each endpoint declares the body it can take (<see cref="WithBodyLimit(RouteHandlerBuilder, long, string?)"/>);
/// the middleware refuses a larger announced body with 413 before a byte of it is read, and caps a
/// chunked one at the same size, so that no public endpoint buffers Kestrel's 30 MB default.
/// </summary>
public static class BodyLimits
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes, string? detail = null) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimitMetadata(_ => bytes, detail));

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, Func<HttpContext, long> bytes, string? detail = null) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimitMetadata(bytes, detail));

    /// <summary>Answers 404 before anything else (the body is not read) while <paramref name="isConfigured"/> is false.</summary>
    public static TBuilder WithFeatureGate<TBuilder>(this TBuilder builder, Func<HttpContext, bool> isConfigured, string detail) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new FeatureGateMetadata(isConfigured, detail));

    /// <summary>The limit of the endpoint this request was routed to, if it declares one.</summary>
    public static long? LimitOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<BodyLimitMetadata>() is { } m ? m.Bytes(http) : null;

    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<FeatureGateMetadata>() is { } gate && !gate.IsConfigured(http))
        {
            http.Response.Headers.Connection = "close";
            await TypedResults.Problem(statusCode: 404, title: "找不到", detail: gate.Detail).ExecuteAsync(http);
            return;
        }
        if (http.GetEndpoint()?.Metadata.GetMetadata<BodyLimitMetadata>() is { } metadata)
        {
            var limit = metadata.Bytes(http);
            if (http.Request.ContentLength > limit)
            {
                await TooLarge(http, limit, metadata.Detail).ExecuteAsync(http);
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        }
        await next(http);
    });

    public static IResult TooLarge(HttpContext http, long limit, string? detail = null)
    {
        // The rest of the body is not wanted: ask the client to close rather than send it.
        http.Response.Headers.Connection = "close";
        return TypedResults.Problem(statusCode: 413, title: "请求太大", detail: detail ?? $"提交的内容太大（不能超过 {Size(limit)}）");
    }

    public static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MB" : $"{Math.Max(1, bytes / 1024)} KB";
}

using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace PhotoReceipt.Api.Platform;

/// <summary>
/// An expected 4xx as a typed result: a handler's <c>Results&lt;…&gt;</c> names every status it can answer, and
/// each one puts itself in /openapi/v1.json. The body is the same RFC 9457 problem+json (through the problem
/// details service: trace id, Chinese text) that <c>TypedResults.Problem</c> writes.
/// </summary>
public abstract class ApiProblem(int status, string title, string detail) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;
    public string Title => title;
    public string Detail => detail;

    public Task ExecuteAsync(HttpContext httpContext) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(httpContext);

    protected static void Describe(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}

public sealed class BadRequestProblem(string title, string detail) : ApiProblem(400, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 400);
}

public sealed class ForbiddenProblem(string title, string detail) : ApiProblem(403, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 403);
}

public sealed class NotFoundProblem(string title, string detail) : ApiProblem(404, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 404);
}

public sealed class ConflictProblem(string title, string detail) : ApiProblem(409, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 409);
}

public sealed class GoneProblem(string title, string detail) : ApiProblem(410, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 410);
}

public sealed class TooLargeProblem(string title, string detail) : ApiProblem(413, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 413);
}

public sealed class UnsupportedMediaTypeProblem(string title, string detail) : ApiProblem(415, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 415);
}

public sealed class UnprocessableProblem(string title, string detail) : ApiProblem(422, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 422);
}

public sealed class TooManyRequestsProblem(string title, string detail) : ApiProblem(429, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 429);
}

public sealed class UnavailableProblem(string title, string detail) : ApiProblem(503, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 503);
}

public sealed class UnauthorizedProblem(string title, string detail) : ApiProblem(401, title, detail), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, 401);
}

public static class ProblemConventions
{
    /// <summary>
    /// The 4xx answers that come from the pipeline rather than the handler, described on each endpoint of
    /// the group once all its conventions are known: 401 unless it allows anonymous callers, 413 where it
    /// declares a body limit and takes a body, 429 where it is rate limited.
    /// </summary>
    public static TBuilder DescribePipelineProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var metadata = endpoint.Metadata;
            if (!metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any()) Add(endpoint, 401);
            if (metadata.OfType<BodyLimitMetadata>().Any() && TakesBody(metadata)) Add(endpoint, 413);
            if (metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any()) Add(endpoint, 429);
        });
        return builder;
    }

    /// <summary>GET, HEAD and DELETE routes read no body, so their limit never answers.</summary>
    private static bool TakesBody(IList<object> metadata) =>
        metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods.Any(m => m is not ("GET" or "HEAD" or "DELETE")) ?? true;

    private static void Add(EndpointBuilder endpoint, int status)
    {
        if (endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == status)) return;
        endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
    }
}

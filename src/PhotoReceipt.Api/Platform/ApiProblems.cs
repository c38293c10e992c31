using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace PhotoReceipt.Api.Platform;

/// <summary>An HTTP status as a type, so that a result type can carry it (<see cref="Problem{TStatus}"/>).</summary>
public interface IHttpStatus
{
    static abstract int Code { get; }
}

/// <summary>
/// An expected 4xx (or 503) as a typed result: a handler's <c>Results&lt;…&gt;</c> names every status it can answer,
/// and each one puts itself in /openapi/v1.json. The body is the same RFC 9457 problem+json (through the
/// problem details service: trace id, Chinese text) that <c>TypedResults.Problem</c> writes. Handlers use the
/// aliases in GlobalUsings.cs: <c>NotFoundProblem</c>, <c>ConflictProblem</c>, …. <paramref name="extensions"/>
/// are members a client acts on (e.g. which consent to ask for), beside title and detail.
/// </summary>
public sealed class Problem<TStatus>(string title, string detail, IDictionary<string, object?>? extensions = null)
    : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
    where TStatus : IHttpStatus
{
    public int? StatusCode => TStatus.Code;
    public string Title => title;
    public string Detail => detail;

    public Task ExecuteAsync(HttpContext httpContext) =>
        TypedResults.Problem(statusCode: TStatus.Code, title: title, detail: detail, extensions: extensions).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => ProblemConventions.Describe(builder, TStatus.Code);
}

public sealed class Status400 : IHttpStatus { public static int Code => 400; }
public sealed class Status401 : IHttpStatus { public static int Code => 401; }
public sealed class Status403 : IHttpStatus { public static int Code => 403; }
public sealed class Status404 : IHttpStatus { public static int Code => 404; }
public sealed class Status409 : IHttpStatus { public static int Code => 409; }
public sealed class Status410 : IHttpStatus { public static int Code => 410; }
public sealed class Status413 : IHttpStatus { public static int Code => 413; }
public sealed class Status415 : IHttpStatus { public static int Code => 415; }
public sealed class Status422 : IHttpStatus { public static int Code => 422; }
public sealed class Status429 : IHttpStatus { public static int Code => 429; }
public sealed class Status503 : IHttpStatus { public static int Code => 503; }

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
        Describe(endpoint, status);
    }

    internal static void Describe(EndpointBuilder endpoint, int status) =>
        endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
}

using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using PhotoReceipt.Data.Migrations;

namespace PhotoReceipt.Api.Platform;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Live).WithName("Live").WithSummary("The process is up").ExcludeFromDescription();
        app.MapGet("/readyz", ReadyAsync).WithName("Ready").WithSummary("The database is reachable and migrated").ExcludeFromDescription();
        return app;
    }

    internal static Ok<string> Live() => TypedResults.Ok("ok");

    internal static async Task<Results<Ok<string>, ProblemHttpResult>> ReadyAsync(Migrator migrator, CancellationToken ct)
    {
        try
        {
            var pending = await migrator.PendingAsync(ct);
            return pending.Count == 0
                ? TypedResults.Ok("ready")
                : TypedResults.Problem(statusCode: 503, title: "未就绪", detail: "数据库迁移未完成: " + string.Join(", ", pending));
        }
        catch (NpgsqlException)
        {
            return TypedResults.Problem(statusCode: 503, title: "未就绪", detail: "无法连接数据库");
        }
    }
}

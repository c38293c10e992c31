using System.Net.Sockets;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace PhotoReceipt.Api.Platform;

/// <summary>
/// Exceptions that are not bugs: what the framework throws for a request it cannot read (too large,
/// malformed form or multipart, too many form keys, a bad antiforgery token) is the client's 4xx, and
/// a database that cannot be reached is a 503 with Retry-After. Both answer problem+json and neither
/// writes a stack trace to the log. Anything else falls through to the 500 handler.
/// </summary>
public sealed class RequestFailures(DatabaseOutage outage, ILogger<RequestFailures> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Classify(http, exception);
        if (problem is null) return false;
        var (status, title, detail) = problem.Value;
        if (status == 503)
            outage.Failed(exception);
        else
            logger.LogInformation("Request refused with {Status}: {Reason}", status, exception.Message);
        if (http.Response.HasStarted || http.RequestAborted.IsCancellationRequested) return true;
        http.Response.Clear();
        http.Response.StatusCode = status;
        if (status == 503) http.Response.Headers.RetryAfter = outage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (status == 413) http.Response.Headers.Connection = "close";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
        return true;
    }

    private static (int Status, string Title, string Detail)? Classify(HttpContext http, Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: 413 } =>
            (413, "请求太大", BodyLimits.LimitOf(http) is { } limit ? $"提交的内容太大（不能超过 {BodyLimits.Size(limit)}）" : "提交的内容太大"),
        BadHttpRequestException { StatusCode: >= 400 and < 500 } bad => (bad.StatusCode, "请求有误", "请求格式不正确，请检查后重试"),
        AntiforgeryValidationException => (400, "请求已失效", "页面已过期或请求来源不正确，请刷新页面后重试"),
        // Form and multipart readers: too many keys, a value over the length limit, broken framing.
        InvalidDataException => (400, "请求有误", "表单内容不正确或超出限制，请检查后重试"),
        // A multipart body that ends before its closing boundary, or a client that hung up mid-body.
        IOException when http.RequestAborted.IsCancellationRequested || exception.Message.StartsWith("Unexpected end of", StringComparison.Ordinal)
            => (400, "请求中断", "请求没有完整发送，请重试"),
        _ when DatabaseOutage.IsUnavailable(exception) => (503, "服务暂时不可用", "系统正在维护，请稍后再试"),
        _ => null,
    };
}

/// <summary>
/// Whether PostgreSQL is reachable, as requests find out. The first failure of an outage logs one
/// warning and clears the pool (its sockets are dead); requests during the outage log nothing; a
/// probe then tries the server every few seconds and logs one line when it answers again.
/// </summary>
public sealed class DatabaseOutage(NpgsqlDataSource db, TimeProvider clock, ILogger<DatabaseOutage> logger)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _since;
    private int _failures;

    /// <summary>What a refused request is told to wait, and how often the probe tries.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    public bool InOutage { get { lock (_gate) return _since is not null; } }

    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 57P01–57P03: the server is shutting down or starting; 08…: connection exceptions; 53…: out of resources.
                case PostgresException pg when pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                    || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal):
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException:
                    return true;
            }
        }
        return false;
    }

    public void Failed(Exception exception)
    {
        lock (_gate)
        {
            _failures++;
            if (_since is not null) return;
            _since = clock.GetUtcNow();
        }
        db.Clear();
        logger.LogWarning("PostgreSQL is unavailable; answering 503 until it is back: {Reason}", Reason(exception));
        _ = Task.Run(ProbeAsync);
    }

    private async Task ProbeAsync()
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(RetryAfterSeconds), clock);
            try
            {
                await using var conn = await db.OpenConnectionAsync();
                await using var cmd = new NpgsqlCommand("SELECT 1", conn);
                await cmd.ExecuteScalarAsync();
            }
            catch (Exception ex) when (IsUnavailable(ex))
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return; // the app is shutting down
            }
            int failures;
            DateTimeOffset since;
            lock (_gate)
            {
                (since, failures) = (_since!.Value, _failures);
                (_since, _failures) = (null, 0);
            }
            logger.LogWarning("PostgreSQL is back after {Seconds:0} s; {Failures} requests were answered 503", (clock.GetUtcNow() - since).TotalSeconds, failures);
            return;
        }
    }

    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        return innermost == exception ? exception.Message : $"{exception.Message} ({innermost.Message})";
    }
}

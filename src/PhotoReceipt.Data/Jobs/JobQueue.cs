using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Npgsql;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Data.Jobs;

public sealed class JobQueueOptions
{
    public const string Section = "Jobs";

    /// <summary>How long a claim lasts; a worker that dies mid-job loses it after this and another retries.</summary>
    [Range(1, 86_400)]
    public int LeaseSeconds { get; set; } = 300;
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Retry n waits BackoffBaseSeconds × 2^(n-1), capped at BackoffMaxSeconds.</summary>
    [Range(0.01, 86_400)]
    public double BackoffBaseSeconds { get; set; } = 5;
    [Range(0.01, 7 * 86_400)]
    public double BackoffMaxSeconds { get; set; } = 3600;
}

/// <param name="TraceParent">The W3C traceparent of what enqueued the job; its run continues that trace.</param>
public sealed record JobRecord(long Id, string Kind, string Payload, int Attempts, int MaxAttempts, string? TraceParent = null)
{
    /// <summary>The payload as <paramref name="kind"/> defines it; a job of another kind is a bug, not a retry.</summary>
    public T PayloadAs<T>(JobKind<T> kind) where T : notnull
    {
        if (kind.Name != Kind) throw new InvalidOperationException($"Job {Id} is a {Kind} job, not {kind.Name}.");
        return JsonSerializer.Deserialize<T>(Payload, JobQueue.Json)
            ?? throw new InvalidOperationException($"Job {Id} ({Kind}) has an empty payload.");
    }

    /// <summary>True on the attempt after which a failure buries the job.</summary>
    public bool IsLastAttempt => Attempts >= MaxAttempts;
}

/// <summary>Open jobs of one kind in one state, and how long the oldest has been in it (see <see cref="JobQueue.CountOpenAsync"/>).</summary>
public sealed record OpenJobs(string Kind, string Status, long Count, double OldestSeconds);

/// <summary>
/// A job queue in PostgreSQL. Workers claim with FOR UPDATE SKIP LOCKED and a lease; an expired
/// lease makes the job claimable again; failures back off exponentially; after MaxAttempts a job is
/// dead until support requeues it. All times are the database's clock, so replicas never disagree.
/// </summary>
public sealed class JobQueue(NpgsqlDataSource db, JobQueueOptions options)
{
    /// <summary>LISTEN/NOTIFY channel that wakes idle workers when a job is enqueued.</summary>
    public const string Channel = "photoreceipt_jobs";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Enqueues inside the caller's transaction, so the job exists exactly when the change that needs it does.</summary>
    public Task<long?> EnqueueAsync<T>(NpgsqlConnection conn, NpgsqlTransaction? tx, JobKind<T> kind, T payload,
        string? dedupeKey = null, TimeSpan? delay = null, CancellationToken ct = default) where T : notnull =>
        EnqueueAsync(conn, tx, kind.Name, JsonSerializer.Serialize(payload, Json), dedupeKey, delay, ct);

    public async Task<long?> EnqueueAsync<T>(JobKind<T> kind, T payload, string? dedupeKey = null, TimeSpan? delay = null,
        CancellationToken ct = default) where T : notnull
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await EnqueueAsync(conn, null, kind, payload, dedupeKey, delay, ct);
    }

    private async Task<long?> EnqueueAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string kind, string payloadJson,
        string? dedupeKey, TimeSpan? delay, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO jobs (kind, payload, max_attempts, run_at, dedupe_key, trace_parent)
            VALUES (@kind, @payload::jsonb, @maxAttempts, now() + @delay, @dedupeKey, @traceParent)
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING id
            """;
        var id = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new
        {
            kind,
            payload = payloadJson,
            maxAttempts = options.MaxAttempts,
            delay = delay ?? TimeSpan.Zero,
            dedupeKey,
            traceParent = CurrentTraceParent(),
        }, tx, cancellationToken: ct));
        // Delivered at commit; a rolled-back enqueue wakes nobody.
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@Channel, @kind)", new { Channel, kind }, tx, cancellationToken: ct));
        return id;
    }

    public Task<JobRecord?> ClaimAsync(string workerId, IReadOnlyCollection<string> kinds, CancellationToken ct) =>
        ClaimAsync(workerId, kinds, null, ct);

    /// <summary>
    /// Claims one due job. First buries the jobs whose final attempt lost its lease (their worker stopped
    /// mid-job) and adds them to <paramref name="buried"/>, so their handlers can record the end.
    /// </summary>
    public async Task<JobRecord?> ClaimAsync(string workerId, IReadOnlyCollection<string> kinds, ICollection<JobRecord>? buried, CancellationToken ct)
    {
        // A job whose last allowed attempt lost its lease (the worker died) is dead, not retried forever.
        const string bury = """
            UPDATE jobs SET status = 'dead', lease_until = NULL, updated_at = now(), finished_at = now(),
                   last_error = 'lease expired on the final attempt (worker stopped mid-job)'
            WHERE status = 'running' AND lease_until < now() AND attempts >= max_attempts AND kind = ANY(@kinds)
            RETURNING id, kind, payload::text AS payload, attempts, max_attempts, trace_parent
            """;
        const string claim = """
            UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = @workerId,
                   lease_until = now() + make_interval(secs => @lease), updated_at = now()
            WHERE id = (
                SELECT id FROM jobs
                WHERE kind = ANY(@kinds)
                  AND ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND lease_until < now()))
                ORDER BY run_at, id
                FOR UPDATE SKIP LOCKED
                LIMIT 1)
            RETURNING id, kind, payload::text AS payload, attempts, max_attempts, trace_parent
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var kindArray = kinds.ToArray();
        foreach (var dead in await conn.QueryAsync<JobRecord>(new CommandDefinition(bury, new { kinds = kindArray }, cancellationToken: ct)))
            buried?.Add(dead);
        return await conn.QuerySingleOrDefaultAsync<JobRecord>(new CommandDefinition(claim,
            new { workerId, kinds = kindArray, lease = (double)options.LeaseSeconds }, cancellationToken: ct));
    }

    /// <summary>Marks the job done; false when this worker no longer holds it (its lease expired and another took it).</summary>
    public async Task<bool> CompleteAsync(long id, string workerId, CancellationToken ct)
    {
        const string sql = """
            UPDATE jobs SET status = 'succeeded', lease_until = NULL, finished_at = now(), updated_at = now()
            WHERE id = @id AND locked_by = @workerId AND status = 'running'
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { id, workerId }, cancellationToken: ct)) == 1;
    }

    /// <summary>Schedules a retry with backoff, or buries the job after its last attempt. Returns true when dead.</summary>
    public async Task<bool> FailAsync(JobRecord job, string workerId, string error, CancellationToken ct)
    {
        var dead = job.Attempts >= job.MaxAttempts;
        var backoff = Math.Min(options.BackoffMaxSeconds, options.BackoffBaseSeconds * Math.Pow(2, job.Attempts - 1));
        const string sql = """
            UPDATE jobs SET status = CASE WHEN @dead THEN 'dead' ELSE 'queued' END,
                   run_at = now() + make_interval(secs => @backoff), lease_until = NULL, last_error = @error,
                   updated_at = now(), finished_at = CASE WHEN @dead THEN now() END
            WHERE id = @id AND locked_by = @workerId AND status = 'running'
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { id = job.Id, workerId, dead, backoff, error = Truncate(error) }, cancellationToken: ct));
        return dead;
    }

    /// <summary>Gives a claimed job back untouched (graceful shutdown): the attempt does not count.</summary>
    public async Task ReleaseAsync(long id, string workerId, CancellationToken ct)
    {
        const string sql = """
            UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), run_at = now(),
                   lease_until = NULL, locked_by = NULL, updated_at = now()
            WHERE id = @id AND locked_by = @workerId AND status = 'running'
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { id, workerId }, cancellationToken: ct));
    }

    /// <summary>Support's "try again" for a dead job: fresh attempts, due now. False when the job is not dead.</summary>
    public async Task<bool> RequeueDeadAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var kind = await RequeueDeadAsync(conn, tx, id, ct);
        await tx.CommitAsync(ct);
        return kind is not null;
    }

    /// <summary>
    /// The same inside the caller's transaction, for a requeue that must move other rows with it
    /// (a dead submission also sends its order from failed back to queued). Returns the job's kind,
    /// or null when the job is not dead.
    /// </summary>
    public async Task<string?> RequeueDeadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, CancellationToken ct)
    {
        const string sql = """
            UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), last_error = NULL,
                   locked_by = NULL, finished_at = NULL, updated_at = now()
            WHERE id = @id AND status = 'dead'
            RETURNING kind
            """;
        var kind = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(sql, new { id }, tx, cancellationToken: ct));
        if (kind is not null)
            await conn.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@Channel, 'requeue')", new { Channel }, tx, cancellationToken: ct));
        return kind;
    }

    /// <summary>
    /// Queued, running and dead jobs per kind (the queue gauges). The age is since the oldest queued
    /// job fell due (0 while every queued job waits for its run_at), since the longest-running one was
    /// claimed, and since the oldest dead one died.
    /// </summary>
    public async Task<IReadOnlyList<OpenJobs>> CountOpenAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT kind, status, count(*) AS count,
                   extract(epoch FROM now() - min(CASE status
                       WHEN 'queued' THEN least(run_at, now())
                       WHEN 'running' THEN updated_at
                       ELSE coalesce(finished_at, updated_at) END))::float8 AS oldest_seconds
            FROM jobs
            WHERE status IN ('queued', 'running', 'dead')
            GROUP BY kind, status
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<OpenJobs>(new CommandDefinition(sql, cancellationToken: ct))];
    }

    /// <summary>The request's (or running job's) trace context, when it is a W3C one.</summary>
    private static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    private static string Truncate(string s) => s.Length <= 4000 ? s : s[..4000];
}

using PhotoReceipt.Data.WeChat;
using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Testing;
using PhotoReceipt.Worker.Jobs;

namespace PhotoReceipt.Api.Tests.Platform;

public sealed class JobQueueTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    /// <summary>Counts how often each job ran; behaviour per test through <see cref="Body"/>.</summary>
    private sealed class CountingHandler(string kind) : IJobHandler
    {
        public ConcurrentDictionary<long, int> Runs { get; } = new();
        public Func<JobRecord, CancellationToken, Task> Body { get; set; } = (_, _) => Task.CompletedTask;
        public string Kind => kind;

        public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
        {
            Runs.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
            await Body(job, cancellationToken);
        }
    }

    private JobQueue Queue(int leaseSeconds = 300, int maxAttempts = 3) =>
        new(db.DataSource, new JobQueueOptions { LeaseSeconds = leaseSeconds, MaxAttempts = maxAttempts, BackoffBaseSeconds = 0.2 });

    private static string NewKind() => "test." + Guid.NewGuid().ToString("N")[..8];

    private static JobKind<object> Kind(string name) => new(name);

    private async Task<(string Status, int Attempts, string? Error)> StateAsync(long id)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.QuerySingleAsync<(string, int, string?)>("SELECT status, attempts, last_error FROM jobs WHERE id = @id", new { id });
    }

    [Fact]
    public async Task Two_workers_claiming_500_jobs_run_each_exactly_once()
    {
        var kind = NewKind();
        var queue = Queue();
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            for (var i = 0; i < 500; i++) await queue.EnqueueAsync(conn, tx, Kind(kind), new { n = i });
            await tx.CommitAsync();
        }
        var handler = new CountingHandler(kind) { Body = async (_, _) => await Task.Yield() };
        var workers = new[] { new JobRunner(queue, [handler], NullLogger<JobRunner>.Instance), new JobRunner(queue, [handler], NullLogger<JobRunner>.Instance) };
        // Each worker runs four loops, as a 4-way worker process would.
        var loops = workers.SelectMany(w => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var n = 0;
            while (await w.RunOnceAsync(CancellationToken.None)) n++;
            return n;
        }))).ToList();
        var perLoop = await Task.WhenAll(loops);

        Assert.Equal(500, perLoop.Sum());
        Assert.Equal(500, handler.Runs.Count);
        Assert.All(handler.Runs.Values, n => Assert.Equal(1, n));
        Assert.True(perLoop.Take(4).Sum() > 0 && perLoop.Skip(4).Sum() > 0, "both workers took a share");
        await using var check = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(500, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs WHERE kind = @kind AND status = 'succeeded' AND attempts = 1", new { kind }));
    }

    [Fact]
    public async Task A_job_whose_worker_died_is_retried_after_its_lease_and_finished()
    {
        var kind = NewKind();
        var queue = Queue(leaseSeconds: 1);
        var id = (await queue.EnqueueAsync(Kind(kind), new { photo = 1 }))!.Value;

        // Worker A claims the job and then "dies": it never completes or releases it.
        var claimed = await queue.ClaimAsync("worker-a", [kind], CancellationToken.None);
        Assert.Equal(id, claimed!.Id);
        var handler = new CountingHandler(kind);
        var b = new JobRunner(queue, [handler], NullLogger<JobRunner>.Instance);
        Assert.False(await b.RunOnceAsync(CancellationToken.None)); // still leased to A

        await Task.Delay(1500);
        Assert.True(await b.RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, handler.Runs[id]);
        Assert.Equal(("succeeded", 2, (string?)null), await StateAsync(id));
        // A waking up late cannot overwrite B's result.
        Assert.False(await queue.CompleteAsync(id, "worker-a", CancellationToken.None));
    }

    [Fact]
    public async Task Failures_back_off_then_the_job_is_dead_until_support_requeues_it()
    {
        var kind = NewKind();
        var queue = Queue(maxAttempts: 3);
        var id = (await queue.EnqueueAsync(Kind(kind), new { }))!.Value;
        var handler = new CountingHandler(kind) { Body = (_, _) => throw new InvalidOperationException("center unreachable") };
        var runner = new JobRunner(queue, [handler], NullLogger<JobRunner>.Instance);

        Assert.True(await runner.RunOnceAsync(CancellationToken.None));
        Assert.Equal(("queued", 1, "InvalidOperationException: center unreachable"), await StateAsync(id));
        Assert.False(await runner.RunOnceAsync(CancellationToken.None)); // backing off, not due yet
        for (var attempt = 2; attempt <= 3; attempt++)
        {
            await WaitUntilDueAsync(id);
            Assert.True(await runner.RunOnceAsync(CancellationToken.None));
        }
        Assert.Equal("dead", (await StateAsync(id)).Status);
        Assert.Equal(3, handler.Runs[id]);
        Assert.False(await runner.RunOnceAsync(CancellationToken.None));

        handler.Body = (_, _) => Task.CompletedTask;
        Assert.True(await queue.RequeueDeadAsync(id, CancellationToken.None));
        Assert.False(await queue.RequeueDeadAsync(id, CancellationToken.None)); // only dead jobs
        Assert.True(await runner.RunOnceAsync(CancellationToken.None));
        Assert.Equal(("succeeded", 1, (string?)null), await StateAsync(id));
    }

    [Fact]
    public async Task A_lease_lost_on_the_final_attempt_buries_the_job_instead_of_retrying_forever()
    {
        var kind = NewKind();
        var queue = Queue(leaseSeconds: 1, maxAttempts: 1);
        var id = (await queue.EnqueueAsync(Kind(kind), new { }))!.Value;
        Assert.NotNull(await queue.ClaimAsync("crashing-worker", [kind], CancellationToken.None));
        await Task.Delay(1500);
        Assert.Null(await queue.ClaimAsync("other", [kind], CancellationToken.None));
        var state = await StateAsync(id);
        Assert.Equal("dead", state.Status);
        Assert.Contains("lease expired", state.Error);
    }

    [Fact]
    public async Task Shutdown_releases_a_running_job_without_counting_the_attempt()
    {
        var kind = NewKind();
        var queue = Queue();
        var id = (await queue.EnqueueAsync(Kind(kind), new { }))!.Value;
        var handler = new CountingHandler(kind) { Body = (_, ct) => Task.Delay(Timeout.Infinite, ct) };
        var runner = new JobRunner(queue, [handler], NullLogger<JobRunner>.Instance);
        using var abort = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.True(await runner.RunOnceAsync(CancellationToken.None, abort.Token));
        Assert.Equal(("queued", 0, (string?)null), await StateAsync(id));
    }

    [Fact]
    public async Task Duplicate_jobs_with_one_dedupe_key_are_enqueued_once()
    {
        var kind = NewKind();
        var queue = Queue();
        var first = await queue.EnqueueAsync(Kind(kind), new { }, dedupeKey: kind + ":x");
        var second = await queue.EnqueueAsync(Kind(kind), new { }, dedupeKey: kind + ":x");
        Assert.NotNull(first);
        Assert.Null(second);
    }

    [Fact]
    public async Task An_idle_worker_is_woken_by_notify_long_before_its_poll_interval()
    {
        var kind = NewKind();
        var queue = Queue();
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new CountingHandler(kind) { Body = (job, _) => { done.TrySetResult(job.Id); return Task.CompletedTask; } };
        var runner = new JobRunner(queue, [handler], NullLogger<JobRunner>.Instance);
        var options = Options.Create(new WorkerOptions { Concurrency = 1, PollSeconds = 300 });
        using var worker = new JobWorker(runner, db.DataSource, options, NullLogger<JobWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(500); // let it go idle and LISTEN
            var id = (await queue.EnqueueAsync(Kind(kind), new { }))!.Value;
            // With a 300 s poll, only the NOTIFY can wake it within this window.
            var finished = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.Same(done.Task, finished);
            Assert.Equal(id, await done.Task);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private async Task WaitUntilDueAsync(long id)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var wait = await conn.ExecuteScalarAsync<double>("SELECT greatest(0, extract(epoch FROM run_at - now())) FROM jobs WHERE id = @id", new { id });
        await Task.Delay(TimeSpan.FromSeconds(wait + 0.05));
    }
}

public sealed class RecurringJobTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Replicas_enqueue_a_recurring_job_once_per_slot_and_cleanup_removes_expired_sessions_and_old_push_claims()
    {
        var queue = new JobQueue(db.DataSource, new JobQueueOptions());
        var options = Options.Create(new WorkerOptions());
        var jobs = new[] { new RecurringJob(JobKinds.Cleanup, TimeSpan.FromHours(1)) };
        var replicas = Enumerable.Range(0, 3).Select(_ => new RecurringJobs(queue, jobs, options, TimeProvider.System, NullLogger<RecurringJobs>.Instance)).ToList();
        await Task.WhenAll(replicas.Select(r => r.EnqueueDueAsync(jobs, CancellationToken.None)));

        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM jobs WHERE kind = 'maintenance.cleanup'"));

        var user = Guid.NewGuid();
        await conn.ExecuteAsync("INSERT INTO users (id, openid) VALUES (@user, 'o_cleanup')", new { user });
        await conn.ExecuteAsync("""
            INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('\x01', @user, now() - interval '1 minute'), ('\x02', @user, now() + interval '1 day')
            """, new { user });
        await conn.ExecuteAsync("""
            INSERT INTO wechat_push_messages (dedupe_key, msg_type, from_open_id, received_at)
            VALUES ('cleanup-old', 'text', 'o_cleanup', now() - interval '31 days'), ('cleanup-new', 'text', 'o_cleanup', now() - interval '29 days')
            """);
        var blobRoot = Directory.CreateTempSubdirectory("photoreceipt-cleanup-").FullName;
        var janitor = new PhotoReceipt.Data.Blobs.BlobJanitor(db.DataSource, new PhotoReceipt.Data.Blobs.LocalBlobStore(blobRoot),
            Microsoft.Extensions.Options.Options.Create(new PhotoReceipt.Data.Blobs.BlobOptions()), TimeProvider.System,
            NullLogger<PhotoReceipt.Data.Blobs.BlobJanitor>.Instance);
        var runner = new JobRunner(queue, [new PhotoReceipt.Worker.Maintenance.CleanupJob(db.DataSource, new PhotoReceipt.Data.Users.UserStore(db.DataSource),
            janitor, new PhotoReceipt.Data.Staff.StaffStore(db.DataSource, TimeProvider.System),
            new PhotoReceipt.Data.Staff.StaffSessionStore(db.DataSource, TimeProvider.System), new PushDedupeStore(db.DataSource),
            TimeProvider.System, NullLogger<PhotoReceipt.Worker.Maintenance.CleanupJob>.Instance)], NullLogger<JobRunner>.Instance);
        Assert.True(await runner.RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM sessions WHERE user_id = @user", new { user }));
        Assert.Equal(["cleanup-new"], await conn.QueryAsync<string>("SELECT dedupe_key FROM wechat_push_messages WHERE dedupe_key LIKE 'cleanup-%'"));
        Directory.Delete(blobRoot, recursive: true);
    }
}

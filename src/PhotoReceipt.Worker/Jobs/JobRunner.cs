using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.Telemetry;
using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Worker.Jobs;

/// <summary>
/// Claims one job and runs its handler. The worker's loops call it; tests call
/// <see cref="RunOnceAsync"/> directly instead of waiting on the loop.
/// </summary>
public sealed class JobRunner
{
    private readonly JobQueue _queue;
    private readonly ILogger<JobRunner> _logger;
    private readonly Dictionary<string, IJobHandler> _handlers;

    public JobRunner(JobQueue queue, IEnumerable<IJobHandler> handlers, ILogger<JobRunner> logger)
    {
        _queue = queue;
        _logger = logger;
        _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
        WorkerId = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
    }

    public string WorkerId { get; }

    public IReadOnlyCollection<string> Kinds => _handlers.Keys;

    /// <summary>
    /// Claims and runs one due job. Returns false when none was due.
    /// <paramref name="stopping"/> cancels the claim; <paramref name="abort"/> cancels a running
    /// handler, after which the job is released (not counted as an attempt).
    /// </summary>
    public async Task<bool> RunOnceAsync(CancellationToken stopping, CancellationToken abort = default)
    {
        var buried = new List<JobRecord>();
        var job = await _queue.ClaimAsync(WorkerId, _handlers.Keys, buried, stopping);
        foreach (var lost in buried)
        {
            _logger.LogError("Job {JobId} ({Kind}) is dead: its worker stopped during the last of {Attempts} attempts", lost.Id, lost.Kind, lost.Attempts);
            await EndAsync(lost);
        }
        if (job is null) return false;
        var handler = _handlers[job.Kind];
        using var activity = StartActivity(job);
        var started = Stopwatch.GetTimestamp();
        var outcome = "succeeded";
        try
        {
            await handler.RunAsync(job, abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            outcome = "released";
            _logger.LogWarning("Job {JobId} ({Kind}) interrupted by shutdown; released for another worker", job.Id, job.Kind);
            await _queue.ReleaseAsync(job.Id, WorkerId, CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            var dead = await _queue.FailAsync(job, WorkerId, ex.GetType().Name + ": " + ex.Message, CancellationToken.None);
            outcome = dead ? "dead" : "retried";
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            if (dead)
            {
                _logger.LogError(ex, "Job {JobId} ({Kind}) is dead after {Attempts} attempts", job.Id, job.Kind, job.Attempts);
                await EndAsync(job);
            }
            else _logger.LogWarning(ex, "Job {JobId} ({Kind}) failed on attempt {Attempts}; will retry", job.Id, job.Kind, job.Attempts);
            return true;
        }
        finally
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            activity?.SetTag("job.outcome", outcome);
            PhotoReceiptTelemetry.JobDuration.Record(seconds,
                new KeyValuePair<string, object?>("job.kind", job.Kind), new KeyValuePair<string, object?>("job.outcome", outcome));
        }
        if (!await _queue.CompleteAsync(job.Id, WorkerId, CancellationToken.None))
            _logger.LogWarning("Job {JobId} ({Kind}) finished after its lease expired; another worker may have run it too", job.Id, job.Kind);
        return true;
    }

    /// <summary>Lets the handler of a dead job record how its work ended; runs to completion even while stopping.</summary>
    private async Task EndAsync(JobRecord dead)
    {
        try
        {
            await _handlers[dead.Kind].OnDeadAsync(dead, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Job {JobId} ({Kind}) is dead and its handler could not record the end", dead.Id, dead.Kind);
        }
    }

    /// <summary>
    /// The job's activity, a child of whatever enqueued it (the trace context stored with the job).
    /// Without a tracer listening, a plain activity still carries that trace id into the job's logs.
    /// </summary>
    private static Activity? StartActivity(JobRecord job)
    {
        var name = "job " + job.Kind;
        ActivityContext.TryParse(job.TraceParent, null, isRemote: true, out var parent);
        var activity = PhotoReceiptTelemetry.Jobs.StartActivity(name, ActivityKind.Consumer, parent)
            ?? (parent == default ? null : new Activity(name).SetParentId(job.TraceParent!).Start());
        activity?.SetTag("job.id", job.Id);
        activity?.SetTag("job.kind", job.Kind);
        activity?.SetTag("job.attempt", job.Attempts);
        return activity;
    }
}

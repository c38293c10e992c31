using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Worker.Jobs;

/// <summary>A job to enqueue every <see cref="Every"/>.</summary>
public sealed record RecurringJob(JobKind<RecurringSlot> Kind, TimeSpan Every);

/// <summary>
/// Enqueues each recurring job once per time slot. The dedupe key names the slot, so any number of
/// worker replicas can run this and still only one job per slot exists.
/// </summary>
public sealed class RecurringJobs(JobQueue queue, IEnumerable<RecurringJob> jobs, IOptions<WorkerOptions> options, TimeProvider clock,
    ILogger<RecurringJobs> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        var list = jobs.ToList();
        if (list.Count == 0) return;
        var tick = TimeSpan.FromSeconds(Math.Max(1, list.Min(j => j.Every.TotalSeconds) / 4));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EnqueueDueAsync(list, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Could not enqueue recurring jobs; will try again");
            }
            try
            {
                await Task.Delay(tick, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task EnqueueDueAsync(IEnumerable<RecurringJob> due, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var job in due)
        {
            var slot = now / (long)job.Every.TotalSeconds;
            await queue.EnqueueAsync(job.Kind, new RecurringSlot(slot), dedupeKey: $"{job.Kind.Name}@{slot}", ct: ct);
        }
    }
}

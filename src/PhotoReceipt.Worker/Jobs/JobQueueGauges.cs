using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PhotoReceipt.Core.Telemetry;
using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Worker.Jobs;

/// <summary>
/// The queue gauges: queued, running and dead jobs per kind, and the age of the oldest of each.
/// A gauge callback must not query a database, so a loop in every worker process reads the counts
/// every <see cref="WorkerOptions.QueueGaugeSeconds"/> into a snapshot the callbacks report, and
/// only while an exporter listens. The counts are the whole queue's: every worker replica reports
/// the same numbers (aggregate with max, not sum).
/// </summary>
public sealed class JobQueueGauges(JobQueue queue, JobRunner runner, IOptions<WorkerOptions> options, ILogger<JobQueueGauges> logger)
    : BackgroundService
{
    private static readonly string[] States = ["queued", "running", "dead"];
    private static IReadOnlyList<OpenJobs> _snapshot = [];

    private static readonly ObservableGauge<long> Count = PhotoReceiptTelemetry.Meter.CreateObservableGauge("photoreceipt.jobs",
        () => _snapshot.Select(j => new Measurement<long>(j.Count, Tags(j))), "{job}", "Open jobs by job.kind and job.state (queued, running, dead)");

    private static readonly ObservableGauge<double> OldestAge = PhotoReceiptTelemetry.Meter.CreateObservableGauge("photoreceipt.jobs.oldest_age",
        () => _snapshot.Select(j => new Measurement<double>(j.OldestSeconds, Tags(j))), "s",
        "Age of the oldest open job by job.kind and job.state: queued since it fell due, running since claimed, dead since it died");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.QueueGaugeSeconds));
        do
        {
            if (!Count.Enabled && !OldestAge.Enabled) continue;
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogDebug(ex, "Could not read the job queue for its gauges; keeping the last counts");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>Reads the counts now; every kind this worker runs is reported, at 0 when it has no open job.</summary>
    public async Task SampleAsync(CancellationToken ct)
    {
        var open = await queue.CountOpenAsync(ct);
        var zeros = runner.Kinds.SelectMany(kind => States.Select(state => new OpenJobs(kind, state, 0, 0)))
            .Where(z => !open.Any(o => o.Kind == z.Kind && o.Status == z.Status));
        _snapshot = [.. open, .. zeros];
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static KeyValuePair<string, object?>[] Tags(OpenJobs j) => [new("job.kind", j.Kind), new("job.state", j.Status)];
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Worker.Jobs;

/// <summary>
/// The worker's loops: <see cref="WorkerOptions.Concurrency"/> of them claim and run jobs until none
/// is due, then sleep until a NOTIFY on <see cref="JobQueue.Channel"/> or the poll interval.
/// On shutdown running jobs get a grace period, then are cancelled and released.
/// </summary>
public sealed class JobWorker(JobRunner runner, NpgsqlDataSource db, IOptions<WorkerOptions> options, ILogger<JobWorker> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly CancellationTokenSource _abort = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            logger.LogInformation("Worker disabled in this process (Worker:Enabled=false)");
            return;
        }
        logger.LogInformation("Worker {WorkerId} running {Concurrency} loops for {Kinds}", runner.WorkerId, o.Concurrency, string.Join(", ", runner.Kinds));
        var listener = ListenAsync(stoppingToken);
        var loops = Enumerable.Range(0, o.Concurrency).Select(_ => LoopAsync(TimeSpan.FromSeconds(o.PollSeconds), stoppingToken)).ToList();
        await Task.WhenAll(loops);
        await listener;
    }

    private int _stopping;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Hosts may stop a service more than once (and after disposing it): arm the grace timer once.
        // Running jobs may finish within the grace period; then they are cancelled and released.
        if (Interlocked.Exchange(ref _stopping, 1) == 0)
            _abort.CancelAfter(TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds));
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        Interlocked.Exchange(ref _stopping, 1);
        _abort.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    private async Task LoopAsync(TimeSpan poll, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                while (!stopping.IsCancellationRequested && await runner.RunOnceAsync(stopping, _abort.Token))
                {
                }
                await _wake.WaitAsync(poll, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // The database is away (restart, failover): back off and try again.
                logger.LogWarning(ex, "Job loop cannot reach PostgreSQL; retrying");
                await Task.Delay(poll, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var conn = await db.OpenConnectionAsync(stopping);
                conn.Notification += (_, _) => _wake.Release(options.Value.Concurrency);
                await using (var cmd = new NpgsqlCommand($"LISTEN {JobQueue.Channel}", conn))
                    await cmd.ExecuteNonQueryAsync(stopping);
                try
                {
                    while (!stopping.IsCancellationRequested)
                        await conn.WaitAsync(stopping);
                }
                finally
                {
                    // Pooled connections are not reset on return (ConnectionTuning): leave no LISTEN behind.
                    if (conn.State == System.Data.ConnectionState.Open)
                        await using (var unlisten = new NpgsqlCommand("UNLISTEN *", conn))
                            await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // Polling still runs; reconnect the listener after a pause.
                logger.LogWarning(ex, "Job listener lost its connection; reconnecting");
                await Task.Delay(TimeSpan.FromSeconds(2), stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}

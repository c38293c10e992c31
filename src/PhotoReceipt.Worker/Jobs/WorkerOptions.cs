using System.ComponentModel.DataAnnotations;

namespace PhotoReceipt.Worker.Jobs;

public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Run the job loops (false leaves a worker that only migrates, or a test host that runs jobs by hand).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Jobs run at once by this process.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Poll interval when no NOTIFY arrives (a missed notification costs at most this long).</summary>
    [Range(0.05, 300)]
    public double PollSeconds { get; set; } = 5;

    /// <summary>How often the job queue gauges are read from PostgreSQL (only while a metrics exporter listens).</summary>
    [Range(1, 3600)]
    public double QueueGaugeSeconds { get; set; } = 15;

    /// <summary>On shutdown, how long running jobs may take to finish before they are released.</summary>
    [Range(0, 600)]
    public double ShutdownGraceSeconds { get; set; } = 20;
}

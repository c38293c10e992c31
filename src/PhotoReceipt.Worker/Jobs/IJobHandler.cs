using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Worker.Jobs;

/// <summary>Runs one kind of job. Throwing means "retry later" (with backoff, until the job is dead).</summary>
public interface IJobHandler
{
    string Kind { get; }
    Task RunAsync(JobRecord job, CancellationToken cancellationToken);
}

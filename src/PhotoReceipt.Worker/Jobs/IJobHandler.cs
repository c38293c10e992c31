using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Worker.Jobs;

/// <summary>Runs one kind of job. Throwing means "retry later" (with backoff, until the job is dead).</summary>
public interface IJobHandler
{
    /// <summary>The <see cref="Core.Jobs.JobKind{TPayload}.Name"/> this handler runs.</summary>
    string Kind { get; }

    Task RunAsync(JobRecord job, CancellationToken cancellationToken);

    /// <summary>
    /// Called once when the job is dead: its last attempt threw, or its worker stopped during the last
    /// attempt and the lease ran out. What the job was doing must end visibly (an order failed, a photo
    /// failed) instead of waiting forever. Throwing here is logged; the job stays dead.
    /// </summary>
    Task OnDeadAsync(JobRecord job, CancellationToken cancellationToken) => Task.CompletedTask;
}

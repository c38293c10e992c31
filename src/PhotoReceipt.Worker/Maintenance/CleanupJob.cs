using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using PhotoReceipt.Data.Blobs;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Staff;
using PhotoReceipt.Data.Users;
using PhotoReceipt.WeChat.Push;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Data.WeChat;

namespace PhotoReceipt.Worker.Maintenance;

/// <summary>
/// Deletes expired sessions, finished jobs past a week, old WeChat push claims and blobs no row points
/// to: rows and files nobody needs keep nothing personal alive.
/// </summary>
public sealed class CleanupJob(NpgsqlDataSource db, UserStore users, BlobJanitor blobs, StaffStore staff, StaffSessionStore staffSessions,
    PushDedupeStore push, TimeProvider clock, ILogger<CleanupJob> logger) : IJobHandler
{
    private const int PushClaimDays = 30;

    public string Kind => JobKinds.Cleanup.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var sessions = await users.DeleteExpiredSessionsAsync(cancellationToken);
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        var jobs = await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM jobs WHERE status = 'succeeded' AND finished_at < now() - interval '7 days'", cancellationToken: cancellationToken));
        // Console sessions end by their own rules when used; these rows are only what nobody came back for.
        await staffSessions.PurgeAsync(TimeSpan.FromDays(1), cancellationToken);
        await staff.PurgeLoginFailuresAsync(cancellationToken);
        await push.PurgeNoncesAsync(clock.GetUtcNow().AddDays(-1), cancellationToken);
        // WeChat stops retrying a push within a minute; a month of claims is enough to answer "did
        // it arrive", and each row carries the sender's openid.
        await push.PurgeAsync(clock.GetUtcNow().AddDays(-PushClaimDays), cancellationToken);
        var orphans = await blobs.SweepAsync(cancellationToken);
        logger.LogInformation("Cleanup removed {Sessions} expired sessions, {Jobs} finished jobs and {Orphans} orphaned blobs", sessions, jobs, orphans);
    }
}

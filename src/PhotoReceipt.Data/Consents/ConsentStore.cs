using Dapper;
using Npgsql;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Consents;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Data.Orders;

namespace PhotoReceipt.Data.Consents;

/// <summary>A consent on record: the latest one of its kind that has not been withdrawn.</summary>
public sealed record ConsentRecord(string Kind, string Version, DateTime GivenAt);

/// <summary>What withdrawing a consent did.</summary>
public sealed record ConsentWithdrawal(bool Withdrawn, int PhotosDeleted, int OrdersCancelled);

/// <summary>
/// Consents users gave, kept with their time and version (the history is never rewritten: a
/// withdrawal stamps the rows it ends). Withdrawing the face-photo consent deletes the photos no
/// paid order needs, and cancels the unpaid orders that held them, in one transaction.
/// </summary>
public sealed class ConsentStore(NpgsqlDataSource db, IBlobStore blobs)
{
    /// <summary>Orders in these states were paid (or are free) and still rely on their photo.</summary>
    private static readonly string[] PhotoNeededBy =
        [OrderStatus.Queued, OrderStatus.Submitted, OrderStatus.Approved, OrderStatus.Rejected, OrderStatus.Failed, OrderStatus.Expired];

    public async Task<IReadOnlyList<ConsentRecord>> StandingAsync(Guid userId, CancellationToken ct)
    {
        const string sql = """
            SELECT DISTINCT ON (kind) kind, version, given_at FROM consents
            WHERE user_id = @userId AND withdrawn_at IS NULL
            ORDER BY kind, given_at DESC, id DESC
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ConsentRecord>(new CommandDefinition(sql, new { userId }, cancellationToken: ct))).AsList();
    }

    public async Task<bool> HasStandingAsync(Guid userId, string kind, string version, CancellationToken ct)
    {
        const string sql = """
            SELECT EXISTS (SELECT 1 FROM consents WHERE user_id = @userId AND kind = @kind AND version = @version AND withdrawn_at IS NULL)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { userId, kind, version }, cancellationToken: ct));
    }

    /// <summary>Records the consent unless the same version already stands (a repeated tap is one consent).</summary>
    public async Task<ConsentRecord> GiveAsync(Guid userId, string kind, string version, CancellationToken ct)
    {
        // The transaction-scoped advisory lock makes two concurrent taps one row.
        const string sql = """
            WITH lock AS (SELECT pg_advisory_xact_lock(hashtextextended(@userId::text || ':' || @kind, 12))),
            standing AS (
                SELECT kind, version, given_at FROM consents, lock
                WHERE user_id = @userId AND kind = @kind AND version = @version AND withdrawn_at IS NULL
                ORDER BY given_at DESC LIMIT 1),
            inserted AS (
                INSERT INTO consents (user_id, kind, version)
                SELECT @userId, @kind, @version FROM lock WHERE NOT EXISTS (SELECT 1 FROM standing)
                RETURNING kind, version, given_at)
            SELECT * FROM standing UNION ALL SELECT * FROM inserted
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var record = await conn.QuerySingleAsync<ConsentRecord>(new CommandDefinition(sql, new { userId, kind, version }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return record;
    }

    /// <summary>
    /// Ends every standing consent of the kind. For the face photo, also deletes the user's photos
    /// that no paid order needs (their files, then the keys; the rows stay for the orders' history)
    /// and cancels the unpaid orders that were waiting on those photos.
    /// </summary>
    public async Task<ConsentWithdrawal> WithdrawAsync(Guid userId, string kind, CancellationToken ct)
    {
        const string withdraw = "UPDATE consents SET withdrawn_at = now() WHERE user_id = @userId AND kind = @kind AND withdrawn_at IS NULL";
        const string doomed = """
            SELECT p.id FROM photos p
            WHERE p.user_id = @userId AND p.purged_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.photo_id = p.id AND o.status = ANY(@needed))
            FOR UPDATE OF p
            """;
        const string purge = """
            WITH old AS (SELECT id, source_key, result_key, preview_key, print_sheet_key FROM photos WHERE id = ANY(@photoIds))
            UPDATE photos p SET source_key = NULL, result_key = NULL, preview_key = NULL, print_sheet_key = NULL, purged_at = now()
            FROM old WHERE p.id = old.id
            RETURNING old.source_key, old.result_key, old.preview_key, old.print_sheet_key
            """;

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var withdrawn = await conn.ExecuteAsync(new CommandDefinition(withdraw, new { userId, kind }, tx, cancellationToken: ct)) > 0;
        if (kind != ConsentCatalog.FacePhoto)
        {
            await tx.CommitAsync(ct);
            return new ConsentWithdrawal(withdrawn, 0, 0);
        }

        var photoIds = (await conn.QueryAsync<Guid>(new CommandDefinition(doomed, new { userId, needed = PhotoNeededBy }, tx, cancellationToken: ct))).ToArray();
        var cancelled = await OrderLifecycle.CancelUnpaidHoldingAsync(conn, tx, photoIds, "已撤回人脸照片授权，照片已删除", ct);
        var keys = (await conn.QueryAsync<(string? Source, string? Result, string? Preview, string? Sheet)>(
                new CommandDefinition(purge, new { photoIds }, tx, cancellationToken: ct)))
            .SelectMany(k => new[] { k.Source, k.Result, k.Preview, k.Sheet }).OfType<string>().ToList();
        await tx.CommitAsync(ct);

        // The rows no longer name these files; a delete that fails here is left to the orphan sweep.
        foreach (var key in keys) await blobs.DeleteAsync(key, CancellationToken.None);
        return new ConsentWithdrawal(withdrawn, photoIds.Length, cancelled);
    }
}

using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PhotoReceipt.Core.Blobs;

namespace PhotoReceipt.Data.Blobs;

/// <summary>
/// Deletes blobs that no row points to (a blob written before an insert that failed, a process
/// killed between the two) once they are past the grace period, and temporary files that
/// interrupted writes left behind. Rows are the truth: a blob is kept while any key column names it.
/// </summary>
public sealed class BlobJanitor(NpgsqlDataSource db, IBlobStore blobs, IOptions<BlobOptions> options, TimeProvider clock, ILogger<BlobJanitor> logger)
{
    /// <summary>The folders our keys live in (uploads/&lt;photo&gt;/, photos/&lt;photo&gt;/, receipts/&lt;order&gt;/).</summary>
    private static readonly string[] Prefixes = ["uploads/", "photos/", "receipts/"];
    private const int Batch = 1000;

    // One pass over each table per batch: the key columns are not indexed, and this runs hourly.
    private const string ReferencedSql = """
        SELECT k FROM (
            SELECT v.k FROM photos, LATERAL (VALUES (source_key), (result_key), (preview_key), (print_sheet_key)) AS v(k) WHERE v.k = ANY(@keys)
            UNION
            SELECT v.k FROM receipts, LATERAL (VALUES (png_key), (pdf_key), (photo_key)) AS v(k) WHERE v.k = ANY(@keys)
        ) referenced
        """;

    /// <summary>Deletes old temporary files only: what start-up does before anything writes.</summary>
    public async Task<int> PurgeIncompleteAsync(CancellationToken ct)
    {
        var n = await blobs.PurgeIncompleteAsync(clock.GetUtcNow().AddMinutes(-options.Value.IncompleteGraceMinutes), ct);
        if (n > 0) logger.LogInformation("Removed {Count} incomplete blob writes", n);
        return n;
    }

    /// <summary>Deletes orphaned blobs and old temporary files; returns how many orphans went.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await PurgeIncompleteAsync(ct);
        var cutoff = clock.GetUtcNow().AddMinutes(-options.Value.OrphanGraceMinutes);
        var deleted = 0;
        foreach (var prefix in Prefixes)
        {
            var candidates = new List<string>();
            await foreach (var blob in blobs.ListAsync(prefix, ct))
            {
                if (blob.LastModified > cutoff) continue;
                candidates.Add(blob.Key);
                if (candidates.Count == Batch)
                {
                    deleted += await DeleteUnreferencedAsync(candidates, ct);
                    candidates.Clear();
                }
            }
            deleted += await DeleteUnreferencedAsync(candidates, ct);
        }
        if (deleted > 0) logger.LogInformation("Removed {Count} orphaned blobs", deleted);
        return deleted;
    }

    private async Task<int> DeleteUnreferencedAsync(List<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return 0;
        HashSet<string> referenced;
        await using (var conn = await db.OpenConnectionAsync(ct))
            referenced = [.. await conn.QueryAsync<string>(new CommandDefinition(ReferencedSql, new { keys = keys.ToArray() }, cancellationToken: ct))];
        var n = 0;
        foreach (var key in keys.Where(k => !referenced.Contains(k)))
        {
            await blobs.DeleteAsync(key, ct);
            n++;
        }
        return n;
    }
}

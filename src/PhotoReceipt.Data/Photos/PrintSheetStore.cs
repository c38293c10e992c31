using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.Photos;

/// <summary>
/// The 6-inch print layout of a usable photo: rendered by the worker after processing
/// (<see cref="Core.Jobs.JobKinds.RenderPrintSheet"/>, enqueued with the photo's outcome), kept under the photo's row.
/// </summary>
public sealed class PrintSheetStore(NpgsqlDataSource db)
{
    /// <summary>The standardized photo to lay out, if the photo is usable, still there and has no sheet yet.</summary>
    public async Task<(string ResultKey, string SpecId)?> PendingAsync(Guid photoId, CancellationToken ct)
    {
        const string sql = """
            SELECT result_key, spec_id FROM photos
            WHERE id = @photoId AND status = 'processed' AND usable AND result_key IS NOT NULL
              AND print_sheet_key IS NULL AND purged_at IS NULL
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<(string, string)?>(new CommandDefinition(sql, new { photoId }, cancellationToken: ct));
    }

    /// <summary>Names the rendered sheet; false when the photo was deleted (or given a sheet) meanwhile.</summary>
    public async Task<bool> SetAsync(Guid photoId, string key, CancellationToken ct)
    {
        const string sql = "UPDATE photos SET print_sheet_key = @key WHERE id = @photoId AND print_sheet_key IS NULL AND purged_at IS NULL";
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { photoId, key }, cancellationToken: ct)) == 1;
    }

    public async Task<string?> KeyAsync(Guid photoId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT print_sheet_key FROM photos WHERE id = @photoId AND purged_at IS NULL", new { photoId }, cancellationToken: ct));
    }
}

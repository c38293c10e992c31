using Dapper;
using Npgsql;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Data.Photos;

public static class PhotoStatus
{
    public const string Processing = "processing";
    public const string Processed = "processed";
    public const string Failed = "failed";
}

public sealed record PhotoRow(
    Guid Id, Guid UserId, string ProductId, string SpecId, string? Background, string Status,
    string? SourceKey, string SourceFormat, long SourceBytes, string? ResultKey, string? PreviewKey,
    string? Report, bool? Usable, DateTime CreatedAt, DateTime? ProcessedAt);

public sealed record NewPhoto(Guid Id, Guid UserId, string ProductId, string SpecId, string? Background,
    string SourceKey, string SourceFormat, long SourceBytes);

public sealed class PhotoStore(NpgsqlDataSource db, JobQueue jobs)
{
    private const string Columns = """
        id, user_id, product_id, spec_id, background, status, source_key, source_format, source_bytes,
        result_key, preview_key, report::text AS report, usable, created_at, processed_at
        """;

    /// <summary>Records the upload and enqueues its processing in one transaction: neither exists without the other.</summary>
    public async Task CreateAsync(NewPhoto photo, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO photos (id, user_id, product_id, spec_id, background, status, source_key, source_format, source_bytes)
            VALUES (@Id, @UserId, @ProductId, @SpecId, @Background, 'processing', @SourceKey, @SourceFormat, @SourceBytes)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, photo, tx, cancellationToken: ct));
        await jobs.EnqueueAsync(conn, tx, JobKinds.ProcessPhoto, new PhotoPayload(photo.Id), JobKinds.ProcessPhoto.Key(photo.Id), ct: ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The photo if it is the user's and not deleted; another user's id reads as not found.</summary>
    public async Task<PhotoRow?> FindForUserAsync(Guid id, Guid userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<PhotoRow>(new CommandDefinition(
            $"SELECT {Columns} FROM photos WHERE id = @id AND user_id = @userId AND purged_at IS NULL", new { id, userId }, cancellationToken: ct));
    }

    public async Task<PhotoRow?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<PhotoRow>(new CommandDefinition(
            $"SELECT {Columns} FROM photos WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>The photo's check report, or null when the photo is gone or not processed yet.</summary>
    public async Task<CheckReport?> FindReportAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var json = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT report::text FROM photos WHERE id = @id", new { id }, cancellationToken: ct));
        return json is null ? null : CheckReportJson.Deserialize(json);
    }

    /// <summary>
    /// Stores the pipeline's outcome once, and for a produced photo enqueues its content check in
    /// the same transaction; false when the photo was already finished (a retried job).
    /// </summary>
    public async Task<bool> FinishAsync(Guid id, string status, string? resultKey, string? previewKey, string reportJson, bool usable, CancellationToken ct)
    {
        const string sql = """
            UPDATE photos SET status = @status, result_key = @resultKey, preview_key = @previewKey,
                   report = @reportJson::jsonb, usable = @usable, processed_at = now()
            WHERE id = @id AND status = 'processing'
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteAsync(new CommandDefinition(sql, new { id, status, resultKey, previewKey, reportJson, usable }, tx, cancellationToken: ct)) != 1)
            return false;
        if (resultKey is not null)
            await jobs.EnqueueAsync(conn, tx, JobKinds.ContentCheck, new PhotoPayload(id), JobKinds.ContentCheck.Key(id), ct: ct);
        if (resultKey is not null && usable)
            await jobs.EnqueueAsync(conn, tx, JobKinds.RenderPrintSheet, new PhotoPayload(id), JobKinds.RenderPrintSheet.Key(id), ct: ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<string?> OwnerOpenIdAsync(Guid photoId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT u.openid FROM photos p JOIN users u ON u.id = p.user_id WHERE p.id = @photoId", new { photoId }, cancellationToken: ct));
    }
}

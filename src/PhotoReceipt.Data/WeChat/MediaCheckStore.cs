using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.WeChat;

/// <summary>The wxa_media_check outcome for one photo.</summary>
/// <param name="Suggest">pass | review | risky, or null when WeChat could not download the image.</param>
/// <param name="ErrCode">0, or e.g. -1008 when the download failed.</param>
public sealed record MediaCheckOutcome(Guid PhotoId, string TraceId, string? Suggest, int? Label, int ErrCode);

/// <summary>trace_id → photo, because the wxa_media_check event echoes the trace_id and not the media URL.</summary>
public sealed class MediaCheckStore(NpgsqlDataSource db)
{
    public async Task RecordAsync(string traceId, Guid photoId, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO wechat_media_checks (trace_id, photo_id) VALUES (@traceId, @photoId)
            ON CONFLICT (trace_id) DO NOTHING
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { traceId, photoId }, cancellationToken: ct));
    }

    /// <summary>Stores the verdict and returns the photo it belongs to, or null for an unknown trace id.</summary>
    public async Task<MediaCheckOutcome?> CompleteAsync(string traceId, string? suggest, int? label, int errCode, CancellationToken ct)
    {
        const string sql = """
            UPDATE wechat_media_checks
               SET suggest = @suggest, label = @label, errcode = @errCode, checked_at = now()
             WHERE trace_id = @traceId
            RETURNING photo_id
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var photoId = await conn.QuerySingleOrDefaultAsync<Guid?>(
            new CommandDefinition(sql, new { traceId, suggest, label, errCode }, cancellationToken: ct));
        return photoId is { } id ? new MediaCheckOutcome(id, traceId, suggest, label, errCode) : null;
    }
    /// <summary>The latest check of a photo: Suggest is null while WeChat has not answered yet.</summary>
    public async Task<MediaCheckOutcome?> FindByPhotoAsync(Guid photoId, CancellationToken ct)
    {
        const string sql = """
            SELECT trace_id, suggest, label, errcode
              FROM wechat_media_checks
             WHERE photo_id = @photoId
             ORDER BY requested_at DESC
             LIMIT 1
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        // No row gives the default tuple, whose TraceId is null.
        var r = await conn.QuerySingleOrDefaultAsync<(string? TraceId, string? Suggest, int? Label, int? ErrCode)>(
            new CommandDefinition(sql, new { photoId }, cancellationToken: ct));
        return r.TraceId is null ? null : new MediaCheckOutcome(photoId, r.TraceId, r.Suggest, r.Label, r.ErrCode ?? 0);
    }
}

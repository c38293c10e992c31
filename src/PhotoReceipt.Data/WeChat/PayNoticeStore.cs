using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.WeChat;

/// <summary>Which pay notices and which signed (timestamp, nonce) pairs were already seen, across processes.</summary>
public sealed class PayNoticeStore(NpgsqlDataSource db)
{
    /// <summary>False when this exact signed delivery was seen before (a replay; WeChat's own retries re-sign).</summary>
    public async Task<bool> TryClaimNonceAsync(long timestamp, string nonce, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO wechat_pay_notice_nonces (timestamp_s, nonce) VALUES (@timestamp, @nonce)
            ON CONFLICT DO NOTHING
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { timestamp, nonce }, cancellationToken: ct)) == 1;
    }

    public async Task ReleaseNonceAsync(long timestamp, string nonce, CancellationToken ct)
    {
        const string sql = """
            DELETE FROM wechat_pay_notice_nonces WHERE timestamp_s = @timestamp AND nonce = @nonce
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { timestamp, nonce }, cancellationToken: ct));
    }

    public async Task<bool> IsProcessedAsync(string noticeId, CancellationToken ct)
    {
        const string sql = """
            SELECT EXISTS (SELECT 1 FROM wechat_pay_notices WHERE notice_id = @noticeId)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { noticeId }, cancellationToken: ct));
    }

    public async Task MarkProcessedAsync(string noticeId, string eventType, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO wechat_pay_notices (notice_id, event_type) VALUES (@noticeId, @eventType)
            ON CONFLICT (notice_id) DO NOTHING
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { noticeId, eventType }, cancellationToken: ct));
    }

    /// <summary>Nonces older than the timestamp window can no longer verify, so they need not be kept.</summary>
    public async Task<int> PurgeNoncesAsync(DateTimeOffset olderThan, CancellationToken ct)
    {
        const string sql = """
            DELETE FROM wechat_pay_notice_nonces WHERE received_at < @olderThan
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { olderThan }, cancellationToken: ct));
    }
}

using Dapper;
using Npgsql;

namespace PhotoReceipt.WeChat.Push;

/// <summary>Claims each push delivery once across every process (WeChat retries a delivery it thinks was lost).</summary>
public sealed class PushDedupeStore(NpgsqlDataSource db)
{
    /// <summary>True for the first delivery of this message, false for a retry already claimed.</summary>
    public async Task<bool> TryClaimAsync(PushMessage message, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO wechat_push_messages (dedupe_key, msg_type, event, from_open_id)
            VALUES (@key, @msgType, @event, @from)
            ON CONFLICT (dedupe_key) DO NOTHING
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var inserted = await conn.ExecuteAsync(new CommandDefinition(sql,
            new { key = message.DedupeKey, msgType = message.MsgType, @event = message.Event, from = message.FromUserName },
            cancellationToken: ct));
        return inserted == 1;
    }

    /// <summary>Gives a claim back when handling failed, so WeChat's retry is processed instead of dropped.</summary>
    public async Task ReleaseAsync(PushMessage message, CancellationToken ct)
    {
        const string sql = """
            DELETE FROM wechat_push_messages WHERE dedupe_key = @key
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { key = message.DedupeKey }, cancellationToken: ct));
    }

    /// <summary>WeChat stops retrying within a minute, so old claims only need keeping for audit; a retention job trims them.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken ct)
    {
        const string sql = """
            DELETE FROM wechat_push_messages WHERE received_at < @olderThan
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { olderThan }, cancellationToken: ct));
    }
}

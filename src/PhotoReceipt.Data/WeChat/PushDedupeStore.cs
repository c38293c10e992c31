using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.WeChat;

/// <summary>
/// Claims each push delivery once across every process (WeChat retries a delivery it thinks was lost),
/// and remembers each (timestamp, nonce) of the window with its body's hash: in plaintext mode the
/// signature covers only token, timestamp and nonce, so a captured query string would otherwise sign
/// any body a forger likes.
/// </summary>
public sealed class PushDedupeStore(NpgsqlDataSource db)
{
    /// <summary>
    /// True the first time this (timestamp, nonce) is seen, and again for the same body (a retry);
    /// false when it was seen with a different body.
    /// </summary>
    public async Task<bool> TryClaimNonceAsync(long timestamp, string nonce, byte[] bodyHash, CancellationToken ct)
    {
        const string sql = """
            WITH claimed AS (
                INSERT INTO wechat_push_nonces (timestamp, nonce, body_hash) VALUES (@timestamp, @nonce, @bodyHash)
                ON CONFLICT (timestamp, nonce) DO NOTHING
                RETURNING body_hash
            )
            SELECT body_hash FROM claimed
            UNION ALL
            SELECT body_hash FROM wechat_push_nonces WHERE timestamp = @timestamp AND nonce = @nonce
            LIMIT 1
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var stored = await conn.ExecuteScalarAsync<byte[]>(new CommandDefinition(sql, new { timestamp, nonce, bodyHash }, cancellationToken: ct));
        return stored is not null && stored.AsSpan().SequenceEqual(bodyHash);
    }

    /// <summary>Pairs older than the timestamp window can no longer pass the window check; the cleanup job drops them.</summary>
    public async Task<int> PurgeNoncesAsync(DateTimeOffset olderThan, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("DELETE FROM wechat_push_nonces WHERE received_at < @olderThan",
            new { olderThan }, cancellationToken: ct));
    }

    /// <summary>True for the first delivery of this message, false for a retry already claimed.</summary>
    public async Task<bool> TryClaimAsync(string dedupeKey, string? msgType, string? @event, string? fromOpenId, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO wechat_push_messages (dedupe_key, msg_type, event, from_open_id)
            VALUES (@key, @msgType, @event, @from)
            ON CONFLICT (dedupe_key) DO NOTHING
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var inserted = await conn.ExecuteAsync(new CommandDefinition(sql,
            new { key = dedupeKey, msgType, @event, from = fromOpenId },
            cancellationToken: ct));
        return inserted == 1;
    }

    /// <summary>Gives a claim back when handling failed, so WeChat's retry is processed instead of dropped.</summary>
    public async Task ReleaseAsync(string dedupeKey, CancellationToken ct)
    {
        const string sql = """
            DELETE FROM wechat_push_messages WHERE dedupe_key = @key
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { key = dedupeKey }, cancellationToken: ct));
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

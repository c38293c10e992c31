using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.Users;

public sealed record SessionUser(Guid UserId, string OpenId, DateTime ExpiresAt);

/// <summary>Mini-program users and their bearer sessions (tokens are stored only as SHA-256).</summary>
public sealed class UserStore(NpgsqlDataSource db)
{
    public async Task<Guid> UpsertAsync(string openId, string? unionId, byte[] sessionKeyEnc, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO users (id, openid, unionid, session_key_enc)
            VALUES (@id, @openId, @unionId, @sessionKeyEnc)
            ON CONFLICT (openid) DO UPDATE
               SET unionid = COALESCE(EXCLUDED.unionid, users.unionid),
                   session_key_enc = EXCLUDED.session_key_enc,
                   last_login_at = now()
            RETURNING id
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<Guid>(new CommandDefinition(sql,
            new { id = Guid.CreateVersion7(), openId, unionId, sessionKeyEnc }, cancellationToken: ct));
    }

    public async Task<Guid?> FindIdByOpenIdAsync(string openId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition("SELECT id FROM users WHERE openid = @openId", new { openId }, cancellationToken: ct));
    }

    public async Task CreateSessionAsync(byte[] tokenHash, Guid userId, byte[]? codeHash, DateTimeOffset expiresAt, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO sessions (token_hash, user_id, code_hash, expires_at)
            VALUES (@tokenHash, @userId, @codeHash, @expiresAt)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { tokenHash, userId, codeHash, expiresAt }, cancellationToken: ct));
    }

    /// <summary>The user a wx.login code already logged in within the last five minutes (codes live 5 min).</summary>
    public async Task<Guid?> FindRecentCodeUserAsync(byte[] codeHash, CancellationToken ct)
    {
        const string sql = """
            SELECT user_id FROM sessions
            WHERE code_hash = @codeHash AND created_at > now() - interval '5 minutes'
            LIMIT 1
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(sql, new { codeHash }, cancellationToken: ct));
    }

    public async Task<SessionUser?> FindSessionAsync(byte[] tokenHash, CancellationToken ct)
    {
        const string sql = """
            SELECT u.id AS user_id, u.openid, s.expires_at
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = @tokenHash AND s.expires_at > now()
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<SessionUser>(new CommandDefinition(sql, new { tokenHash }, cancellationToken: ct));
    }

    public async Task DeleteSessionAsync(byte[] tokenHash, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM sessions WHERE token_hash = @tokenHash", new { tokenHash }, cancellationToken: ct));
    }

    public async Task<int> DeleteExpiredSessionsAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("DELETE FROM sessions WHERE expires_at <= now()", cancellationToken: ct));
    }

    /// <summary>One more grant per template, never more than <paramref name="cap"/> banked.</summary>
    public async Task AddSubscriptionGrantsAsync(Guid userId, IReadOnlyCollection<string> templateIds, int cap, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO subscription_grants (user_id, template_id, remaining)
            SELECT @userId, t, 1 FROM unnest(@templateIds) AS t
            ON CONFLICT (user_id, template_id) DO UPDATE
               SET remaining = least(subscription_grants.remaining + 1, @cap), updated_at = now()
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { userId, templateIds = templateIds.ToArray(), cap }, cancellationToken: ct));
    }

    public async Task<IReadOnlyDictionary<string, int>> SubscriptionGrantsAsync(Guid userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string TemplateId, int Remaining)>(new CommandDefinition(
            "SELECT template_id, remaining FROM subscription_grants WHERE user_id = @userId AND remaining > 0",
            new { userId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.TemplateId, r => r.Remaining);
    }
}

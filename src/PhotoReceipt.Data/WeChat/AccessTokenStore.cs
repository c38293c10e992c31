using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.WeChat;

public sealed record StoredToken(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// The access token shared by every process of this app, one row per appid. A refresh runs inside a
/// transaction holding <c>pg_advisory_xact_lock</c> for the appid, so across any number of processes one
/// caller fetches and the rest find its token when they get the lock.
/// </summary>
public sealed class AccessTokenStore(NpgsqlDataSource db)
{
    public async Task<StoredToken?> ReadAsync(string appId, CancellationToken ct)
    {
        const string sql = """
            SELECT access_token, expires_at FROM wechat_access_tokens WHERE app_id = @appId
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        // No row gives the default tuple, whose Token is null.
        var row = await conn.QuerySingleOrDefaultAsync<(string? Token, DateTime ExpiresAt)>(
            new CommandDefinition(sql, new { appId }, cancellationToken: ct));
        return ToToken(row);
    }

    /// <summary>
    /// Under the appid's lock: returns the stored token when <paramref name="usable"/> accepts it, otherwise
    /// calls <paramref name="fetch"/> and stores what it returns. The fetch is the only network I/O under the
    /// lock, and it is what the lock exists for.
    /// </summary>
    public async Task<(StoredToken? Token, T? FetchFailure)> RefreshAsync<T>(
        string appId,
        Func<StoredToken?, bool> usable,
        Func<Task<(StoredToken? Token, T? Failure)>> fetch,
        CancellationToken ct)
    {
        const string lockSql = """
            SELECT pg_advisory_xact_lock(hashtextextended('wechat_access_token:' || @appId, 0))
            """;
        const string readSql = """
            SELECT access_token, expires_at FROM wechat_access_tokens WHERE app_id = @appId
            """;
        const string upsertSql = """
            INSERT INTO wechat_access_tokens (app_id, access_token, expires_at, refreshed_at)
            VALUES (@appId, @accessToken, @expiresAt, now())
            ON CONFLICT (app_id) DO UPDATE
               SET access_token = excluded.access_token, expires_at = excluded.expires_at, refreshed_at = now()
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(lockSql, new { appId }, tx, cancellationToken: ct));
        var current = ToToken(await conn.QuerySingleOrDefaultAsync<(string? Token, DateTime ExpiresAt)>(
            new CommandDefinition(readSql, new { appId }, tx, cancellationToken: ct)));
        if (usable(current))
        {
            await tx.CommitAsync(ct);
            return (current, default);
        }
        var (fetched, failure) = await fetch();
        if (fetched is not null)
        {
            await conn.ExecuteAsync(new CommandDefinition(upsertSql,
                new { appId, accessToken = fetched.AccessToken, expiresAt = fetched.ExpiresAt }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return (fetched, failure);
    }

    private static StoredToken? ToToken((string? Token, DateTime ExpiresAt) row) =>
        row.Token is null ? null : new StoredToken(row.Token, new DateTimeOffset(DateTime.SpecifyKind(row.ExpiresAt, DateTimeKind.Utc)));
}

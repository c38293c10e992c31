using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.Staff;

/// <summary>
/// Console sessions kept server-side: the cookie holds a random key, the table its SHA-256 and the
/// serialized ticket. A session ends when its row goes (logout, password or role change, lock), when
/// it has been idle too long, or at its absolute end whatever the activity.
/// </summary>
public sealed class StaffSessionStore(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>last_seen_at is written at most this often, so a busy page does not write on every request.</summary>
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    public async Task CreateAsync(string key, Guid staffId, byte[] ticket, TimeSpan absolute, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO staff_sessions (id_hash, staff_id, ticket, created_at, last_seen_at, expires_at)
            VALUES (@hash, @staffId, @ticket, @now, @now, @expires)
            """, new { hash = Hash(key), staffId, ticket, now, expires = now + absolute }, cancellationToken: ct));
    }

    /// <summary>The ticket of a live session (seen within <paramref name="idle"/>, before its absolute end), or null.</summary>
    public async Task<byte[]?> FindAsync(string key, TimeSpan idle, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hash = Hash(key);
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(byte[] Ticket, DateTime LastSeenAt)?>(new CommandDefinition("""
            SELECT ticket, last_seen_at FROM staff_sessions
            WHERE id_hash = @hash AND expires_at > @now AND last_seen_at > @idleSince
            """, new { hash, now, idleSince = now - idle }, cancellationToken: ct));
        if (row is null) return null;
        if (now.UtcDateTime - row.Value.LastSeenAt > TouchEvery)
            await conn.ExecuteAsync(new CommandDefinition("UPDATE staff_sessions SET last_seen_at = @now WHERE id_hash = @hash",
                new { hash, now }, cancellationToken: ct));
        return row.Value.Ticket;
    }

    public async Task UpdateTicketAsync(string key, byte[] ticket, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("UPDATE staff_sessions SET ticket = @ticket, last_seen_at = @now WHERE id_hash = @hash",
            new { hash = Hash(key), ticket, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM staff_sessions WHERE id_hash = @hash", new { hash = Hash(key) }, cancellationToken: ct));
    }

    public async Task<int> CountForAsync(Guid staffId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM staff_sessions WHERE staff_id = @staffId", new { staffId }, cancellationToken: ct));
    }

    /// <summary>Deletes sessions past their absolute end or idle longer than <paramref name="idle"/> (the cleanup job).</summary>
    public async Task<int> PurgeAsync(TimeSpan idle, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM staff_sessions WHERE expires_at <= @now OR last_seen_at <= @idleSince", new { now, idleSince = now - idle }, cancellationToken: ct));
    }
}

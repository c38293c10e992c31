using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace PhotoReceipt.Data.Staff;

public static class StaffRoles
{
    public const string Reviewer = "reviewer";
    public const string Support = "support";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Reviewer, Support, Admin];
}

public sealed record StaffUser(Guid Id, string Username, string PasswordHash, string Role, int FailedAttempts, DateTime? LockedUntil, bool IsLocked);

public abstract record SignInResult
{
    public sealed record Success(StaffUser User) : SignInResult;
    public sealed record Invalid : SignInResult;
    /// <summary>Too many wrong passwords from this client for this name.</summary>
    public sealed record Locked(DateTime Until) : SignInResult;
    /// <summary>The right password for an account an administrator locked.</summary>
    public sealed record Disabled : SignInResult;
}

/// <summary>
/// Staff accounts for the console. Passwords are hashed with ASP.NET Core Identity's hasher
/// (PBKDF2-HMAC-SHA512, 100 000 iterations, random salt). Wrong passwords are counted per submitted
/// name and client address (<c>staff_login_failures</c>), known name or not: five in a row lock that
/// pair for a minute, and each further lockout doubles it up to <see cref="MaxLockout"/>. So a
/// stranger can neither lock staff out from elsewhere nor tell real names from made-up ones. An
/// account-level lock (<see cref="LockAsync"/>) is an administrator's decision.
/// </summary>
public sealed class StaffStore(NpgsqlDataSource db, TimeProvider clock)
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan FirstLockout = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxLockout = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<StaffUser> Hasher = new();
    // Verified against when the username is unknown, so that case costs the same time as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(null!, Guid.NewGuid().ToString());

    private const string Columns = """
        id, username, password_hash, role, failed_attempts, locked_until,
        (locked_until IS NOT NULL AND locked_until > now()) AS is_locked
        """;

    public static string HashPassword(string password) => Hasher.HashPassword(null!, password);

    /// <summary>Adds an account; false when the username is taken.</summary>
    public async Task<bool> AddAsync(string username, string password, string role, CancellationToken ct)
    {
        if (!StaffRoles.All.Contains(role)) throw new ArgumentException($"Unknown staff role '{role}'.", nameof(role));
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO staff_users (id, username, password_hash, role) VALUES (@id, @username, @hash, @role)
            ON CONFLICT (username) DO NOTHING
            """, new { id = Guid.CreateVersion7(), username, hash = HashPassword(password), role }, cancellationToken: ct)) == 1;
    }

    public async Task<StaffUser?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<StaffUser>(new CommandDefinition(
            $"SELECT {Columns} FROM staff_users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>New password; every session of the account ends. False for an unknown name.</summary>
    public Task<bool> SetPasswordAsync(string username, string password, CancellationToken ct) =>
        ChangeAndRevokeAsync("UPDATE staff_users SET password_hash = @hash WHERE username = @username RETURNING id",
            new { username, hash = HashPassword(password) }, ct);

    /// <summary>New role; every session of the account ends (its pages and powers change). False for an unknown name.</summary>
    public Task<bool> SetRoleAsync(string username, string role, CancellationToken ct)
    {
        if (!StaffRoles.All.Contains(role)) throw new ArgumentException($"Unknown staff role '{role}'.", nameof(role));
        return ChangeAndRevokeAsync("UPDATE staff_users SET role = @role WHERE username = @username RETURNING id", new { username, role }, ct);
    }

    /// <summary>Locks the account until <paramref name="until"/> (an administrator's decision); every session ends.</summary>
    public Task<bool> LockAsync(string username, DateTimeOffset until, CancellationToken ct) =>
        ChangeAndRevokeAsync("UPDATE staff_users SET locked_until = @until WHERE username = @username RETURNING id", new { username, until }, ct);

    public async Task<bool> UnlockAsync(string username, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE staff_users SET locked_until = NULL WHERE username = @username", new { username }, cancellationToken: ct)) == 1;
    }

    private async Task<bool> ChangeAndRevokeAsync(string update, object args, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(update, args, tx, cancellationToken: ct));
        if (id is null) return false;
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM staff_sessions WHERE staff_id = @id", new { id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<SignInResult> SignInAsync(string username, string password, string client, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var name = username.ToLowerInvariant();
        await using var conn = await db.OpenConnectionAsync(ct);
        // A locked (name, client) pair is refused without looking at the password, so guessing goes nowhere.
        var lockedUntil = await conn.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT locked_until FROM staff_login_failures WHERE username = @name AND client = @client AND locked_until > @now",
            new { name, client, now }, cancellationToken: ct));
        if (lockedUntil is not null) return new SignInResult.Locked(lockedUntil.Value);

        var user = await conn.QuerySingleOrDefaultAsync<StaffUser>(new CommandDefinition(
            $"SELECT {Columns} FROM staff_users WHERE username = @username", new { username }, cancellationToken: ct));
        var ok = user is not null && Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
        if (user is null) Hasher.VerifyHashedPassword(null!, DummyHash, password);
        if (!ok)
        {
            // One statement, so parallel guesses all count; the lock doubles with each lockout of the pair.
            const string fail = """
                INSERT INTO staff_login_failures AS f (username, client, failures, updated_at) VALUES (@name, @client, 1, @now)
                ON CONFLICT (username, client) DO UPDATE SET
                    failures = CASE WHEN f.failures + 1 >= @max THEN 0 ELSE f.failures + 1 END,
                    lockouts = CASE WHEN f.failures + 1 >= @max THEN f.lockouts + 1 ELSE f.lockouts END,
                    locked_until = CASE WHEN f.failures + 1 >= @max
                        THEN @now + least(make_interval(secs => @first * power(2, f.lockouts)), make_interval(secs => @cap))
                        ELSE f.locked_until END,
                    updated_at = @now
                RETURNING locked_until
                """;
            var until = await conn.ExecuteScalarAsync<DateTime?>(new CommandDefinition(fail,
                new { name, client, now, max = MaxFailedAttempts, first = FirstLockout.TotalSeconds, cap = MaxLockout.TotalSeconds }, cancellationToken: ct));
            return until > now.UtcDateTime ? new SignInResult.Locked(until.Value) : new SignInResult.Invalid();
        }
        // The right password: only now may the caller learn that an administrator locked the account.
        if (user!.IsLocked) return new SignInResult.Disabled();
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM staff_login_failures WHERE username = @name AND client = @client", new { name, client }, cancellationToken: ct));
        return new SignInResult.Success(user);
    }

    /// <summary>Forgets failure counts nobody has touched for a day (the cleanup job).</summary>
    public async Task<int> PurgeLoginFailuresAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM staff_login_failures WHERE updated_at < @cutoff AND (locked_until IS NULL OR locked_until < @cutoff)",
            new { cutoff = clock.GetUtcNow().AddDays(-1) }, cancellationToken: ct));
    }
}

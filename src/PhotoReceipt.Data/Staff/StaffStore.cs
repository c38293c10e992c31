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
    public sealed record Locked(DateTime Until) : SignInResult;
}

/// <summary>
/// Staff accounts for the console. Passwords are hashed with ASP.NET Core Identity's hasher
/// (PBKDF2-HMAC-SHA512, 100 000 iterations, random salt). Five wrong passwords in a row lock the
/// account for 15 minutes; the counter is updated in one statement so parallel guesses all count.
/// </summary>
public sealed class StaffStore(NpgsqlDataSource db)
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

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

    public async Task<SignInResult> SignInAsync(string username, string password, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var user = await conn.QuerySingleOrDefaultAsync<StaffUser>(new CommandDefinition(
            $"SELECT {Columns} FROM staff_users WHERE username = @username", new { username }, cancellationToken: ct));
        if (user is null)
        {
            Hasher.VerifyHashedPassword(null!, DummyHash, password);
            return new SignInResult.Invalid();
        }
        // A locked account is refused without looking at the password, so guessing goes nowhere.
        if (user.IsLocked) return new SignInResult.Locked(user.LockedUntil!.Value);

        if (Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            const string fail = """
                UPDATE staff_users SET
                    locked_until = CASE WHEN failed_attempts + 1 >= @max THEN now() + make_interval(secs => @lockSeconds) ELSE locked_until END,
                    failed_attempts = CASE WHEN failed_attempts + 1 >= @max THEN 0 ELSE failed_attempts + 1 END
                WHERE id = @id
                RETURNING locked_until > now()
                """;
            var locked = await conn.ExecuteScalarAsync<bool?>(new CommandDefinition(fail,
                new { id = user.Id, max = MaxFailedAttempts, lockSeconds = Lockout.TotalSeconds }, cancellationToken: ct));
            return locked == true ? new SignInResult.Locked(DateTime.UtcNow + Lockout) : new SignInResult.Invalid();
        }
        // Only an account that is still unlocked: a parallel wrong guess may have locked it while this
        // password was being checked, and a success must not lift that lock.
        var reset = await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE staff_users SET failed_attempts = 0 WHERE id = @id AND (locked_until IS NULL OR locked_until <= now())",
            new { id = user.Id }, cancellationToken: ct));
        return reset == 1 ? new SignInResult.Success(user) : new SignInResult.Locked(DateTime.UtcNow + Lockout);
    }
}

using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.Staff;

/// <summary>Who looked at or changed what, and when. Queries are recorded by kind only: they may be personal data.</summary>
public sealed class AuditLog(NpgsqlDataSource db)
{
    private const string Insert = """
        INSERT INTO audit_log (staff_id, staff_name, action, target, query_kind)
        VALUES (@staffId, @staffName, @action, @target, @queryKind)
        """;

    public async Task WriteAsync(Guid staffId, string staffName, string action, string? target, string? queryKind, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(Insert, new { staffId, staffName, action, target, queryKind }, cancellationToken: ct));
    }

    /// <summary>The same inside the caller's transaction, so an action and its audit row commit together.</summary>
    public static Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid staffId, string staffName, string action, string? target, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(Insert, new { staffId, staffName, action, target, queryKind = (string?)null }, tx, cancellationToken: ct));
}

using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.Orders;

public sealed record GuardianConsentRow(string Relationship, string? GuardianNameMasked, DateTime GivenAt);

/// <summary>The guardian's consent on a child's order, written in the order's own transaction.</summary>
public sealed class GuardianConsentStore(NpgsqlDataSource db)
{
    public static async Task AddAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, NewGuardianConsent consent, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO order_guardian_consents (order_id, relationship, guardian_name_enc, guardian_name_masked, pii_key_id)
            VALUES (@orderId, @Relationship, @NameEnc, @NameMasked, @PiiKeyId)
            """;
        await conn.ExecuteAsync(new CommandDefinition(sql, new { orderId, consent.Relationship, consent.NameEnc, consent.NameMasked, consent.PiiKeyId },
            tx, cancellationToken: ct));
    }

    public async Task<GuardianConsentRow?> FindAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<GuardianConsentRow>(new CommandDefinition(
            "SELECT relationship, guardian_name_masked, given_at FROM order_guardian_consents WHERE order_id = @orderId",
            new { orderId }, cancellationToken: ct));
    }
}

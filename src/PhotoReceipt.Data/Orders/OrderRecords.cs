namespace PhotoReceipt.Data.Orders;

public sealed record OrderRow(
    Guid Id, string OrderNo, Guid UserId, string ProductId, Guid PhotoId, string Status, int PriceFen,
    string? ApplicantNameMasked, string? ApplicantIdMasked, string? ApplicantPhoneMasked,
    string ConsentVersion, DateTime ConsentAt, string IdempotencyKey, byte[] RequestHash,
    string? ImageNumber, DateTime? PaidAt, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>What a line of the user's order list needs, and nothing more (the list is the hottest query).</summary>
public sealed record OrderSummaryRow(
    Guid Id, string OrderNo, string ProductId, string Status, int PriceFen, string? ApplicantNameMasked,
    string? ImageNumber, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record OrderEvent(long Id, string? FromStatus, string ToStatus, string Actor, string? Note, DateTime CreatedAt);

/// <summary>A new order with its personal data already encrypted, hashed and masked.</summary>
public sealed record NewOrder(
    Guid Id, string OrderNo, Guid UserId, string ProductId, Guid PhotoId, string InitialStatus, int PriceFen,
    byte[] NameEnc, byte[] IdEnc, byte[] PhoneEnc, byte[] IdHash, byte[] PhoneHash,
    string NameMasked, string IdMasked, string PhoneMasked, string PiiKeyId,
    string ConsentVersion, string IdempotencyKey, byte[] RequestHash);

/// <summary>A parent's or guardian's consent given with a child's order (PIPL art. 31): the name encrypted like the applicant's.</summary>
public sealed record NewGuardianConsent(string Relationship, byte[] NameEnc, string NameMasked, string PiiKeyId);

/// <summary>Position in the newest-first list: the last row of the previous page.</summary>
public readonly record struct OrderCursor(DateTime CreatedAt, Guid Id)
{
    public string Encode() =>
        Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{CreatedAt.Ticks}:{Id:N}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out OrderCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 128) return false;
        try
        {
            var b64 = text.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var parts = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(b64)).Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], out var ticks) || !Guid.TryParseExact(parts[1], "N", out var id)) return false;
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
            cursor = new OrderCursor(new DateTime(ticks, DateTimeKind.Utc), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

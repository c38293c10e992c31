using Dapper;
using Npgsql;

namespace PhotoReceipt.Testing;

/// <summary>
/// Many users with many orders each, laid down as orders made over time would be: one order per
/// user per minute, so each user's orders lie scattered over the table between other users'.
/// </summary>
public static class OrderHistory
{
    /// <summary>
    /// Users with openids "{openIdPrefix}1" … "{openIdPrefix}{users}", one processed photo each for
    /// <paramref name="productId"/> (which must exist), and <paramref name="ordersPerUser"/> orders
    /// cycling through awaiting_payment, queued, submitted, approved and cancelled.
    /// </summary>
    public static Task SeedAsync(NpgsqlConnection conn, string openIdPrefix, int users, int ordersPerUser, string productId) =>
        conn.ExecuteAsync("""
            INSERT INTO users (id, openid) SELECT gen_random_uuid(), @openIdPrefix || g FROM generate_series(1, @users) g;
            INSERT INTO photos (id, user_id, product_id, spec_id, status, source_format, source_bytes, usable, report)
              SELECT gen_random_uuid(), u.id, p.id, p.spec_id, 'processed', 'jpeg', 100000, true, '{"usable":true,"checks":[]}'
              FROM users u JOIN products p ON p.id = @productId
              WHERE starts_with(u.openid, @openIdPrefix);
            INSERT INTO orders (id, order_no, user_id, product_id, photo_id, status, price_fen, applicant_name_masked,
                                applicant_id_masked, applicant_phone_masked, consent_version, consent_at, idempotency_key, request_hash, created_at)
              SELECT gen_random_uuid(), 'R' || lpad((row_number() OVER ())::text, 16, '0'), ph.user_id, ph.product_id, ph.id,
                     (ARRAY['awaiting_payment','queued','submitted','approved','cancelled'])[1 + g % 5], 990,
                     '张*', '**************123X', '138****5678', '2026-11', now(), 'k' || g, '\x00', now() - g * interval '1 minute'
              FROM generate_series(1, @ordersPerUser) g
              CROSS JOIN photos ph JOIN users u ON u.id = ph.user_id AND starts_with(u.openid, @openIdPrefix);
            """, new { openIdPrefix, users, ordersPerUser, productId });
}

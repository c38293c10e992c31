using System.Text.Json;
using Dapper;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Platform;

/// <summary>
/// "My orders" is the hottest read: every shape of the list query must be answered from
/// orders_user_list_cov_idx alone (index-only, already in order), which holds only while the
/// query's columns stay among the index's INCLUDE columns.
/// </summary>
public sealed class OrderListPlanTests : IAsyncLifetime
{
    private readonly PostgresDatabase db = new();

    public Task InitializeAsync() => db.InitializeAsync();
    public Task DisposeAsync() => db.DisposeAsync();

    [Theory]
    [InlineData(null, false)]
    [InlineData("queued", false)]
    [InlineData(null, true)]
    [InlineData("queued", true)]
    public async Task Every_shape_of_the_list_query_is_an_index_only_scan_in_order(string? status, bool withCursor)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        // 200 users with 20 orders each, interleaved in the heap as orders made over time would be.
        await conn.ExecuteAsync("""
            INSERT INTO products (id, name, document_type, spec_id, validity_days, price_fen, catalog_version)
              VALUES ('p', 'p', 'id_card', 'cn-id-card', 180, 990, 't');
            INSERT INTO users (id, openid) SELECT gen_random_uuid(), 'u' || g FROM generate_series(1, 200) g;
            INSERT INTO photos (id, user_id, product_id, spec_id, status, source_format, source_bytes)
              SELECT gen_random_uuid(), id, 'p', 'cn-id-card', 'processed', 'jpeg', 1 FROM users;
            INSERT INTO orders (id, order_no, user_id, product_id, photo_id, status, price_fen, consent_version, consent_at,
                                idempotency_key, request_hash, created_at)
              SELECT gen_random_uuid(), 'R' || g || '-' || p.id, p.user_id, 'p', p.id, (ARRAY['queued', 'approved'])[1 + g % 2], 990,
                     '1', now(), 'k' || g, '\x00', now() - g * interval '1 minute'
              FROM generate_series(1, 20) g CROSS JOIN photos p;
            """);
        await conn.ExecuteAsync("ANALYZE orders");
        // Whether PostgreSQL picks the index-only scan also depends on how much of the table the last
        // vacuum found all-visible; rule out the other access paths so the test asks only whether an
        // index-only, in-order scan is possible for this query text.
        await conn.ExecuteAsync("SET enable_bitmapscan = off; SET enable_seqscan = off; SET enable_sort = off");
        var userId = await conn.ExecuteScalarAsync<Guid>("SELECT id FROM users WHERE openid = 'u100'");
        OrderCursor? after = withCursor ? new OrderCursor(DateTime.UtcNow.AddMinutes(-5), Guid.Empty) : null;

        var sql = "EXPLAIN (ANALYZE, FORMAT JSON) " + OrderStore.ListSqlFor(status, after);
        var json = await conn.ExecuteScalarAsync<string>(sql, new { userId, status, afterAt = after?.CreatedAt, afterId = after?.Id, limit = 21 });
        var plan = JsonDocument.Parse(json!).RootElement[0].GetProperty("Plan");

        Assert.Equal("Limit", plan.GetProperty("Node Type").GetString());
        var scan = Assert.Single(plan.GetProperty("Plans").EnumerateArray());
        Assert.Equal("Index Only Scan", scan.GetProperty("Node Type").GetString());
        Assert.Equal("orders_user_list_cov_idx", scan.GetProperty("Index Name").GetString());
        if (withCursor) Assert.Contains("created_at", scan.GetProperty("Index Cond").GetString());
        Assert.True(scan.GetProperty("Actual Rows").GetInt32() > 0);
    }
}

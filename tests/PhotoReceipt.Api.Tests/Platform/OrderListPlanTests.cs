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
public sealed class OrderListPlanTests(OrderListPlanTests.SeededDatabase seeded) : IClassFixture<OrderListPlanTests.SeededDatabase>
{
    /// <summary>One database for the class: 200 users with 20 orders each.</summary>
    public sealed class SeededDatabase : IAsyncLifetime
    {
        public PostgresDatabase Db { get; } = new();

        public async Task InitializeAsync()
        {
            await Db.InitializeAsync();
            await using var conn = await Db.DataSource.OpenConnectionAsync();
            await conn.ExecuteAsync("""
                INSERT INTO products (id, name, document_type, spec_id, validity_days, price_fen, catalog_version)
                  VALUES ('p', 'p', 'id_card', 'cn-id-card', 180, 990, 't')
                """);
            await OrderHistory.SeedAsync(conn, "u", users: 200, ordersPerUser: 20, "p");
            await conn.ExecuteAsync("ANALYZE orders");
        }

        public Task DisposeAsync() => Db.DisposeAsync();
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("queued", false)]
    [InlineData(null, true)]
    [InlineData("queued", true)]
    public async Task Every_shape_of_the_list_query_is_an_index_only_scan_in_order(string? status, bool withCursor)
    {
        await using var conn = await seeded.Db.DataSource.OpenConnectionAsync();
        // Whether PostgreSQL picks the index-only scan also depends on how much of the table the last
        // vacuum found all-visible; rule out the other access paths so the test asks only whether an
        // index-only, in-order scan is possible for this query text.
        // (SET LOCAL inside a transaction, so the pooled connection goes back with default settings.)
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off", transaction: tx);
        var userId = await conn.ExecuteScalarAsync<Guid>("SELECT id FROM users WHERE openid = 'u100'", transaction: tx);
        OrderCursor? after = withCursor ? new OrderCursor(DateTime.UtcNow.AddMinutes(-5), Guid.Empty) : null;

        var sql = "EXPLAIN (ANALYZE, FORMAT JSON) " + OrderStore.ListSqlFor(status, after);
        var json = await conn.ExecuteScalarAsync<string>(sql, new { userId, status, afterAt = after?.CreatedAt, afterId = after?.Id, limit = 21 }, tx);
        var plan = JsonDocument.Parse(json!).RootElement[0].GetProperty("Plan");

        Assert.Equal("Limit", plan.GetProperty("Node Type").GetString());
        var scan = Assert.Single(plan.GetProperty("Plans").EnumerateArray());
        Assert.Equal("Index Only Scan", scan.GetProperty("Node Type").GetString());
        Assert.Equal("orders_user_list_cov_idx", scan.GetProperty("Index Name").GetString());
        if (withCursor) Assert.Contains("created_at", scan.GetProperty("Index Cond").GetString());
        Assert.True(scan.GetProperty("Actual Rows").GetInt32() > 0);
    }
}

using System.Net;
using Dapper;
using Npgsql;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Platform;

public sealed class OrderConcurrencyTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Fifty_parallel_posts_with_one_idempotency_key_make_exactly_one_order()
    {
        var client = await app.LoginAsync();
        var photo = await client.ProcessedPhotoAsync(app);
        var body = ApiClient.OrderBody(photo);
        using var start = new SemaphoreSlim(0);
        var posts = Enumerable.Range(0, 50).Select(async _ =>
        {
            await start.WaitAsync();
            var response = await client.PostOrderAsync(body, "one-key-for-all");
            return (response.StatusCode, Id: response.IsSuccessStatusCode ? (await response.JsonAsync()).GetProperty("id").GetGuid() : Guid.Empty);
        }).ToList();
        start.Release(50);
        var results = await Task.WhenAll(posts);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(results.Select(r => r.Id).Distinct());
        await using var db = NpgsqlDataSource.Create(app.ConnectionString);
        await using var conn = await db.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM orders WHERE idempotency_key = 'one-key-for-all'"));
        // And the timeline was written once, not once per request.
        Assert.Equal(2, await conn.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.idempotency_key = 'one-key-for-all'"));
    }
}

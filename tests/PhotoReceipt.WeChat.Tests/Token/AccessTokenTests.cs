using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Tests.Fake;

namespace PhotoReceipt.WeChat.Tests.Token;

/// <summary>The shared access-token rules of wechat.md §2, against the fake's stable_token.</summary>
public sealed class AccessTokenTests(WeChatFixture fixture) : IClassFixture<WeChatFixture>, IAsyncLifetime
{
    private FakeWeChatServer _fake = null!;

    // Each test gets a fresh fake (fresh counters) and an empty token table.
    public async Task InitializeAsync()
    {
        _fake = await FakeWeChatServer.StartAsync();
        await using var conn = await fixture.Database.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync("DELETE FROM wechat_access_tokens");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private static Task<WeChatResult<WeChatAck>> Send(IServiceProvider services, string openId) =>
        services.GetRequiredService<IWeChatApi>().SendCustomerServiceMessageAsync(new CustomerServiceText(openId, "hi"), CancellationToken.None);

    [Fact]
    public async Task Two_processes_and_50_concurrent_calls_fetch_the_token_exactly_once()
    {
        // Two containers with their own connection pools stand for two processes sharing one database.
        await using var db1 = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var db2 = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var one = WeChatTestHost.Build(_fake, db1);
        await using var two = WeChatTestHost.Build(_fake, db2);
        // A slow stable_token widens the race window: everyone else arrives while the first fetch is in flight.
        _fake.Inject("/cgi-bin/stable_token", new FakeFault.Delay(TimeSpan.FromMilliseconds(300)));

        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await Send(i % 2 == 0 ? one : two, "o_conc_" + i);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.True(r.Ok, r.ErrMsg));
        Assert.Equal(1, _fake.StableTokenCalls);
        Assert.Equal(0, _fake.ForceRefreshCalls);
        Assert.Equal(50, _fake.RequestsTo("/cgi-bin/message/custom/send").Count(r => r.Query["access_token"] == _fake.CurrentToken));
    }

    [Fact]
    public async Task On_40001_the_token_is_refreshed_in_normal_mode_and_the_call_retried_once()
    {
        await using var services = WeChatTestHost.Build(_fake, fixture.Database.DataSource);
        Assert.True((await Send(services, "o_a")).Ok);
        var first = _fake.CurrentToken;

        _fake.RotateToken(); // someone else force-refreshed: our cached token now gets 40001
        var result = await Send(services, "o_b");

        Assert.True(result.Ok, result.ErrMsg);
        Assert.NotEqual(first, _fake.CurrentToken);
        Assert.Equal(2, _fake.StableTokenCalls);
        Assert.Equal(0, _fake.ForceRefreshCalls);
        var sends = _fake.RequestsTo("/cgi-bin/message/custom/send").Where(r => r.Body.Contains("o_b", StringComparison.Ordinal)).ToList();
        Assert.Equal([first, _fake.CurrentToken], sends.Select(s => s.Query["access_token"]));
    }

    [Fact]
    public async Task On_42001_the_expired_token_is_replaced()
    {
        await using var services = WeChatTestHost.Build(_fake, fixture.Database.DataSource);
        Assert.True((await Send(services, "o_c")).Ok);
        _fake.ExpireToken();
        Assert.True((await Send(services, "o_d")).Ok);
        Assert.Equal(2, _fake.StableTokenCalls);
    }

    [Fact]
    public async Task A_second_40001_is_returned_and_never_answered_with_force_refresh()
    {
        await using var services = WeChatTestHost.Build(_fake, fixture.Database.DataSource);
        Assert.True((await Send(services, "o_e")).Ok);
        _fake.Inject("/cgi-bin/message/custom/send", new FakeFault.ErrCode(40001, "invalid credential, access_token is invalid or not latest"));
        _fake.Inject("/cgi-bin/message/custom/send", new FakeFault.ErrCode(40001, "invalid credential, access_token is invalid or not latest"));

        var result = await Send(services, "o_f");

        Assert.Equal(40001, result.ErrCode);
        Assert.Equal(2, _fake.RequestsTo("/cgi-bin/message/custom/send").Count(r => r.Body.Contains("o_f", StringComparison.Ordinal)));
        Assert.Equal(0, _fake.ForceRefreshCalls);
    }

    [Fact]
    public async Task A_process_that_started_later_reuses_the_stored_token()
    {
        await using (var first = WeChatTestHost.Build(_fake, fixture.Database.DataSource))
            Assert.True((await Send(first, "o_g")).Ok);
        await using var second = WeChatTestHost.Build(_fake, fixture.Database.DataSource);
        Assert.True((await Send(second, "o_h")).Ok);
        Assert.Equal(1, _fake.StableTokenCalls);
    }

    [Fact]
    public async Task The_token_is_refreshed_five_minutes_before_it_expires()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var services = WeChatTestHost.Build(WeChatTestHost.Settings(_fake), fixture.Database.DataSource, clock);
        Assert.True((await Send(services, "o_i")).Ok);

        // expires_in is about 7200 s (the fake truncates to whole seconds): 310 s before expiry is still fresh.
        clock.Advance(TimeSpan.FromSeconds(7200 - 310));
        Assert.True((await Send(services, "o_j")).Ok);
        Assert.Equal(1, _fake.StableTokenCalls);

        clock.Advance(TimeSpan.FromSeconds(20)); // now within the last 5 minutes
        Assert.True((await Send(services, "o_k")).Ok);
        Assert.Equal(2, _fake.StableTokenCalls);
    }

    [Fact]
    public async Task A_frozen_secret_is_reported_from_stable_token()
    {
        await using var services = WeChatTestHost.Build(_fake, fixture.Database.DataSource);
        _fake.Inject("/cgi-bin/stable_token", new FakeFault.ErrCode(40243, "AppSecret已被冻结，请登录小程序平台解冻后再次调用。"));
        var result = await Send(services, "o_l");
        Assert.Equal(40243, result.ErrCode);
        Assert.NotNull(result.Rid);
        Assert.Empty(_fake.RequestsTo("/cgi-bin/message/custom/send"));
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Tests.Fake;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Worker.Notices;

namespace PhotoReceipt.Api.Tests.Notices;

/// <summary>The app against the fake WeChat server, with a short per-call timeout so an unanswered send is quick to test.</summary>
public sealed class NoticeWeChatFactory : ApiFactory
{
    public FakeWeChatServer Fake { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Fake = await FakeWeChatServer.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        Fake.Configuration().Append(new("WeChat:Timeout", "00:00:02"));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>Notices sent to WeChat (the fake server on loopback): errors, retries, and a worker that stops mid-send.</summary>
public sealed class WeChatNoticeTests(NoticeWeChatFactory app) : IClassFixture<NoticeWeChatFactory>
{
    private const string SendPath = "/cgi-bin/message/subscribe/send";

    /// <summary>A user with a grant for the approval template and an approved free order whose notice is dispatched but not sent.</summary>
    private async Task<(Guid OrderId, string OpenId)> ApprovedOrderAsync()
    {
        var code = "code_" + Guid.NewGuid().ToString("N")[..10];
        var openId = "o_" + Guid.NewGuid().ToString("N")[..20];
        app.Fake.IssueLoginCode(code, openId, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        var user = await app.LoginAsync(code);
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var order = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync();
        var orderId = order.GetProperty("id").GetGuid();
        await app.RunJobsAsync();
        await user.GrantAsync(NoticeSteps.Approved);
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "approve")).StatusCode);
        await app.RunJobsAsync();   // whatever else the approval queued (e.g. issuing the receipt): the send is then the only due job
        Assert.Equal(1, await app.Services.GetRequiredService<NoticeDispatchJob>().DispatchAsync(CancellationToken.None));
        return (orderId, openId);
    }

    private List<FakeRequest> SendsTo(string openId) =>
        app.Fake.RequestsTo(SendPath).Where(r => r.Body.Contains(openId, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task The_notice_goes_to_WeChat_once_in_the_wire_format()
    {
        var (orderId, openId) = await ApprovedOrderAsync();
        await app.RunJobsAsync();
        await app.DeliverNoticesAsync();

        var body = JsonDocument.Parse(Assert.Single(SendsTo(openId)).Body).RootElement;
        Assert.Equal(NoticeSteps.Approved, body.GetProperty("template_id").GetString());
        Assert.Equal($"pages/order/detail?id={orderId}", body.GetProperty("page").GetString());
        Assert.Equal("已通过", body.GetProperty("data").GetProperty("phrase2").GetProperty("value").GetString());
        Assert.Equal(await app.QueryScalarAsync<string>("SELECT order_no FROM orders WHERE id = @orderId", new { orderId }),
            body.GetProperty("data").GetProperty("character_string1").GetProperty("value").GetString());
        Assert.Equal(["sent"], await app.NoticeStatesAsync(orderId));
    }

    [Fact]
    public async Task WeChat_43101_is_recorded_as_no_grant_and_not_retried()
    {
        var (orderId, openId) = await ApprovedOrderAsync();
        app.Fake.Inject(SendPath, new FakeFault.ErrCode(43101, "user refuse to accept the msg"));
        await app.RunJobsAsync();
        await app.RetryNowAsync();
        await app.DeliverNoticesAsync();

        Assert.Single(SendsTo(openId));
        Assert.Equal(["no_grant"], await app.NoticeStatesAsync(orderId));
        Assert.Equal(43101, await app.QueryScalarAsync<int>("SELECT errcode FROM notices WHERE order_id = @orderId", new { orderId }));
        // WeChat is the authority on grants: ours is zeroed, not given back.
        Assert.Equal(0, await app.RemainingAsync(orderId, NoticeSteps.Approved));
        Assert.Equal(["succeeded"], await app.QueryAsync<string>(
            "SELECT j.status FROM jobs j JOIN outbox x ON j.payload->>'outboxId' = x.id::text WHERE j.kind = 'notice.send' AND x.order_id = @orderId",
            new { orderId }));
    }

    [Fact]
    public async Task A_busy_WeChat_is_retried_with_backoff_and_the_notice_is_then_sent_once_on_one_grant()
    {
        var (orderId, openId) = await ApprovedOrderAsync();
        app.Fake.Inject(SendPath, new FakeFault.ErrCode(-1, "system error"));
        await app.RunJobsAsync();

        Assert.Single(SendsTo(openId));
        Assert.Equal(["pending"], await app.NoticeStatesAsync(orderId));
        Assert.Equal(0, await app.RemainingAsync(orderId, NoticeSteps.Approved)); // taken once, kept for the retry
        var retry = await app.QueryAsync<(int Attempts, bool Later)>(
            "SELECT attempts, run_at > now() FROM jobs WHERE kind = 'notice.send' AND status = 'queued'");
        Assert.Equal((1, true), Assert.Single(retry));

        Assert.Equal(1, await app.RetryNowAsync());
        await app.RunJobsAsync();
        await app.RetryNowAsync();
        await app.DeliverNoticesAsync();

        Assert.Equal(2, SendsTo(openId).Count); // the refused call and the one that went through
        Assert.Equal(["sent"], await app.NoticeStatesAsync(orderId));
        Assert.Equal(2, await app.QueryScalarAsync<int>("SELECT attempts FROM notices WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(0, await app.RemainingAsync(orderId, NoticeSteps.Approved));
    }

    [Fact]
    public async Task A_worker_stopped_between_the_send_and_the_mark_does_not_send_again_on_retry()
    {
        var (orderId, openId) = await ApprovedOrderAsync();
        // WeChat receives the request and delivers it, but the answer never reaches the worker: it is
        // stopped (the job aborted and released) while waiting, after 'sending' was committed.
        app.Fake.Inject(SendPath, new FakeFault.Delay(TimeSpan.FromSeconds(2)));
        var runner = app.Services.GetRequiredService<JobRunner>();
        using var abort = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        Assert.True(await runner.RunOnceAsync(CancellationToken.None, abort.Token));
        Assert.Single(SendsTo(openId));
        Assert.Equal(["sending"], await app.NoticeStatesAsync(orderId));
        Assert.Equal("queued", await app.QueryScalarAsync<string>(
            "SELECT j.status FROM jobs j JOIN outbox x ON j.payload->>'outboxId' = x.id::text WHERE j.kind = 'notice.send' AND x.order_id = @orderId",
            new { orderId }));

        await app.RunJobsAsync();      // the released job runs again …
        await app.RetryNowAsync();
        await app.DeliverNoticesAsync();

        Assert.Single(SendsTo(openId)); // … and does not call WeChat a second time
        Assert.Equal(["uncertain"], await app.NoticeStatesAsync(orderId));
        Assert.Equal(0, await app.RemainingAsync(orderId, NoticeSteps.Approved));
        var (support, _) = await app.StaffAsync("support");
        Assert.Contains("发送中断，可能已送达（需核实）", await (await support.GetAsync($"/console/support/orders/{orderId}")).HtmlAsync());
    }

    [Fact]
    public async Task A_send_that_times_out_is_treated_as_possibly_delivered_and_not_retried()
    {
        var (orderId, openId) = await ApprovedOrderAsync();
        app.Fake.Inject(SendPath, new FakeFault.Delay(TimeSpan.FromSeconds(4)));   // WeChat delivers; the answer comes too late
        await app.RunJobsAsync();
        await app.RetryNowAsync();
        await app.DeliverNoticesAsync();

        Assert.Single(SendsTo(openId));
        Assert.Equal(["uncertain"], await app.NoticeStatesAsync(orderId));
        Assert.StartsWith("发送无应答，可能已送达", await app.QueryScalarAsync<string>("SELECT errmsg FROM notices WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task Only_a_connection_that_never_opened_counts_as_not_delivered()
    {
        // A real refused connection: a loopback port nobody listens on (bound, then released).
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var http = new HttpClient();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync($"http://127.0.0.1:{port}/cgi-bin/message/subscribe/send"));

        Assert.True(SendNoticeJob.NeverReachedWeChat(new WeChatTransportException("could not be reached", refused)));
        Assert.False(SendNoticeJob.NeverReachedWeChat(new WeChatTransportException("WeChat /cgi-bin/message/subscribe/send timed out after 2 s.")));
        Assert.False(SendNoticeJob.NeverReachedWeChat(new WeChatTransportException("WeChat /cgi-bin/message/subscribe/send answered HTTP 502.")));
    }

    [Fact]
    public async Task Marking_an_order_paid_from_the_console_is_not_offered_where_real_money_moves()
    {
        var code = "code_" + Guid.NewGuid().ToString("N")[..10];
        app.Fake.IssueLoginCode(code, "o_" + Guid.NewGuid().ToString("N")[..20], Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        var user = await app.LoginAsync(code);
        var photoId = await user.ProcessedPhotoAsync(app);
        var orderId = (await (await user.PostOrderAsync(ApiClient.OrderBody(photoId))).JsonAsync()).GetProperty("id").GetGuid();

        var (support, _) = await app.StaffAsync("support");
        var page = $"/console/support/orders/{orderId}";
        Assert.DoesNotContain("标记为已支付", await (await support.GetAsync(page)).HtmlAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await support.PostFormAsync($"{page}/mark-paid", await support.TokenAsync(page))).StatusCode);
        Assert.Equal("awaiting_payment", await app.StatusAsync(orderId));
    }
}

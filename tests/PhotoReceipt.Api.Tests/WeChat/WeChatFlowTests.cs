using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.WeChat.Tests.Fake;

namespace PhotoReceipt.Api.Tests.WeChat;

/// <summary>The app configured for real WeChat and WeChat Pay, both played by the fake server on loopback.</summary>
public class WeChatApiFactory : ApiFactory
{
    public FakeWeChatServer Fake { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Fake = await FakeWeChatServer.StartAsync();
        await base.InitializeAsync();
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => Fake.Configuration();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
    }

    /// <summary>A mini-program user logged in through the fake's jscode2session; returns the client and the user's openid.</summary>
    public async Task<(HttpClient Client, string OpenId)> LoginWithFakeAsync()
    {
        var code = "code_" + Guid.NewGuid().ToString("N")[..10];
        var openId = "o_" + Guid.NewGuid().ToString("N")[..20];
        Fake.IssueLoginCode(code, openId, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        return (await this.LoginAsync(code), openId);
    }

    /// <summary>Delivers a WeChat Pay notice to /wechat/pay/notify as WeChat Pay does: raw body, four signed headers.</summary>
    public async Task<HttpResponseMessage> PostPayNoticeAsync(FakePayNotice notice)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/wechat/pay/notify") { Content = new ByteArrayContent(notice.Body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("Wechatpay-Serial", notice.Headers.Serial);
        request.Headers.Add("Wechatpay-Signature", notice.Headers.Signature);
        request.Headers.Add("Wechatpay-Timestamp", notice.Headers.Timestamp);
        request.Headers.Add("Wechatpay-Nonce", notice.Headers.Nonce);
        return await CreateClient().SendAsync(request);
    }
}

public sealed class WeChatFlowTests(WeChatApiFactory app) : IClassFixture<WeChatApiFactory>
{
    private Task<(HttpClient Client, string OpenId)> LoginAsync() => app.LoginWithFakeAsync();

    private async Task<JsonElement> PaidProductOrderAsync(HttpClient client)
    {
        var photo = await client.ProcessedPhotoAsync(app);
        var response = await client.PostOrderAsync(ApiClient.OrderBody(photo));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    private async Task<HttpResponseMessage> PushAsync(FakePush push) =>
        await app.CreateClient().PostAsync("/wechat/push" + push.QueryString, new StringContent(push.Body, Encoding.UTF8, "application/json"));

    private async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var db = NpgsqlDataSource.Create(app.ConnectionString);
        await using var conn = await db.OpenConnectionAsync();
        return (await conn.ExecuteScalarAsync<T>(sql, args))!;
    }

    [Fact]
    public async Task Login_goes_through_jscode2session_once_per_code()
    {
        var code = "code_once_" + Guid.NewGuid().ToString("N")[..8];
        app.Fake.IssueLoginCode(code, "o_once_user", "c2Vzc2lvbmtleQ==");
        var before = app.Fake.RequestsTo("/sns/jscode2session").Count();
        await app.LoginAsync(code);
        await app.LoginAsync(code); // a proxy retry with the same code: no second exchange, no 40029
        Assert.Equal(before + 1, app.Fake.RequestsTo("/sns/jscode2session").Count());
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*) FROM users WHERE openid = 'o_once_user'"));
        var bad = await app.CreateClient().PostAsJsonAsync("/api/v1/session", new { code = "never-issued" });
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_paid_order_gets_signed_pay_parameters_and_a_retry_does_not_order_twice()
    {
        var (client, _) = await LoginAsync();
        var before = app.Fake.JsapiOrdersCreated;
        var order = await PaidProductOrderAsync(client);
        var payment = order.GetProperty("payment");
        Assert.False(payment.GetProperty("sandbox").GetBoolean());
        Assert.StartsWith("prepay_id=", payment.GetProperty("package").GetString());
        Assert.Equal("RSA", payment.GetProperty("signType").GetString());
        Assert.True(Convert.FromBase64String(payment.GetProperty("paySign").GetString()!).Length == 256);
        var again = await (await client.PostAsync($"/api/v1/orders/{order.GetProperty("id").GetGuid()}/payment", null)).JsonAsync();
        Assert.Equal(payment.GetProperty("package").GetString(), again.GetProperty("payment").GetProperty("package").GetString());
        Assert.Equal(before + 1, app.Fake.JsapiOrdersCreated);
        // No simulator where real money moves.
        await (await client.PostAsync($"/api/v1/orders/{order.GetProperty("id").GetGuid()}/sandbox-pay", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_verified_pay_notice_queues_the_order_once_and_forged_stale_or_wrong_notices_change_nothing()
    {
        var (client, openId) = await LoginAsync();
        var order = await PaidProductOrderAsync(client);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var id = order.GetProperty("id").GetGuid();
        async Task<string> StatusAsync() => (await (await client.GetAsync($"/api/v1/orders/{id}")).JsonAsync()).GetProperty("status").GetString()!;

        using var forger = RSA.Create(2048);
        var forged = app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", app.Fake.Transaction(orderNo, "SUCCESS", 990, openId), signWith: forger);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostPayNoticeAsync(forged)).StatusCode);
        var stale = app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", app.Fake.Transaction(orderNo, "SUCCESS", 990, openId),
            timestamp: DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostPayNoticeAsync(stale)).StatusCode);
        var cheap = app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", app.Fake.Transaction(orderNo, "SUCCESS", 1, openId));
        Assert.NotEqual(HttpStatusCode.OK, (await app.PostPayNoticeAsync(cheap)).StatusCode);
        Assert.Equal("awaiting_payment", await StatusAsync());

        var genuine = app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", app.Fake.Transaction(orderNo, "SUCCESS", 990, openId));
        var ok = await app.PostPayNoticeAsync(genuine);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Empty(await ok.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostPayNoticeAsync(genuine)).StatusCode); // the same signed delivery replayed
        Assert.Equal(HttpStatusCode.OK, (await app.PostPayNoticeAsync(app.Fake.Sign(genuine.Body))).StatusCode); // WeChat's re-signed retry: acknowledged
        Assert.Equal("queued", await StatusAsync());
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*) FROM order_events WHERE order_id = @id AND to_status = 'queued'", new { id }));
        Assert.Equal(1, await ScalarAsync<int>("SELECT count(*) FROM jobs WHERE kind = 'order.submit' AND payload->>'orderId' = @id", new { id = id.ToString() }));
        Assert.Equal("4200000000" + orderNo, await ScalarAsync<string>("SELECT transaction_id FROM orders WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Cancelling_a_paid_order_refunds_it_once_with_one_refund_number()
    {
        var (client, openId) = await LoginAsync();
        var order = await PaidProductOrderAsync(client);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var id = order.GetProperty("id").GetGuid();
        await app.PostPayNoticeAsync(app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", app.Fake.Transaction(orderNo, "SUCCESS", 990, openId)));
        var cancelled = await (await client.PostAsync($"/api/v1/orders/{id}/cancel", null)).JsonAsync();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());

        await app.RunJobsAsync();
        var refunds = app.Fake.RequestsTo("/v3/refund/domestic/refunds").Where(r => r.Body.Contains(orderNo, StringComparison.Ordinal)).ToList();
        Assert.Single(refunds);
        Assert.Contains("\"out_refund_no\":\"RF" + orderNo + "\"", refunds[0].Body);
        Assert.Equal("processing", await ScalarAsync<string>("SELECT refund_status FROM orders WHERE id = @id", new { id }));

        var refundNotice = app.Fake.BuildNotice("REFUND.SUCCESS", "refund", new
        {
            mchid = app.Fake.MchId, out_trade_no = orderNo, transaction_id = "4200000000" + orderNo, out_refund_no = "RF" + orderNo,
            refund_id = "50000000" + orderNo, refund_status = "SUCCESS", success_time = "2026-11-21T10:05:00+08:00",
            user_received_account = "支付用户零钱", amount = new { total = 990, refund = 990, payer_total = 990, payer_refund = 990 },
        });
        Assert.Equal(HttpStatusCode.OK, (await app.PostPayNoticeAsync(refundNotice)).StatusCode);
        var detail = await (await client.GetAsync($"/api/v1/orders/{id}")).JsonAsync();
        Assert.Equal("refunded", detail.GetProperty("status").GetString());
        Assert.Equal(["created", "awaiting_payment", "queued", "cancelled", "refunded"],
            detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_paid_order_cancelled_by_support_is_refunded_too()
    {
        var (client, openId) = await LoginAsync();
        var order = await PaidProductOrderAsync(client);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var id = order.GetProperty("id").GetGuid();
        await app.PostPayNoticeAsync(app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", app.Fake.Transaction(orderNo, "SUCCESS", 990, openId)));
        var (support, _) = await app.StaffAsync("support");
        var cancel = await support.PostFormAsync($"/console/support/orders/{id}/cancel", await support.TokenAsync($"/console/support/orders/{id}"));
        Assert.Equal(HttpStatusCode.SeeOther, cancel.StatusCode);
        await app.RunJobsAsync();
        Assert.Single(app.Fake.RequestsTo("/v3/refund/domestic/refunds"), r => r.Body.Contains("\"out_refund_no\":\"RF" + orderNo + "\"", StringComparison.Ordinal));
        Assert.Equal("cancelled", await ScalarAsync<string>("SELECT status FROM orders WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task An_order_whose_notice_never_came_is_found_paid_by_the_order_query()
    {
        var (client, _) = await LoginAsync();
        var order = await PaidProductOrderAsync(client);
        var id = order.GetProperty("id").GetGuid();
        app.Fake.MarkPaid(order.GetProperty("orderNo").GetString()!);
        await using (var db = NpgsqlDataSource.Create(app.ConnectionString))
        await using (var conn = await db.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("UPDATE orders SET created_at = now() - interval '10 minutes' WHERE id = @id", new { id });
            await conn.ExecuteAsync("INSERT INTO jobs (kind, payload, max_attempts) VALUES ('payments.reconcile', '{}', 3)");
        }
        await app.RunJobsAsync();
        var detail = await (await client.GetAsync($"/api/v1/orders/{id}")).JsonAsync();
        // Found paid, queued, and (the queue's submit job ran too) handed to the review desk.
        Assert.Equal(["created", "awaiting_payment", "queued", "submitted"],
            detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Processed_photos_get_an_image_check_and_a_risky_verdict_blocks_the_order()
    {
        var (client, _) = await LoginAsync();
        var photo = await client.ProcessedPhotoAsync(app);
        var check = app.Fake.RequestsTo("/wxa/media_check_async").Last();
        Assert.Contains("\"media_type\":2", check.Body);
        Assert.Contains("/files/photos/", check.Body);
        Assert.Equal("pending", (await (await client.GetAsync($"/api/v1/photos/{photo}")).JsonAsync()).GetProperty("contentCheck").GetString());

        var traceId = await ScalarAsync<string>("SELECT trace_id FROM wechat_media_checks WHERE photo_id = @photo", new { photo });
        var push = app.Fake.SafeModePush(app.Fake.MediaCheckEventJson(traceId, "risky", "20002", DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.Equal(HttpStatusCode.OK, (await PushAsync(push)).StatusCode);
        Assert.Equal("risky", (await (await client.GetAsync($"/api/v1/photos/{photo}")).JsonAsync()).GetProperty("contentCheck").GetString());
        await (await client.PostOrderAsync(ApiClient.OrderBody(photo))).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_customer_service_message_is_answered_with_the_latest_order_and_human_help_is_a_transfer()
    {
        var (client, openId) = await LoginAsync();
        var order = await PaidProductOrderAsync(client);
        string Message(string content) => JsonSerializer.Serialize(new
        {
            ToUserName = "gh_fake000000", FromUserName = openId, CreateTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            MsgType = "text", Content = content, MsgId = RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(),
        });

        var ack = await PushAsync(app.Fake.SafeModePush(Message("我的订单怎么样了")));
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        await app.RunJobsAsync();
        var sent = app.Fake.RequestsTo("/cgi-bin/message/custom/send").Where(r => r.Body.Contains(openId, StringComparison.Ordinal)).ToList();
        Assert.Contains(sent, r => r.Body.Contains(order.GetProperty("orderNo").GetString()!, StringComparison.Ordinal) && r.Body.Contains("待支付", StringComparison.Ordinal));
        Assert.Contains(sent, r => r.Body.Contains("\"miniprogrampage\"", StringComparison.Ordinal) && r.Body.Contains("pages/order/detail?id=", StringComparison.Ordinal));

        var transfer = await PushAsync(app.Fake.SafeModePush(Message("转人工客服")));
        var reply = await transfer.Content.ReadAsStringAsync();
        Assert.Contains("Encrypt", reply); // safe mode: the hand-over reply is encrypted back
        Assert.Equal(2, await ScalarAsync<int>("SELECT count(*) FROM wechat_cs_messages WHERE open_id = @openId AND direction = 'in'", new { openId }));

        // Support sees the conversation beside the order.
        var (support, _) = await app.StaffAsync("support");
        var page = await (await support.GetAsync($"/console/support/orders/{order.GetProperty("id").GetGuid()}")).HtmlAsync();
        Assert.Contains("客服对话", page);
        Assert.Contains("我的订单怎么样了", page);
        Assert.Contains("转人工客服", page);
    }
}

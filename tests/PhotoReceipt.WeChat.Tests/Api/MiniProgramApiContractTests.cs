using PhotoReceipt.Data.WeChat;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Api;
using PhotoReceipt.WeChat.Tests.Fake;

namespace PhotoReceipt.WeChat.Tests.Api;

/// <summary>Each call against the fake WeChat server, checking what went over the wire and what came back.</summary>
public sealed class MiniProgramApiContractTests(WeChatFixture fixture) : IClassFixture<WeChatFixture>, IDisposable
{
    private readonly ServiceProvider _services = WeChatTestHost.Build(fixture.Fake, fixture.Database.DataSource);
    private FakeWeChatServer Fake => fixture.Fake;
    private IWeChatApi Api => _services.GetRequiredService<IWeChatApi>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Code2Session_returns_the_user_when_WeChat_omits_errcode()
    {
        Fake.IssueLoginCode("code-ok", "o_user_1", "session-key-1", "union-1");
        var result = await Api.Code2SessionAsync("code-ok", CancellationToken.None);
        Assert.True(result.Ok);
        Assert.Equal(new WeChatSession("o_user_1", "session-key-1", "union-1"), result.Value);
        var sent = Fake.RequestsTo("/sns/jscode2session").Single(r => r.Query["js_code"] == "code-ok");
        Assert.Equal([Fake.AppId, Fake.AppSecret, "authorization_code"], [sent.Query["appid"], sent.Query["secret"], sent.Query["grant_type"]]);
    }

    [Fact]
    public async Task Code2Session_reports_a_reused_code_as_40029_with_its_rid()
    {
        Fake.IssueLoginCode("code-once", "o_user_2", "k");
        Assert.True((await Api.Code2SessionAsync("code-once", CancellationToken.None)).Ok);
        var again = await Api.Code2SessionAsync("code-once", CancellationToken.None);
        Assert.False(again.Ok);
        Assert.Equal(40029, again.ErrCode);
        Assert.Matches("^6[0-9a-f]{7}-[0-9a-f]{8}-[0-9a-f]{8}$", again.Rid);
        Assert.Contains("rid: " + again.Rid, again.ErrMsg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code2Session_passes_busy_through_for_the_caller_to_retry()
    {
        Fake.IssueLoginCode("code-busy", "o_user_3", "k");
        Fake.Inject("/sns/jscode2session", new FakeFault.ErrCode(-1, "system error"));
        var busy = await Api.Code2SessionAsync("code-busy", CancellationToken.None);
        Assert.Equal(-1, busy.ErrCode);
        Assert.True((await Api.Code2SessionAsync("code-busy", CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task A_call_slower_than_the_timeout_throws_a_transport_exception()
    {
        using var slow = WeChatTestHost.Build(Fake, fixture.Database.DataSource, s => s["WeChat:Timeout"] = "00:00:00.500");
        Fake.IssueLoginCode("code-slow", "o_user_4", "k");
        Fake.Inject("/sns/jscode2session", new FakeFault.Delay(TimeSpan.FromSeconds(2.5)));
        var started = DateTime.UtcNow;
        var e = await Assert.ThrowsAsync<WeChatTransportException>(() =>
            slow.GetRequiredService<IWeChatApi>().Code2SessionAsync("code-slow", CancellationToken.None));
        Assert.Contains("timed out", e.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2.4)); // gave up before the 2.5 s answer
    }

    [Fact]
    public async Task The_callers_cancellation_is_honoured_as_cancellation()
    {
        Fake.IssueLoginCode("code-cancel", "o_user_5", "k");
        Fake.Inject("/sns/jscode2session", new FakeFault.Delay(TimeSpan.FromSeconds(2)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Api.Code2SessionAsync("code-cancel", cts.Token));
    }

    [Fact]
    public async Task Subscribe_message_goes_out_normalized_with_the_token_only_in_the_query()
    {
        var message = new SubscribeMessage("o_sub_1", "TPL_RECEIPT", new Dictionary<string, string>
        {
            ["character_string1"] = "ORD20261121001",
            ["thing2"] = "您的深圳居住证回执已经出具完成请尽快下载保存",
            ["time3"] = "2026-11-21 10:00",
            ["phrase4"] = "已完成",
        }, Page: "pages/order/detail?id=123");
        var result = await Api.SendSubscribeMessageAsync(message, CancellationToken.None);
        Assert.True(result.Ok, result.ErrMsg);

        var sent = Fake.RequestsTo("/cgi-bin/message/subscribe/send").Single(r => r.Body.Contains("o_sub_1", StringComparison.Ordinal));
        Assert.Equal(Fake.CurrentToken, sent.Query["access_token"]);
        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        Assert.False(root.TryGetProperty("access_token", out _));
        Assert.Equal("TPL_RECEIPT", root.GetProperty("template_id").GetString());
        Assert.Equal("pages/order/detail?id=123", root.GetProperty("page").GetString());
        Assert.Equal("formal", root.GetProperty("miniprogram_state").GetString());
        Assert.Equal("zh_CN", root.GetProperty("lang").GetString());
        Assert.Equal("您的深圳居住证回执已经出具完成请尽快下…", root.GetProperty("data").GetProperty("thing2").GetProperty("value").GetString());
        Assert.Equal("ORD20261121001", root.GetProperty("data").GetProperty("character_string1").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Subscribe_message_with_an_unfixable_value_is_refused_before_sending()
    {
        var before = Fake.RequestsTo("/cgi-bin/message/subscribe/send").Count();
        var result = await Api.SendSubscribeMessageAsync(new SubscribeMessage("o_sub_2", "TPL",
            new Dictionary<string, string> { ["amount1"] = "二十五" }), CancellationToken.None);
        Assert.Equal(47003, result.ErrCode);
        Assert.Contains("data.amount1.value", result.ErrMsg, StringComparison.Ordinal);
        Assert.Equal(before, Fake.RequestsTo("/cgi-bin/message/subscribe/send").Count());
    }

    [Fact]
    public async Task Subscribe_message_refused_by_the_user_comes_back_as_43101()
    {
        Fake.Inject("/cgi-bin/message/subscribe/send", new FakeFault.ErrCode(43101, "user refuse to accept the msg"));
        var result = await Api.SendSubscribeMessageAsync(new SubscribeMessage("o_sub_3", "TPL",
            new Dictionary<string, string> { ["thing1"] = "x" }), CancellationToken.None);
        Assert.Equal(43101, result.ErrCode);
        Assert.NotNull(result.Rid);
    }

    [Fact]
    public async Task Media_check_remembers_the_trace_id_for_the_photo()
    {
        var photoId = Guid.NewGuid();
        var result = await Api.StartImageCheckAsync(new MediaCheckRequest(photoId, "https://cdn.example/p/1.jpg?sig=abc", "o_mc_1"), CancellationToken.None);
        Assert.True(result.Ok, result.ErrMsg);
        using var body = JsonDocument.Parse(Fake.RequestsTo("/wxa/media_check_async").Last(r => r.Body.Contains("o_mc_1", StringComparison.Ordinal)).Body);
        Assert.Equal(2, body.RootElement.GetProperty("media_type").GetInt32());
        Assert.Equal(2, body.RootElement.GetProperty("version").GetInt32());
        var pending = await _services.GetRequiredService<MediaCheckStore>().FindByPhotoAsync(photoId, CancellationToken.None);
        Assert.Equal(result.Value, pending!.TraceId);
        Assert.Null(pending.Suggest);
    }

    [Fact]
    public async Task Mini_program_code_is_image_bytes_on_success_and_an_error_on_json()
    {
        var image = await Api.GetUnlimitedWxaCodeAsync(new WxaCodeRequest("o=ORD123", "/pages/order/detail"), CancellationToken.None);
        Assert.True(image.Ok, image.ErrMsg);
        Assert.Equal(FakeWeChatServer.WxaCodeJpeg, image.Value!.Bytes);
        Assert.Equal("image/jpeg", image.Value.ContentType);
        using (var body = JsonDocument.Parse(Fake.RequestsTo("/wxa/getwxacodeunlimit").Last().Body))
            Assert.Equal("pages/order/detail", body.RootElement.GetProperty("page").GetString()); // leading '/' dropped

        Fake.Inject("/wxa/getwxacodeunlimit", new FakeFault.ErrCode(45009, "reach max api minute quota limit"));
        var quota = await Api.GetUnlimitedWxaCodeAsync(new WxaCodeRequest("o=ORD124"), CancellationToken.None);
        Assert.Equal(45009, quota.ErrCode);
        Assert.Null(quota.Value);

        var chinese = await Api.GetUnlimitedWxaCodeAsync(new WxaCodeRequest("订单=1"), CancellationToken.None);
        Assert.Equal(40169, chinese.ErrCode);
    }

    [Fact]
    public async Task Customer_service_text_image_and_page_are_sent_and_logged()
    {
        Assert.True((await Api.SendCustomerServiceMessageAsync(new CustomerServiceText("o_cs_1", "您好，回执已出"), CancellationToken.None)).Ok);
        Assert.True((await Api.SendCustomerServiceMessageAsync(new CustomerServiceImage("o_cs_1", [1, 2, 3, 4], "receipt.jpg"), CancellationToken.None)).Ok);
        Assert.True((await Api.SendCustomerServiceMessageAsync(
            new CustomerServicePage("o_cs_1", "查看订单", "pages/order/detail?id=9", [5, 6, 7], "thumb.png"), CancellationToken.None)).Ok);

        var uploads = Fake.RequestsTo("/cgi-bin/media/upload").ToList();
        Assert.Contains(uploads, u => u.Query["type"] == "image" && u.Headers["Content-Type"].StartsWith("multipart/form-data", StringComparison.Ordinal));
        // WeChat's format: the boundary unquoted (the fake also checks name="media" quoted and no filename*).
        Assert.All(uploads, u => Assert.Matches("^multipart/form-data; boundary=[0-9A-Za-z-]+$", u.Headers["Content-Type"]));
        var sends = Fake.RequestsTo("/cgi-bin/message/custom/send").Where(r => r.Body.Contains("o_cs_1", StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["text", "image", "miniprogrampage"], sends.Select(s => s.GetProperty("msgtype").GetString()));
        Assert.Equal("您好，回执已出", sends[0].GetProperty("text").GetProperty("content").GetString());
        Assert.StartsWith("MEDIA_", sends[1].GetProperty("image").GetProperty("media_id").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("thumb.png_3", sends[2].GetProperty("miniprogrampage").GetProperty("thumb_media_id").GetString(), StringComparison.Ordinal);

        var log = await _services.GetRequiredService<ConversationLog>().ListAsync("o_cs_1", 10, CancellationToken.None);
        Assert.Equal(["miniprogrampage", "image", "text"], log.Select(e => e.MsgType));
        Assert.All(log, e => Assert.Equal(ConversationLog.Outbound, e.Direction));
    }

    [Fact]
    public async Task Customer_service_outside_the_reply_window_is_45015_and_not_logged()
    {
        Fake.Inject("/cgi-bin/message/custom/send", new FakeFault.ErrCode(45015, "response out of time limit or subscription is canceled"));
        var result = await Api.SendCustomerServiceMessageAsync(new CustomerServiceText("o_cs_late", "hi"), CancellationToken.None);
        Assert.Equal(45015, result.ErrCode);
        Assert.Empty(await _services.GetRequiredService<ConversationLog>().ListAsync("o_cs_late", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Shipping_info_reports_virtual_delivery_by_transaction_id()
    {
        var upload = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.FromHours(8));
        var result = await Api.UploadShippingInfoAsync(new ShippingInfo("o_ship", "深圳居住证照片回执", upload, TransactionId: "4200000001"), CancellationToken.None);
        Assert.True(result.Ok, result.ErrMsg);
        using var body = JsonDocument.Parse(Fake.RequestsTo("/wxa/sec/order/upload_shipping_info").Last().Body);
        var root = body.RootElement;
        Assert.Equal(2, root.GetProperty("order_key").GetProperty("order_number_type").GetInt32());
        Assert.Equal("4200000001", root.GetProperty("order_key").GetProperty("transaction_id").GetString());
        Assert.Equal(3, root.GetProperty("logistics_type").GetInt32());
        Assert.Equal(1, root.GetProperty("delivery_mode").GetInt32());
        Assert.Equal("2026-11-21T10:00:00.000+08:00", root.GetProperty("upload_time").GetString());
        Assert.Equal("o_ship", root.GetProperty("payer").GetProperty("openid").GetString());
    }

    [Fact]
    public async Task Shipping_info_without_a_transaction_id_is_keyed_by_our_merchant_and_order_number()
    {
        var result = await Api.UploadShippingInfoAsync(new ShippingInfo("o_ship2", "回执", DateTimeOffset.UtcNow, OutTradeNo: "PR20261121S01"), CancellationToken.None);
        Assert.True(result.Ok, result.ErrMsg);
        using var body = JsonDocument.Parse(Fake.RequestsTo("/wxa/sec/order/upload_shipping_info").Last().Body);
        var key = body.RootElement.GetProperty("order_key");
        Assert.Equal((1, Fake.MchId, "PR20261121S01"),
            (key.GetProperty("order_number_type").GetInt32(), key.GetProperty("mchid").GetString(), key.GetProperty("out_trade_no").GetString()));
    }

    [Fact]
    public async Task Access_token_is_cached_in_postgres()
    {
        Assert.True((await Api.SendCustomerServiceMessageAsync(new CustomerServiceText("o_tok", "x"), CancellationToken.None)).Ok);
        await using var conn = await fixture.Database.DataSource.OpenConnectionAsync();
        var stored = await conn.QuerySingleAsync<string>("SELECT access_token FROM wechat_access_tokens WHERE app_id = @appId", new { appId = Fake.AppId });
        Assert.Equal(Fake.CurrentToken, stored);
        Assert.True(stored.Length > 100);
    }

    [Fact]
    public async Task The_fake_refuses_media_in_dotnets_default_multipart_format_as_WeChat_does()
    {
        Assert.True((await Api.SendCustomerServiceMessageAsync(new CustomerServiceText("o_cs_2", "hi"), CancellationToken.None)).Ok); // a token exists now
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent([1, 2, 3]), "media", "receipt.jpg"); // boundary="…", name=media, filename*=utf-8''…
        using var http = new HttpClient();
        var reply = await http.PostAsync($"{Fake.BaseUrl}/cgi-bin/media/upload?access_token={Fake.CurrentToken}&type=image", form);
        var json = JsonDocument.Parse(await reply.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(41005, json.GetProperty("errcode").GetInt32());
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Api.Tests.WeChat;
using PhotoReceipt.WeChat.Push;
using PhotoReceipt.WeChat.Tests.Fake;

namespace PhotoReceipt.Api.Tests.Hardening;

/// <summary>WeChat Pay mid-rotation: a second verification key under its own id, besides the fake's primary one.</summary>
public sealed class RotatingPayKeyApiFactory : WeChatApiFactory
{
    public const string RotatedKeyId = "PUB_KEY_ID_0119000001092026110100000001";
    public RSA RotatedKey { get; } = RSA.Create(2048);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("WeChatPay:AdditionalPublicKeys:0:Id", RotatedKeyId),
        new("WeChatPay:AdditionalPublicKeys:0:PublicKeyPem", RotatedKey.ExportSubjectPublicKeyInfoPem()),
    ];
}

public sealed class WeChatEdgeTests(RotatingPayKeyApiFactory app) : IClassFixture<RotatingPayKeyApiFactory>
{
    [Fact]
    public async Task Pay_notices_verify_under_every_configured_key_each_only_with_its_own_serial()
    {
        var (client, openId) = await app.LoginWithFakeAsync();
        var photo = await client.ProcessedPhotoAsync(app);
        var order = await (await client.PostOrderAsync(ApiClient.OrderBody(photo))).JsonAsync();
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var id = order.GetProperty("id").GetGuid();
        object Paid() => app.Fake.Transaction(orderNo, "SUCCESS", 990, openId);

        // The new key under the old serial, or a serial nobody configured: refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostPayNoticeAsync(
            app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", Paid(), signWith: app.RotatedKey))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.PostPayNoticeAsync(
            app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", Paid(), signWith: app.RotatedKey, serial: "PUB_KEY_ID_UNKNOWN"))).StatusCode);
        Assert.Equal("awaiting_payment", await app.StatusAsync(id));

        // Signed by the rotated key and naming it: accepted, as one signed by the primary key is.
        var rotated = app.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", Paid(), signWith: app.RotatedKey, serial: RotatingPayKeyApiFactory.RotatedKeyId);
        Assert.Equal(HttpStatusCode.OK, (await app.PostPayNoticeAsync(rotated)).StatusCode);
        Assert.Equal("queued", await app.StatusAsync(id));
        Assert.Equal(HttpStatusCode.OK, (await app.PostPayNoticeAsync(app.Fake.Sign(rotated.Body))).StatusCode); // primary key, primary serial
    }

    private async Task<HttpResponseMessage> PushAsync(string query, string body) =>
        await app.CreateClient().PostAsync("/wechat/push" + query, new StringContent(body, Encoding.UTF8, "application/json"));

    private Task<int> RepliesQueuedAsync(string openId) =>
        app.QueryScalarAsync<int>("SELECT count(*) FROM jobs WHERE kind = 'cs.reply' AND payload::text LIKE @p", new { p = $"%{openId}%" });

    [Fact]
    public async Task With_safe_mode_configured_a_plaintext_push_and_a_push_signed_in_2001_are_refused_and_trigger_nothing()
    {
        var openId = "o_forged_" + Guid.NewGuid().ToString("N")[..8];
        var message = $$"""{"ToUserName":"gh_fake000000","FromUserName":"{{openId}}","CreateTime":1714112801,"MsgType":"text","Content":"你好","MsgId":"{{Random.Shared.NextInt64()}}"}""";

        var plain = app.Fake.PlaintextPush(message);
        Assert.Equal(HttpStatusCode.BadRequest, (await PushAsync(plain.QueryString, plain.Body)).StatusCode);

        var crypto = new MessagePushCrypto(app.Fake.PushToken, app.Fake.AppId, app.Fake.EncodingAesKey);
        var encrypt = crypto.Encrypt(message);
        const string ts = "1000000000", nonce = "424242"; // 2001-09-09
        var query = new FakePush(new Dictionary<string, string>
        {
            ["signature"] = MessagePushCrypto.Signature(app.Fake.PushToken, ts, nonce), ["timestamp"] = ts, ["nonce"] = nonce,
            ["openid"] = openId, ["encrypt_type"] = "aes", ["msg_signature"] = MessagePushCrypto.Signature(app.Fake.PushToken, ts, nonce, encrypt),
        }, JsonSerializer.Serialize(new { ToUserName = "gh_fake000000", Encrypt = encrypt }));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PushAsync(query.QueryString, query.Body)).StatusCode);

        Assert.Equal(0, await RepliesQueuedAsync(openId));
        Assert.Equal(0, await app.QueryScalarAsync<int>("SELECT count(*) FROM wechat_push_messages WHERE from_open_id = @openId", new { openId }));

        // The genuine article still works.
        var genuine = app.Fake.SafeModePush(message);
        Assert.Equal(HttpStatusCode.OK, (await PushAsync(genuine.QueryString, genuine.Body)).StatusCode);
        Assert.Equal(1, await RepliesQueuedAsync(openId));
    }

    [Fact]
    public async Task A_push_body_over_the_limit_is_a_413()
    {
        var push = app.Fake.SafeModePush(new string('x', 300 * 1024));
        var response = await PushAsync(push.QueryString, push.Body);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }
}

/// <summary>Message push in plaintext mode (a Token, no EncodingAESKey): the signature covers the query only.</summary>
public sealed class PlaintextPushApiFactory : WeChatApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        base.Settings.Select(s => s.Key == "WeChat:EncodingAESKey" ? new KeyValuePair<string, string?>(s.Key, "") : s);
}

public sealed class PlaintextPushReplayTests(PlaintextPushApiFactory app) : IClassFixture<PlaintextPushApiFactory>
{
    [Fact]
    public async Task A_captured_signature_timestamp_and_nonce_cannot_carry_another_body()
    {
        var openId = "o_replay_" + Guid.NewGuid().ToString("N")[..8];
        string Message(string text) =>
            $$"""{"ToUserName":"gh_fake000000","FromUserName":"{{openId}}","CreateTime":1714112801,"MsgType":"text","Content":"{{text}}","MsgId":"{{Random.Shared.NextInt64()}}"}""";
        var genuine = app.Fake.PlaintextPush(Message("你好"));
        async Task<HttpStatusCode> PostAsync(string body) =>
            (await app.CreateClient().PostAsync("/wechat/push" + genuine.QueryString, new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode;

        Assert.Equal(HttpStatusCode.OK, await PostAsync(genuine.Body));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(genuine.Body)); // WeChat's retry of the same delivery
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(Message("我要退款")));
        Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM wechat_push_messages WHERE from_open_id = @openId", new { openId }));
        Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM jobs WHERE kind = 'cs.reply' AND payload::text LIKE @p", new { p = $"%{openId}%" }));
    }
}

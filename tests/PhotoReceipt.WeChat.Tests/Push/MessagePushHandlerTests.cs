using PhotoReceipt.Data.WeChat;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Api;
using PhotoReceipt.WeChat.Push;

namespace PhotoReceipt.WeChat.Tests.Push;

/// <summary>The whole /wechat/push pipeline short of HTTP: verify, decrypt, parse, dedupe, record, reply.</summary>
public sealed class MessagePushHandlerTests(WeChatFixture fixture) : IClassFixture<WeChatFixture>, IDisposable
{
    private const string PreviousKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private readonly ServiceProvider _services = WeChatTestHost.Build(fixture.Fake, fixture.Database.DataSource,
        s => s["WeChat:PreviousEncodingAESKey"] = PreviousKey);
    // Plaintext mode: a Token and no EncodingAESKey (with a key configured, plaintext is refused).
    private readonly ServiceProvider _plainServices = WeChatTestHost.Build(fixture.Fake, fixture.Database.DataSource,
        s => s["WeChat:EncodingAESKey"] = null);
    private MessagePushHandlerCore Handler => _services.GetRequiredService<MessagePushHandlerCore>();
    private MessagePushHandlerCore PlainHandler => _plainServices.GetRequiredService<MessagePushHandlerCore>();
    private string AppId => fixture.Fake.AppId;

    public void Dispose()
    {
        _services.Dispose();
        _plainServices.Dispose();
    }

    /// <summary>What WeChat sends in safe mode: the Encrypt envelope and its msg_signature.</summary>
    private (PushRequest Request, string Body) SafeModeJson(string plaintext, string? key = null)
    {
        var crypto = new MessagePushCrypto(WeChatTestHost.Token, AppId, key ?? WeChatTestHost.EncodingAesKey);
        var encrypt = crypto.Encrypt(plaintext);
        var (ts, nonce) = (DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), Random.Shared.Next().ToString(CultureInfo.InvariantCulture));
        var request = new PushRequest(MessagePushCrypto.Signature(WeChatTestHost.Token, ts, nonce), ts, nonce,
            EncryptType: "aes", MsgSignature: MessagePushCrypto.Signature(WeChatTestHost.Token, ts, nonce, encrypt), OpenId: "o_push");
        return (request, JsonSerializer.Serialize(new { ToUserName = "gh_fake000000", Encrypt = encrypt }));
    }

    /// <summary>The fake's own push builders, which the API's endpoint tests use, produce deliveries the handler accepts.</summary>
    [Fact]
    public async Task The_fakes_push_builders_produce_accepted_deliveries()
    {
        var safe = fixture.Fake.SafeModePush("""{"FromUserName":"o_push_8","CreateTime":1714112800,"MsgType":"text","Content":"hi","MsgId":"24600000000000008"}""");
        var query = new Microsoft.AspNetCore.Http.QueryCollection(safe.Query.ToDictionary(q => q.Key, q => new Microsoft.Extensions.Primitives.StringValues(q.Value)));
        Assert.Equal(PushOutcome.Accepted, (await Handler.HandleAsync(PushRequest.FromQuery(query), safe.Body, null, CancellationToken.None)).Outcome);

        var plain = fixture.Fake.PlaintextPush("""{"FromUserName":"o_push_8","CreateTime":1714112801,"MsgType":"text","Content":"hi","MsgId":"24600000000000009"}""");
        var plainQuery = new Microsoft.AspNetCore.Http.QueryCollection(plain.Query.ToDictionary(q => q.Key, q => new Microsoft.Extensions.Primitives.StringValues(q.Value)));
        Assert.Equal(PushOutcome.Accepted, (await PlainHandler.HandleAsync(PushRequest.FromQuery(plainQuery), plain.Body, null, CancellationToken.None)).Outcome);
        Assert.StartsWith("?signature=", plain.QueryString, StringComparison.Ordinal);
    }

    private static string Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static PushRequest Plain(string? ts = null, string? nonce = null) => Plain(ts ?? Now, nonce ?? Random.Shared.Next().ToString(CultureInfo.InvariantCulture), 0);

    private static PushRequest Plain(string ts, string nonce, int _) =>
        new(MessagePushCrypto.Signature(WeChatTestHost.Token, ts, nonce), ts, nonce);

    [Fact]
    public void Get_verification_echoes_only_with_a_valid_signature()
    {
        var ok = Handler.VerifyEndpoint(new PushRequest("f464b24fc39322e44b38aa78f5edd27bd1441696", "1714036504", "1514711492", "4375120948345356249"));
        Assert.Equal((200, "4375120948345356249"), (ok.StatusCode, ok.Body));
        var bad = Handler.VerifyEndpoint(new PushRequest("0000000000000000000000000000000000000000", "1714036504", "1514711492", "4375120948345356249"));
        Assert.Equal(401, bad.StatusCode);
        Assert.DoesNotContain("4375120948345356249", bad.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Safe_mode_text_is_decrypted_logged_and_deduplicated()
    {
        var (request, body) = SafeModeJson("""{"ToUserName":"gh_fake000000","FromUserName":"o_push_1","CreateTime":1714112445,"MsgType":"text","Content":"我的回执在哪里","MsgId":"24600000000000001"}""");
        var calls = 0;
        Task<string?> OnMessage(PushMessage m, MediaCheckOutcome? _, CancellationToken __)
        {
            calls++;
            return Task.FromResult<string?>(null);
        }

        var first = await Handler.HandleAsync(request, body, OnMessage, CancellationToken.None);
        Assert.Equal(PushOutcome.Accepted, first.Outcome);
        Assert.Equal("我的回执在哪里", first.Message!.Content);
        Assert.Equal((200, "success"), (first.Response.StatusCode, first.Response.Body));

        // WeChat's retry about 5 s later carries the same MsgId.
        var retry = await Handler.HandleAsync(request, body, OnMessage, CancellationToken.None);
        Assert.Equal(PushOutcome.Duplicate, retry.Outcome);
        Assert.Equal("success", retry.Response.Body);
        Assert.Equal(1, calls);

        var log = await _services.GetRequiredService<ConversationLog>().ListAsync("o_push_1", 10, CancellationToken.None);
        var entry = Assert.Single(log);
        Assert.Equal((ConversationLog.Inbound, "text", "我的回执在哪里"), (entry.Direction, entry.MsgType, entry.Content));
    }

    [Fact]
    public async Task Safe_mode_replies_are_encrypted_and_decryptable_by_WeChat()
    {
        var (request, body) = SafeModeJson("""{"ToUserName":"gh_fake000000","FromUserName":"o_push_2","CreateTime":1714112446,"MsgType":"text","Content":"人工","MsgId":"24600000000000002"}""");
        var result = await Handler.HandleAsync(request, body,
            (m, _, _) => Task.FromResult<string?>(MessagePushHandlerCore.TransferToCustomerService(m, 1714112447)), CancellationToken.None);

        Assert.StartsWith("application/json", result.Response.ContentType, StringComparison.Ordinal);
        using var reply = JsonDocument.Parse(result.Response.Body);
        var r = reply.RootElement;
        var encrypt = r.GetProperty("Encrypt").GetString()!;
        var ts = r.GetProperty("TimeStamp").GetInt64().ToString(CultureInfo.InvariantCulture);
        Assert.Equal(MessagePushCrypto.Signature(WeChatTestHost.Token, ts, r.GetProperty("Nonce").GetString()!, encrypt), r.GetProperty("MsgSignature").GetString());
        var crypto = new MessagePushCrypto(WeChatTestHost.Token, AppId, WeChatTestHost.EncodingAesKey);
        Assert.True(crypto.TryDecrypt(encrypt, out var plaintext));
        Assert.Equal("""{"ToUserName":"o_push_2","FromUserName":"gh_fake000000","CreateTime":1714112447,"MsgType":"transfer_customer_service"}""", plaintext);
    }

    [Fact]
    public async Task Messages_under_the_previous_key_are_accepted_after_rotation()
    {
        var (request, body) = SafeModeJson("""{"FromUserName":"o_push_3","CreateTime":1714112448,"MsgType":"event","Event":"user_enter_tempsession","SessionFrom":"order:42"}""", PreviousKey);
        var result = await Handler.HandleAsync(request, body, null, CancellationToken.None);
        Assert.Equal(PushOutcome.Accepted, result.Outcome);
        Assert.Equal("order:42", result.Message!.SessionFrom);
    }

    [Fact]
    public async Task A_wrong_msg_signature_a_foreign_appid_and_a_bad_plain_signature_are_refused()
    {
        var (request, body) = SafeModeJson("""{"FromUserName":"o_x","CreateTime":1,"MsgType":"text","Content":"x","MsgId":"1"}""");
        var forged = await Handler.HandleAsync(request with { MsgSignature = new string('0', 40) }, body, null, CancellationToken.None);
        Assert.Equal((PushOutcome.Refused, 401), (forged.Outcome, forged.Response.StatusCode));

        var foreign = new MessagePushCrypto(WeChatTestHost.Token, "wx_someone_else", WeChatTestHost.EncodingAesKey).Encrypt("""{"MsgType":"text","MsgId":"2"}""");
        var foreignRequest = request with { MsgSignature = MessagePushCrypto.Signature(WeChatTestHost.Token, request.Timestamp!, request.Nonce!, foreign) };
        var notOurs = await Handler.HandleAsync(foreignRequest, JsonSerializer.Serialize(new { Encrypt = foreign }), null, CancellationToken.None);
        Assert.Equal(PushOutcome.Refused, notOurs.Outcome);
        Assert.Contains("appid", notOurs.RefusalReason, StringComparison.Ordinal);

        var plain = await PlainHandler.HandleAsync(Plain() with { Signature = new string('1', 40) }, """{"MsgType":"text","MsgId":"3"}""", null, CancellationToken.None);
        Assert.Equal(PushOutcome.Refused, plain.Outcome);
    }

    [Fact]
    public async Task Plaintext_xml_customer_service_image_is_accepted_and_logged()
    {
        const string xml = """
            <xml><ToUserName><![CDATA[gh_fake000000]]></ToUserName><FromUserName><![CDATA[o_push_4]]></FromUserName>
            <CreateTime>1714037059</CreateTime><MsgType><![CDATA[image]]></MsgType>
            <PicUrl><![CDATA[https://mmbiz.example/pic.jpg]]></PicUrl><MediaId><![CDATA[MID_1]]></MediaId><MsgId>24600000000000004</MsgId></xml>
            """;
        var result = await PlainHandler.HandleAsync(Plain(), xml, null, CancellationToken.None);
        Assert.Equal(PushOutcome.Accepted, result.Outcome);
        Assert.Equal(PushFormat.Xml, result.Message!.Format);
        var entry = Assert.Single(await _plainServices.GetRequiredService<ConversationLog>().ListAsync("o_push_4", 10, CancellationToken.None));
        Assert.Equal(("image", "https://mmbiz.example/pic.jpg"), (entry.MsgType, entry.Content));
    }

    [Fact]
    public async Task Media_check_event_is_matched_to_its_photo_by_trace_id()
    {
        var photoId = Guid.NewGuid();
        var check = await _services.GetRequiredService<IWeChatApi>().StartImageCheckAsync(
            new MediaCheckRequest(photoId, "https://cdn.example/p/2.jpg", "o_push_5"), CancellationToken.None);
        Assert.True(check.Ok, check.ErrMsg);

        var (request, body) = SafeModeJson(fixture.Fake.MediaCheckEventJson(check.Value!, "risky", "20002", 1714112500));
        MediaCheckOutcome? seen = null;
        var result = await Handler.HandleAsync(request, body, (_, verdict, _) =>
        {
            seen = verdict;
            return Task.FromResult<string?>(null);
        }, CancellationToken.None);

        Assert.Equal(new MediaCheckOutcome(photoId, check.Value!, "risky", 20002, 0), result.MediaCheck);
        Assert.Equal(result.MediaCheck, seen);
        Assert.Equal(result.MediaCheck, await _services.GetRequiredService<MediaCheckStore>().FindByPhotoAsync(photoId, CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_callback_gives_the_delivery_back_for_the_retry()
    {
        var (request, body) = SafeModeJson("""{"FromUserName":"o_push_6","CreateTime":1714112600,"MsgType":"text","Content":"x","MsgId":"24600000000000006"}""");
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Handler.HandleAsync(request, body, (_, _, _) => throw new InvalidOperationException("boom"), CancellationToken.None));
        var retry = await Handler.HandleAsync(request, body, null, CancellationToken.None);
        Assert.Equal(PushOutcome.Accepted, retry.Outcome);
        Assert.Single(await _services.GetRequiredService<ConversationLog>().ListAsync("o_push_6", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Safe_mode_xml_gets_an_encrypted_xml_reply()
    {
        var crypto = new MessagePushCrypto(WeChatTestHost.Token, AppId, WeChatTestHost.EncodingAesKey);
        var encrypt = crypto.Encrypt("""
            <xml><ToUserName><![CDATA[gh_fake000000]]></ToUserName><FromUserName><![CDATA[o_push_7]]></FromUserName><CreateTime>1714112700</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[转人工]]></Content><MsgId>24600000000000007</MsgId></xml>
            """);
        var (ts, nonce) = (Now, "77777");
        var request = new PushRequest(null, ts, nonce, EncryptType: "aes", MsgSignature: MessagePushCrypto.Signature(WeChatTestHost.Token, ts, nonce, encrypt));
        var body = $"<xml><ToUserName><![CDATA[gh_fake000000]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>";

        var result = await Handler.HandleAsync(request, body,
            (m, _, _) => Task.FromResult<string?>(MessagePushHandlerCore.TransferToCustomerService(m, 1714112701)), CancellationToken.None);

        Assert.Equal(PushOutcome.Accepted, result.Outcome);
        Assert.StartsWith("application/xml", result.Response.ContentType, StringComparison.Ordinal);
        var reply = System.Xml.Linq.XDocument.Parse(result.Response.Body).Root!;
        var replyEncrypt = reply.Element("Encrypt")!.Value;
        Assert.Equal(MessagePushCrypto.Signature(WeChatTestHost.Token, reply.Element("TimeStamp")!.Value, reply.Element("Nonce")!.Value, replyEncrypt),
            reply.Element("MsgSignature")!.Value);
        Assert.True(crypto.TryDecrypt(replyEncrypt, out var plaintext));
        var handOff = PushMessageParser.Parse(plaintext);
        Assert.Equal(("transfer_customer_service", "o_push_7"), (handOff.MsgType, handOff.ToUserName));
    }

    [Fact]
    public async Task With_safe_mode_configured_a_correctly_signed_plaintext_push_is_refused()
    {
        var push = fixture.Fake.PlaintextPush("""{"FromUserName":"o_push_9","CreateTime":1714112801,"MsgType":"text","Content":"给我退款","MsgId":"24600000000000091"}""");
        var query = new Microsoft.AspNetCore.Http.QueryCollection(push.Query.ToDictionary(q => q.Key, q => new Microsoft.Extensions.Primitives.StringValues(q.Value)));
        var result = await Handler.HandleAsync(PushRequest.FromQuery(query), push.Body, null, CancellationToken.None);
        Assert.Equal((PushOutcome.Refused, 400), (result.Outcome, result.Response.StatusCode));
        Assert.Empty(await _services.GetRequiredService<ConversationLog>().ListAsync("o_push_9", 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_signed_push_from_2001_or_from_the_future_is_refused()
    {
        foreach (var ts in new[] { "1000000000", DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                     DateTimeOffset.UtcNow.AddMinutes(6).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) })
        {
            var result = await PlainHandler.HandleAsync(Plain(ts), """{"FromUserName":"o_old","CreateTime":1,"MsgType":"text","Content":"x","MsgId":"91"}""", null, CancellationToken.None);
            Assert.Equal((PushOutcome.Refused, 401), (result.Outcome, result.Response.StatusCode));
            Assert.Contains("window", result.RefusalReason, StringComparison.Ordinal);
        }
        Assert.Equal(PushOutcome.Accepted, (await PlainHandler.HandleAsync(Plain(DateTimeOffset.UtcNow.AddMinutes(-4).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            """{"FromUserName":"o_recent","CreateTime":1,"MsgType":"text","Content":"x","MsgId":"92"}""", null, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task The_same_timestamp_and_nonce_with_another_body_is_refused_and_with_the_same_body_is_a_duplicate()
    {
        var request = Plain();
        const string original = """{"FromUserName":"o_replay","CreateTime":1,"MsgType":"text","Content":"hello","MsgId":"93"}""";
        Assert.Equal(PushOutcome.Accepted, (await PlainHandler.HandleAsync(request, original, null, CancellationToken.None)).Outcome);
        Assert.Equal(PushOutcome.Duplicate, (await PlainHandler.HandleAsync(request, original, null, CancellationToken.None)).Outcome);
        var forged = await PlainHandler.HandleAsync(request, """{"FromUserName":"o_replay","CreateTime":1,"MsgType":"text","Content":"人工","MsgId":"94"}""", null, CancellationToken.None);
        Assert.Equal((PushOutcome.Refused, 401), (forged.Outcome, forged.Response.StatusCode));
        Assert.Single(await _plainServices.GetRequiredService<ConversationLog>().ListAsync("o_replay", 10, CancellationToken.None));
    }
}

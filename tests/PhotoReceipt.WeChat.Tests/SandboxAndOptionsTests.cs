using PhotoReceipt.Data.WeChat;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Api;
using PhotoReceipt.WeChat.Sandbox;

namespace PhotoReceipt.WeChat.Tests;

public sealed class SandboxAndOptionsTests(WeChatFixture fixture) : IClassFixture<WeChatFixture>
{
    private ServiceProvider Sandbox() => WeChatTestHost.Build(new Dictionary<string, string?>(), fixture.Database.DataSource);

    [Fact]
    public async Task Without_an_AppId_the_sandbox_records_messages_instead_of_sending()
    {
        await using var services = Sandbox();
        var api = services.GetRequiredService<IWeChatApi>();
        Assert.IsType<SandboxWeChatApi>(api);
        Assert.IsType<SandboxWeChatPay>(services.GetRequiredService<IWeChatPay>());

        var sent = await api.SendSubscribeMessageAsync(new SubscribeMessage("o_sbx", "TPL_SBX",
            new Dictionary<string, string> { ["thing1"] = "回执已出", ["phrase2"] = "已完成" }), CancellationToken.None);
        Assert.True(sent.Ok);
        Assert.True((await api.SendCustomerServiceMessageAsync(new CustomerServiceText("o_sbx", "您好"), CancellationToken.None)).Ok);
        var refused = await api.SendSubscribeMessageAsync(new SubscribeMessage("o_sbx", "TPL_SBX",
            new Dictionary<string, string> { ["phrase2"] = "done" }), CancellationToken.None);
        Assert.Equal(47003, refused.ErrCode);

        var recorded = await services.GetRequiredService<SandboxMessageStore>().ListAsync("o_sbx", 10, CancellationToken.None);
        Assert.Equal([SandboxMessageStore.CustomerService, SandboxMessageStore.Subscribe], recorded.Select(r => r.Kind));
        Assert.Contains("回执已出", recorded[1].Payload, StringComparison.Ordinal);
        Assert.Equal("TPL_SBX", recorded[1].TemplateId);
        Assert.Single(await services.GetRequiredService<ConversationLog>().ListAsync("o_sbx", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Sandbox_login_is_stable_per_code_and_checks_pass_at_once()
    {
        await using var services = Sandbox();
        var api = services.GetRequiredService<IWeChatApi>();
        var a = await api.Code2SessionAsync("dev-code", CancellationToken.None);
        var b = await api.Code2SessionAsync("dev-code", CancellationToken.None);
        Assert.Equal(a.Value!.OpenId, b.Value!.OpenId);

        var photoId = Guid.NewGuid();
        Assert.True((await api.StartImageCheckAsync(new MediaCheckRequest(photoId, "https://x/y.jpg", a.Value.OpenId), CancellationToken.None)).Ok);
        var outcome = await services.GetRequiredService<MediaCheckStore>().FindByPhotoAsync(photoId, CancellationToken.None);
        Assert.Equal(("pass", 100), (outcome!.Suggest, outcome.Label));

        var code = await api.GetUnlimitedWxaCodeAsync(new WxaCodeRequest("o=1"), CancellationToken.None);
        Assert.Equal("image/png", code.Value!.ContentType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], code.Value.Bytes[..4]);
    }

    [Fact]
    public void An_AppId_without_a_secret_fails_validation()
    {
        using var services = WeChatTestHost.Build(new Dictionary<string, string?> { ["WeChat:AppId"] = "wx1" }, fixture.Database.DataSource);
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WeChatOptions>>().Value);
        Assert.Contains("WeChat:AppSecret is required when WeChat:AppId is set.", e.Failures);
    }

    [Fact]
    public void A_merchant_without_keys_or_with_a_query_in_the_notify_url_fails_validation()
    {
        var settings = WeChatTestHost.Settings(fixture.Fake);
        settings["WeChatPay:ApiV3Key"] = "short";
        settings["WeChatPay:NotifyUrl"] = "https://photoreceipt.example/notify?x=1";
        using var services = WeChatTestHost.Build(settings, fixture.Database.DataSource);
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WeChatPayOptions>>().Value);
        Assert.Contains(e.Failures, f => f.StartsWith("WeChatPay:ApiV3Key", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("WeChatPay:NotifyUrl", StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_variables_override_with_double_underscores()
    {
        Environment.SetEnvironmentVariable("PRWXTEST_WeChat__ApiBaseUrl", "http://127.0.0.1:9/");
        Environment.SetEnvironmentVariable("PRWXTEST_WeChat__MiniProgramState", "trial");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["WeChat:ApiBaseUrl"] = "https://api.weixin.qq.com" })
                .AddEnvironmentVariables("PRWXTEST_")
                .Build();
            var services = new ServiceCollection().AddLogging().AddSingleton(fixture.Database.DataSource);
            services.AddWeChat(configuration);
            using var provider = services.BuildServiceProvider();
            var options = provider.GetRequiredService<IOptions<WeChatOptions>>().Value;
            Assert.Equal(("http://127.0.0.1:9/", "trial"), (options.ApiBaseUrl, options.MiniProgramState));
            Assert.True(options.IsSandbox);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PRWXTEST_WeChat__ApiBaseUrl", null);
            Environment.SetEnvironmentVariable("PRWXTEST_WeChat__MiniProgramState", null);
        }
    }

    [Fact]
    public async Task In_sandbox_mode_every_pay_notice_is_refused()
    {
        await using var services = Sandbox();
        var notice = fixture.Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", fixture.Fake.Transaction("SBX1", "SUCCESS", 1, "o"));
        var result = services.GetRequiredService<PhotoReceipt.WeChat.Pay.PayNotificationVerifier>().VerifyAndDecrypt(notice.Headers, notice.Body);
        Assert.Equal(PhotoReceipt.WeChat.Pay.PayNoticeRefusal.NotConfigured, result.Refusal);
        Assert.Equal(404, result.StatusCode);
    }

    [Fact]
    public async Task The_sandbox_mini_program_code_is_a_png_qr_code_of_the_scene()
    {
        await using var services = Sandbox();
        var image = await services.GetRequiredService<IWeChatApi>().GetUnlimitedWxaCodeAsync(new WxaCodeRequest("o=ORD123"), CancellationToken.None);
        Assert.True(image.Ok);
        Assert.Equal("image/png", image.Value!.ContentType);
        Assert.Equal(PhotoReceipt.Testing.TestPng.Signature.ToArray(), image.Value.Bytes[..8]);
        // A version-1 symbol (21 modules) and its quiet zone, 8 px a module; the top-left finder is dark.
        var png = PhotoReceipt.Testing.RgbImage.Decode(image.Value.Bytes);
        Assert.Equal((21 + 8) * SandboxCodeImage.ModulePx, png.Width);
        Assert.Equal(0, png.Luma((4 * SandboxCodeImage.ModulePx) + 1, (4 * SandboxCodeImage.ModulePx) + 1), 0.5);
        Assert.Equal(255, png.Luma(1, 1), 0.5);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Pay;
using PhotoReceipt.WeChat.Tests.Fake;

namespace PhotoReceipt.WeChat.Tests.Pay;

public sealed class WeChatPayContractTests(WeChatFixture fixture) : IClassFixture<WeChatFixture>, IDisposable
{
    private readonly ServiceProvider _services = WeChatTestHost.Build(fixture.Fake, fixture.Database.DataSource);
    private FakeWeChatServer Fake => fixture.Fake;
    private IWeChatPay Pay => _services.GetRequiredService<IWeChatPay>();
    private static readonly DateTimeOffset Expires = new(2026, 11, 21, 12, 0, 0, TimeSpan.FromHours(8));

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Jsapi_order_is_signed_and_returns_verifiable_pay_parameters()
    {
        var result = await Pay.CreateJsapiPaymentAsync(new PaymentRequest("PR20261121A001", "深圳居住证回执", 2500, "o_payer_1", Expires), CancellationToken.None);
        Assert.True(result.Ok, result.ErrMsg);
        var p = result.Value!;
        Assert.False(p.Sandbox);
        Assert.Equal("RSA", p.SignType);
        Assert.StartsWith("prepay_id=wx", p.Package, StringComparison.Ordinal);
        // wx.requestPayment's paySign: appId\ntimeStamp\nnonceStr\npackage\n under the merchant key.
        var message = Encoding.UTF8.GetBytes($"{Fake.AppId}\n{p.TimeStamp}\n{p.NonceStr}\n{p.Package}\n");
        Assert.True(Fake.MerchantKey.VerifyData(message, Convert.FromBase64String(p.PaySign), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        var sent = Fake.RequestsTo("/v3/pay/transactions/jsapi").Last();
        Assert.StartsWith("WECHATPAY2-SHA256-RSA2048 mchid=\"1900000109\",nonce_str=\"", sent.Headers["Authorization"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal(2500, body.RootElement.GetProperty("amount").GetProperty("total").GetInt32());
        Assert.Equal("CNY", body.RootElement.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal("2026-11-21T12:00:00+08:00", body.RootElement.GetProperty("time_expire").GetString());
        Assert.Equal("https://photoreceipt.example/wechat/pay/notify", body.RootElement.GetProperty("notify_url").GetString());
    }

    [Fact]
    public async Task A_retried_order_gets_the_same_prepay_id_and_no_second_charge()
    {
        var request = new PaymentRequest("PR20261121A002", "回执", 1000, "o_payer_2", Expires);
        var created = Fake.JsapiOrdersCreated;
        var first = await Pay.CreateJsapiPaymentAsync(request, CancellationToken.None);
        // A retry whose expiry was recomputed from "now" still gets the stored prepay, without a call to WeChat.
        var retry = await Pay.CreateJsapiPaymentAsync(request with { ExpiresAt = Expires.AddMinutes(1) }, CancellationToken.None);
        // Another process (another container) sees the same stored prepay.
        using var other = WeChatTestHost.Build(Fake, fixture.Database.DataSource);
        var elsewhere = await other.GetRequiredService<IWeChatPay>().CreateJsapiPaymentAsync(request, CancellationToken.None);
        Assert.True(first.Ok && retry.Ok && elsewhere.Ok);
        Assert.Equal(first.Value!.Package, retry.Value!.Package);
        Assert.Equal(first.Value.Package, elsewhere.Value!.Package);
        Assert.NotEqual(first.Value.NonceStr, retry.Value.NonceStr); // freshly signed each time
        Assert.Equal(created + 1, Fake.JsapiOrdersCreated);
        Assert.Single(Fake.RequestsTo("/v3/pay/transactions/jsapi"), r => r.Body.Contains("PR20261121A002", StringComparison.Ordinal));

        // Reusing the number with another amount is WeChat's "duplicate order" error, not a second order.
        var changed = await Pay.CreateJsapiPaymentAsync(request with { AmountFen = 2000 }, CancellationToken.None);
        Assert.Equal(400, changed.ErrCode);
        Assert.StartsWith("INVALID_REQUEST:", changed.ErrMsg, StringComparison.Ordinal);
        Assert.NotNull(changed.Rid);
        Assert.Equal(created + 1, Fake.JsapiOrdersCreated);
    }

    [Fact]
    public async Task Without_a_stored_prepay_WeChat_itself_answers_the_same_prepay_for_the_same_order()
    {
        var request = new PaymentRequest("PR20261121A006", "回执", 1000, "o_payer_6", Expires);
        var first = await Pay.CreateJsapiPaymentAsync(request, CancellationToken.None);
        await using (var conn = await fixture.Database.DataSource.OpenConnectionAsync())
        await using (var cmd = new Npgsql.NpgsqlCommand("DELETE FROM wechat_prepay_ids WHERE out_trade_no = 'PR20261121A006'", conn))
            await cmd.ExecuteNonQueryAsync();
        var created = Fake.JsapiOrdersCreated;
        var retry = await Pay.CreateJsapiPaymentAsync(request, CancellationToken.None);
        Assert.Equal(first.Value!.Package, retry.Value!.Package);
        Assert.Equal(created, Fake.JsapiOrdersCreated);
        Assert.Equal(2, Fake.RequestsTo("/v3/pay/transactions/jsapi").Count(r => r.Body.Contains("PR20261121A006", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_key_is_refused_with_SIGN_ERROR()
    {
        using var wrongKey = RSA.Create(2048);
        using var services = WeChatTestHost.Build(Fake, fixture.Database.DataSource,
            s => s["WeChatPay:MerchantPrivateKeyPem"] = wrongKey.ExportPkcs8PrivateKeyPem());
        var failures = Fake.SignatureFailures;
        var result = await services.GetRequiredService<IWeChatPay>().CreateJsapiPaymentAsync(
            new PaymentRequest("PR20261121A003", "回执", 100, "o_payer_3", Expires), CancellationToken.None);
        Assert.Equal(401, result.ErrCode);
        Assert.StartsWith("SIGN_ERROR", result.ErrMsg, StringComparison.Ordinal);
        Assert.Equal(failures + 1, Fake.SignatureFailures);
    }

    [Fact]
    public async Task Order_query_reports_the_trade_state()
    {
        await Pay.CreateJsapiPaymentAsync(new PaymentRequest("PR20261121A004", "回执", 2500, "o_payer_4", Expires), CancellationToken.None);
        var unpaid = await Pay.QueryOrderAsync("PR20261121A004", CancellationToken.None);
        Assert.Equal("NOTPAY", unpaid.Value!.TradeState);

        Fake.MarkPaid("PR20261121A004");
        var paid = await Pay.QueryOrderAsync("PR20261121A004", CancellationToken.None);
        Assert.Equal(("SUCCESS", 2500, "o_payer_4", Fake.MchId, Fake.AppId),
            (paid.Value!.TradeState, paid.Value.TotalFen, paid.Value.PayerOpenId, paid.Value.MchId, paid.Value.AppId));
        Assert.NotNull(paid.Value.SuccessTime);

        var missing = await Pay.QueryOrderAsync("PR_NOT_THERE", CancellationToken.None);
        Assert.Equal(404, missing.ErrCode);
        Assert.StartsWith("ORDER_NOT_EXIST", missing.ErrMsg, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refund_retried_after_a_timeout_reuses_out_refund_no_and_creates_one_refund()
    {
        using var impatient = WeChatTestHost.Build(Fake, fixture.Database.DataSource, s => s["WeChatPay:Timeout"] = "00:00:00.500");
        var pay = impatient.GetRequiredService<IWeChatPay>();
        await Pay.CreateJsapiPaymentAsync(new PaymentRequest("PR20261121A005", "回执", 2500, "o_payer_5", Expires), CancellationToken.None);
        var refund = new RefundRequest("PR20261121A005", "RF20261121A005-1", 2500, 2500, "照片审核未通过");
        var created = Fake.RefundsCreated;

        // WeChat receives and processes the first attempt, but the answer arrives after we gave up.
        Fake.Inject("/v3/refund/domestic/refunds", new FakeFault.Delay(TimeSpan.FromSeconds(1.5)));
        await Assert.ThrowsAsync<WeChatTransportException>(() => pay.RefundAsync(refund, CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // let the fake finish the first attempt
        var retry = await pay.RefundAsync(refund, CancellationToken.None);

        Assert.True(retry.Ok, retry.ErrMsg);
        Assert.Equal("RF20261121A005-1", retry.Value!.OutRefundNo);
        Assert.Equal("PROCESSING", retry.Value.Status);
        Assert.Equal(2500, retry.Value.RefundFen);
        var attempts = Fake.RequestsTo("/v3/refund/domestic/refunds").Where(r => r.Body.Contains("PR20261121A005", StringComparison.Ordinal))
            .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("out_refund_no").GetString()).ToList();
        Assert.Equal(["RF20261121A005-1", "RF20261121A005-1"], attempts);
        Assert.Equal(created + 1, Fake.RefundsCreated);
    }

    [Fact]
    public async Task An_answer_not_signed_by_WeChat_Pay_is_refused()
    {
        await Pay.CreateJsapiPaymentAsync(new PaymentRequest("PR20261121A007", "回执", 100, "o_payer_7", Expires), CancellationToken.None);
        using var impostor = RSA.Create(2048);
        Fake.SignAnswersWith = impostor;
        try
        {
            var result = await Pay.QueryOrderAsync("PR20261121A007", CancellationToken.None);
            Assert.Equal(502, result.ErrCode);
            Assert.Equal("RESPONSE_SIGNATURE: BadSignature", result.ErrMsg);
            Assert.Null(result.Value);
        }
        finally
        {
            Fake.SignAnswersWith = null;
        }
    }
}

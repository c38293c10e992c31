using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.WeChat.Pay;
using PhotoReceipt.WeChat.Tests.Fake;

namespace PhotoReceipt.WeChat.Tests.Pay;

/// <summary>Notices signed by the fake's platform key: genuine ones pass, forged, stale and replayed ones are refused.</summary>
public sealed class PayNotificationTests(WeChatFixture fixture) : IClassFixture<WeChatFixture>, IDisposable
{
    private readonly ServiceProvider _services = WeChatTestHost.Build(fixture.Fake, fixture.Database.DataSource);
    private FakeWeChatServer Fake => fixture.Fake;
    private PayNotificationVerifier Verifier => _services.GetRequiredService<PayNotificationVerifier>();
    private PayNotificationHandler Handler => _services.GetRequiredService<PayNotificationHandler>();

    public void Dispose() => _services.Dispose();

    private FakePayNotice Paid(string outTradeNo, string? noticeId = null) =>
        Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", Fake.Transaction(outTradeNo, "SUCCESS", 2500, "o_n"), noticeId);

    [Fact]
    public void A_genuine_payment_notice_verifies_and_decrypts()
    {
        var notice = Paid("PRN0001");
        var result = Verifier.VerifyAndDecrypt(notice.Headers, notice.Body);
        Assert.True(result.Ok, result.Refusal.ToString());
        Assert.Equal("TRANSACTION.SUCCESS", result.EventType);
        Assert.Equal(("PRN0001", "SUCCESS", 2500, "o_n", Fake.AppId, Fake.MchId), (result.Transaction!.OutTradeNo, result.Transaction.TradeState,
            result.Transaction.TotalFen, result.Transaction.PayerOpenId, result.Transaction.AppId, result.Transaction.MchId));
        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.ResponseBody);
    }

    [Fact]
    public void A_notice_signed_by_another_key_is_refused_as_a_bad_signature()
    {
        using var forger = RSA.Create(2048);
        var forged = Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", Fake.Transaction("PRN0002", "SUCCESS", 1, "o_n"), signWith: forger);
        var result = Verifier.VerifyAndDecrypt(forged.Headers, forged.Body);
        Assert.Equal(PayNoticeRefusal.BadSignature, result.Refusal);
        Assert.Equal(401, result.StatusCode);
        Assert.Equal("""{"code":"FAIL","message":"失败"}""", result.ResponseBody);
    }

    [Fact]
    public void A_body_changed_after_signing_is_refused()
    {
        var notice = Paid("PRN0003");
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(notice.Body).Replace("\"summary\":", "\"summary\" :", StringComparison.Ordinal));
        Assert.Equal(PayNoticeRefusal.BadSignature, Verifier.VerifyAndDecrypt(notice.Headers, tampered).Refusal);
        // WeChat's probes: a signature that is not even base64.
        Assert.Equal(PayNoticeRefusal.BadSignature, Verifier.VerifyAndDecrypt(notice.Headers with { Signature = "WECHATPAY/SIGNTEST/" }, notice.Body).Refusal);
    }

    [Fact]
    public void Stale_unknown_serial_and_missing_headers_are_refused()
    {
        var stale = Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", Fake.Transaction("PRN0004", "SUCCESS", 1, "o_n"),
            timestamp: DateTimeOffset.UtcNow.AddMinutes(-6));
        Assert.Equal(PayNoticeRefusal.StaleTimestamp, Verifier.VerifyAndDecrypt(stale.Headers, stale.Body).Refusal);
        var future = Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", Fake.Transaction("PRN0004", "SUCCESS", 1, "o_n"),
            timestamp: DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.Equal(PayNoticeRefusal.StaleTimestamp, Verifier.VerifyAndDecrypt(future.Headers, future.Body).Refusal);

        var serial = Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", Fake.Transaction("PRN0004", "SUCCESS", 1, "o_n"), serial: "PUB_KEY_ID_OTHER");
        Assert.Equal(PayNoticeRefusal.UnknownSerial, Verifier.VerifyAndDecrypt(serial.Headers, serial.Body).Refusal);

        var ok = Paid("PRN0004");
        Assert.Equal(PayNoticeRefusal.MissingHeaders, Verifier.VerifyAndDecrypt(ok.Headers with { Nonce = null }, ok.Body).Refusal);
    }

    [Fact]
    public void A_notice_for_another_merchant_is_refused_even_when_signed()
    {
        var other = Fake.BuildNotice("TRANSACTION.SUCCESS", "transaction", new { mchid = "1999999999", appid = Fake.AppId, out_trade_no = "X1", trade_state = "SUCCESS" });
        Assert.Equal(PayNoticeRefusal.NotOurs, Verifier.VerifyAndDecrypt(other.Headers, other.Body).Refusal);
    }

    [Fact]
    public void A_refund_notice_decrypts_to_a_refund()
    {
        var notice = Fake.BuildNotice("REFUND.SUCCESS", "refund", new
        {
            mchid = Fake.MchId, out_trade_no = "PRN0005", transaction_id = "4200000000PRN0005", out_refund_no = "RF-PRN0005-1",
            refund_id = "50300000001", refund_status = "SUCCESS", success_time = "2026-11-21T11:00:00+08:00",
            user_received_account = "支付用户零钱", amount = new { total = 2500, refund = 2500, payer_total = 2500, payer_refund = 2500 },
        });
        var result = Verifier.VerifyAndDecrypt(notice.Headers, notice.Body);
        Assert.True(result.Ok, result.Refusal.ToString());
        Assert.Null(result.Transaction);
        Assert.Equal(("RF-PRN0005-1", "SUCCESS", 2500, "PRN0005"), (result.Refund!.OutRefundNo, result.Refund.Status, result.Refund.RefundFen, result.Refund.OutTradeNo));
    }

    [Fact]
    public async Task A_replayed_notice_is_refused_and_a_redelivered_one_is_recognised_as_duplicate()
    {
        var applied = new List<string>();
        Task Apply(PayNotificationResult r, CancellationToken _)
        {
            applied.Add(r.Transaction!.OutTradeNo);
            return Task.CompletedTask;
        }
        var notice = Paid("PRN0006", noticeId: "EV-PRN0006");

        var first = await Handler.HandleAsync(notice.Headers, notice.Body, Apply, CancellationToken.None);
        Assert.True(first.Ok);
        Assert.False(first.Duplicate);

        // The same signed bytes again: a replay.
        var replay = await Handler.HandleAsync(notice.Headers, notice.Body, Apply, CancellationToken.None);
        Assert.Equal(PayNoticeRefusal.Replayed, replay.Refusal);

        // WeChat's own retry: same notice id, freshly signed. Acknowledged, not applied again.
        var redelivered = Fake.Sign(notice.Body);
        var duplicate = await Handler.HandleAsync(redelivered.Headers, redelivered.Body, Apply, CancellationToken.None);
        Assert.True(duplicate.Ok);
        Assert.True(duplicate.Duplicate);
        Assert.Equal(200, duplicate.StatusCode);

        Assert.Equal(["PRN0006"], applied);
    }

    [Fact]
    public async Task A_notice_whose_apply_failed_is_applied_when_it_comes_again()
    {
        var notice = Paid("PRN0007", noticeId: "EV-PRN0007");
        await Assert.ThrowsAsync<InvalidOperationException>(() => Handler.HandleAsync(notice.Headers, notice.Body,
            (_, _) => throw new InvalidOperationException("database down"), CancellationToken.None));

        var applied = 0;
        var again = await Handler.HandleAsync(notice.Headers, notice.Body, (_, _) =>
        {
            applied++;
            return Task.CompletedTask;
        }, CancellationToken.None);
        Assert.True(again.Ok);
        Assert.False(again.Duplicate);
        Assert.Equal(1, applied);
    }
}

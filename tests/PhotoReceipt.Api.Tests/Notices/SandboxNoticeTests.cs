using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Notices;

/// <summary>Notices in sandbox mode (no AppId): recorded instead of sent, shown in the console.</summary>
public sealed partial class SandboxNoticeTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [GeneratedRegex(@"^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$")]
    private static partial Regex BeijingTime();

    private static Dictionary<string, string> Data(JsonElement payload) =>
        payload.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    [Fact]
    public async Task An_approval_sends_one_notice_with_the_order_keywords_and_spends_one_grant()
    {
        var (user, orderId, orderNo) = await app.SubmittedFreeOrderAsync();
        await user.GrantAsync(NoticeSteps.Approved);
        await user.GrantAsync(NoticeSteps.Approved);
        Assert.Equal(2, await app.RemainingAsync(orderId, NoticeSteps.Approved));
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "approve")).StatusCode);

        await app.DeliverNoticesAsync();
        await app.DeliverNoticesAsync(); // a second pass finds nothing new to send

        var imageNumber = (await user.OrderAsync(orderId)).GetProperty("imageNumber").GetString()!;
        var sent = Assert.Single(await app.SandboxNoticesAsync(await app.OpenIdAsync(orderId)));
        Assert.Equal(NoticeSteps.Approved, sent.GetProperty("template_id").GetString());
        Assert.Equal($"pages/order/detail?id={orderId}", sent.GetProperty("page").GetString());
        var data = Data(sent);
        Assert.Equal(["character_string1", "character_string3", "phrase2", "thing5", "time4"], data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(orderNo, data["character_string1"]);
        Assert.Equal("已通过", data["phrase2"]);
        Assert.Equal(imageNumber, data["character_string3"]);
        Assert.Matches(BeijingTime(), data["time4"]);
        Assert.Equal("回执已出，点击查看并下载", data["thing5"]);
        Assert.Equal(["sent"], await app.NoticeStatesAsync(orderId));
        Assert.Equal(1, await app.RemainingAsync(orderId, NoticeSteps.Approved));

        // The console's outbox shows what was recorded, keyword by keyword.
        var (support, _) = await app.StaffAsync("support");
        var html = WebUtility.HtmlDecode(await (await support.GetAsync("/console/support/outbox")).HtmlAsync());
        Assert.Contains("沙箱：应发出的服务通知", html);
        Assert.Contains($"<code>character_string3</code>：{imageNumber}", html);
        Assert.Contains("<code>phrase2</code>：已通过", html);
        Assert.Contains("已发送", html);
    }

    [Fact]
    public async Task Without_a_grant_nothing_is_sent_and_the_notice_is_recorded_as_no_grant()
    {
        var (_, orderId, _) = await app.SubmittedFreeOrderAsync();
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "approve")).StatusCode);

        await app.DeliverNoticesAsync();

        Assert.Empty(await app.SandboxNoticesAsync(await app.OpenIdAsync(orderId)));
        Assert.Equal(["no_grant"], await app.NoticeStatesAsync(orderId));
        Assert.Equal(1, await app.QueryScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = 'notice.send' AND status = 'succeeded' AND payload->>'outboxId' = (SELECT id::text FROM outbox WHERE order_id = @orderId)",
            new { orderId }));
    }

    [Fact]
    public async Task A_rejection_notice_names_the_first_reason_and_how_many_there_are()
    {
        var (user, orderId, orderNo) = await app.SubmittedFreeOrderAsync();
        await user.GrantAsync(NoticeSteps.Rejected);
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.SeeOther,
            (await reviewer.DecideAsync(orderId, "reject", ("codes", "expression"), ("codes", "glasses"))).StatusCode);

        await app.DeliverNoticesAsync();

        var data = Data(Assert.Single(await app.SandboxNoticesAsync(await app.OpenIdAsync(orderId))));
        Assert.Equal(orderNo, data["character_string1"]);
        Assert.Equal("未通过", data["phrase2"]);
        Assert.Equal("表情不自然等2项", data["thing3"]);
        Assert.Equal("可免费重拍，点击查看原因", data["thing5"]);
        Assert.Equal(0, await app.RemainingAsync(orderId, NoticeSteps.Rejected));
    }

    [Fact]
    public async Task A_resend_from_the_console_sends_a_second_notice_only_when_a_grant_exists()
    {
        var (user, orderId, _) = await app.SubmittedFreeOrderAsync();
        await user.GrantAsync(NoticeSteps.Approved);
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "approve")).StatusCode);
        await app.DeliverNoticesAsync();
        var openId = await app.OpenIdAsync(orderId);
        Assert.Single(await app.SandboxNoticesAsync(openId));

        var (support, _) = await app.StaffAsync("support");
        async Task ResendAsync()
        {
            var page = $"/console/support/orders/{orderId}";
            var response = await support.PostFormAsync($"{page}/resend", await support.TokenAsync(page));
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
            await app.DeliverNoticesAsync();
        }

        await ResendAsync();   // the only grant was spent on the first notice
        Assert.Single(await app.SandboxNoticesAsync(openId));
        Assert.Equal(["sent", "no_grant"], await app.NoticeStatesAsync(orderId));
        Assert.Contains("无订阅授权，未发送", await (await support.GetAsync($"/console/support/orders/{orderId}")).HtmlAsync());

        await user.GrantAsync(NoticeSteps.Approved);
        await ResendAsync();
        Assert.Equal(2, (await app.SandboxNoticesAsync(openId)).Count);
        Assert.Equal(["sent", "no_grant", "sent"], await app.NoticeStatesAsync(orderId));
        Assert.Equal(0, await app.RemainingAsync(orderId, NoticeSteps.Approved));
    }

    [Fact]
    public async Task An_expiry_reminder_written_by_the_validity_job_shows_the_product_and_the_last_valid_day()
    {
        var (user, orderId, orderNo) = await app.SubmittedFreeOrderAsync();
        await user.GrantAsync("photoreceipt-expiring");
        await user.GrantAsync("photoreceipt-expiring");
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "approve")).StatusCode);
        await app.DeliverNoticesAsync();
        // What the receipt-validity job writes 3 days before expiry; one row lacks its date.
        await app.QueryScalarAsync<int>("""
            INSERT INTO outbox (kind, order_id, payload) VALUES
              ('notice.expiring', @orderId, jsonb_build_object('orderId', @orderId, 'validUntil', '2026-12-21')),
              ('notice.expiring', @orderId, jsonb_build_object('orderId', @orderId))
            RETURNING 1
            """, new { orderId });

        await app.DeliverNoticesAsync();

        var reminder = Assert.Single(await app.SandboxNoticesAsync(await app.OpenIdAsync(orderId)));
        Assert.Equal("photoreceipt-expiring", reminder.GetProperty("template_id").GetString());
        var data = Data(reminder);
        Assert.Equal(orderNo, data["character_string1"]);
        Assert.Equal("一寸电子照", data["thing2"]);
        Assert.Equal("2026年12月21日", data["date3"]);
        Assert.Equal("回执即将到期，请及时使用", data["thing4"]);
        Assert.Equal(["no_grant", "sent", "failed"], await app.NoticeStatesAsync(orderId));
        Assert.Equal("通知缺少 date3 的内容", await app.QueryScalarAsync<string>(
            "SELECT errmsg FROM notices WHERE order_id = @orderId AND state = 'failed'", new { orderId }));
        // The reminder that could not be composed took no grant: the second accept is still there.
        Assert.Equal(1, await app.RemainingAsync(orderId, "photoreceipt-expiring"));
    }

    [Fact]
    public async Task Support_marks_a_sandbox_order_paid_which_queues_it_like_a_payment_and_is_audited()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app);
        var order = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId))).JsonAsync();
        var orderId = order.GetProperty("id").GetGuid();
        Assert.Equal("awaiting_payment", order.GetProperty("status").GetString());

        var (support, name) = await app.StaffAsync("support");
        var page = $"/console/support/orders/{orderId}";
        Assert.Contains("标记为已支付（沙箱）", await (await support.GetAsync(page)).HtmlAsync());
        // Without the form token nothing happens.
        Assert.Equal(HttpStatusCode.BadRequest, (await support.PostFormAsync($"{page}/mark-paid", null)).StatusCode);
        Assert.Equal("awaiting_payment", await app.StatusAsync(orderId));

        var marked = await support.PostFormAsync($"{page}/mark-paid", await support.TokenAsync(page));
        Assert.Equal(HttpStatusCode.SeeOther, marked.StatusCode);
        Assert.Equal("queued", await app.StatusAsync(orderId));
        Assert.Equal(1, await app.QueryScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = 'order.submit' AND payload->>'orderId' = @id", new { id = orderId.ToString() }));
        Assert.Equal(1, await app.QueryScalarAsync<int>(
            "SELECT count(*) FROM audit_log WHERE action = 'sandbox_mark_paid' AND staff_name = @name AND target = @target",
            new { name, target = $"order:{orderId}" }));
        var again = await support.PostFormAsync($"{page}/mark-paid", await support.TokenAsync(page));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // A reviewer cannot use support's action.
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostFormAsync($"{page}/mark-paid", await reviewer.TokenAsync("/console/review"))).StatusCode);
        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(orderId));
    }
}

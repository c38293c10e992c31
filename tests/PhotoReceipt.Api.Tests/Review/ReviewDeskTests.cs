using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Review;
using Npgsql;

namespace PhotoReceipt.Api.Tests.Review;

public sealed class ReviewDeskTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Free_order_is_submitted_reviewed_in_the_console_and_approved_with_an_image_number_and_a_notice()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var created = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync();
        var orderId = created.GetProperty("id").GetGuid();
        var orderNo = created.GetProperty("orderNo").GetString()!;
        // The submission job was born with the order, in the same transaction.
        Assert.Equal(1, await app.QueryScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE kind = 'order.submit' AND payload->>'orderId' = @id", new { id = orderId.ToString() }));

        await app.RunJobsAsync();
        Assert.Equal("submitted", (await user.OrderAsync(orderId)).GetProperty("status").GetString());

        var (reviewer, reviewerName) = await app.StaffAsync("reviewer");
        var queue = await reviewer.GetAsync("/console/review");
        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
        Assert.Contains(orderNo, await queue.HtmlAsync());

        var page = await reviewer.GetAsync($"/console/review/{orderId}");
        var html = await page.HtmlAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("face_width", html);
        // The standardized photo is shown through a signed URL that really serves it.
        var src = System.Text.RegularExpressions.Regex.Match(html, """<img src="([^"]*standard\.jpg[^"]*)" alt="标准照"\s*/?>""").Groups[1].Value;
        Assert.NotEmpty(src);
        var image = await app.CreateClient().GetAsync(new Uri(WebUtility.HtmlDecode(src)).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);

        var decided = await reviewer.DecideAsync(orderId, "approve");
        Assert.Equal(HttpStatusCode.SeeOther, decided.StatusCode);
        Assert.StartsWith("/console/review?done=", decided.Headers.Location!.OriginalString);

        var order = await user.OrderAsync(orderId);
        Assert.Equal("approved", order.GetProperty("status").GetString());
        Assert.True(ImageNumberGenerator.IsWellFormed(order.GetProperty("imageNumber").GetString()));
        var timeline = order.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["created", "queued", "submitted", "approved"], timeline.Select(t => t.GetProperty("status").GetString()!));
        Assert.Equal("photo_center", timeline[^1].GetProperty("by").GetString());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("rejection").ValueKind);

        var notices = await app.QueryAsync<(string Kind, string Payload)>("SELECT kind, payload::text FROM outbox WHERE order_id = @orderId", new { orderId });
        var notice = Assert.Single(notices);
        Assert.Equal("notice.approved", notice.Kind);
        var payload = JsonDocument.Parse(notice.Payload).RootElement;
        Assert.Equal(orderId, payload.GetProperty("orderId").GetGuid());
        Assert.Equal(order.GetProperty("imageNumber").GetString(), payload.GetProperty("imageNumber").GetString());
        Assert.Equal($"staff:{reviewerName}", await app.QueryScalarAsync<string>("SELECT decided_by FROM review_decisions WHERE order_id = @orderId", new { orderId }));
        Assert.DoesNotContain(orderNo, await (await reviewer.GetAsync("/console/review")).HtmlAsync());
    }

    [Fact]
    public async Task A_rejected_paid_order_shows_its_reasons_and_a_retake_goes_back_to_review_without_paying_again()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app);
        var created = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId))).JsonAsync();
        var orderId = created.GetProperty("id").GetGuid();
        Assert.Equal("awaiting_payment", created.GetProperty("status").GetString());
        // What the payment notification does: the move into queued enqueues the submission in the same transaction.
        var price = created.GetProperty("priceFen").GetInt32();
        var lifecycle = app.Services.GetRequiredService<OrderLifecycle>();
        Assert.Equal(PaymentOutcome.Applied, await lifecycle.PayAsync(new PayTransaction("wx", "mch", created.GetProperty("orderNo").GetString()!,
            "tx_" + orderId.ToString("N"), "SUCCESS", null, price, price, "CNY", null, DateTimeOffset.UtcNow, null), CancellationToken.None));
        await app.RunJobsAsync();

        var (reviewer, _) = await app.StaffAsync("reviewer");
        var rejected = await reviewer.DecideAsync(orderId, "reject", ("codes", "face_width"), ("codes", "expression"), ("note", "请保持自然表情，不要歪头"));
        Assert.Equal(HttpStatusCode.SeeOther, rejected.StatusCode);

        var order = await user.OrderAsync(orderId);
        Assert.Equal("rejected", order.GetProperty("status").GetString());
        var rejection = order.GetProperty("rejection");
        Assert.Equal(["face_width", "expression"], rejection.GetProperty("codes").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal("请保持自然表情，不要歪头", rejection.GetProperty("note").GetString());
        var reasons = rejection.GetProperty("reasons").EnumerateArray().ToList();
        Assert.Equal("脸宽合适", reasons[0].GetProperty("message").GetString());   // the check's own message
        Assert.StartsWith("表情不自然", reasons[1].GetProperty("message").GetString());

        // The rejected photo itself cannot be resubmitted; a new one of the same spec can.
        var same = await user.PostAsJsonAsync($"/api/v1/orders/{orderId}/retake", new { photoId });
        await same.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var otherSpec = await user.ProcessedPhotoAsync(app, "photo-1in");
        await (await user.PostAsJsonAsync($"/api/v1/orders/{orderId}/retake", new { photoId = otherSpec })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var newPhoto = await user.ProcessedPhotoAsync(app);
        var retake = await user.PostAsJsonAsync($"/api/v1/orders/{orderId}/retake", new { photoId = newPhoto });
        Assert.Equal(HttpStatusCode.OK, retake.StatusCode);
        var retaken = await retake.JsonAsync();
        Assert.Equal("queued", retaken.GetProperty("status").GetString());
        Assert.Equal(newPhoto, retaken.GetProperty("photoId").GetGuid());
        Assert.Equal(JsonValueKind.Null, retaken.GetProperty("payment").ValueKind);
        // A second retake of the same order is a conflict now that it is queued.
        await (await user.PostAsJsonAsync($"/api/v1/orders/{orderId}/retake", new { photoId = newPhoto })).AssertProblemAsync(HttpStatusCode.Conflict);

        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(orderId));
        Assert.Equal(2, await app.QueryScalarAsync<int>("SELECT max(attempt) FROM center_submissions WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "approve")).StatusCode);

        order = await user.OrderAsync(orderId);
        Assert.Equal("approved", order.GetProperty("status").GetString());
        Assert.True(ImageNumberGenerator.IsWellFormed(order.GetProperty("imageNumber").GetString()));
        Assert.Equal(
            ["created", "awaiting_payment", "queued", "submitted", "rejected", "queued", "submitted", "approved"],
            order.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()!));
        Assert.Equal(["notice.rejected", "notice.approved"],
            await app.QueryAsync<string>("SELECT kind FROM outbox WHERE order_id = @orderId ORDER BY id", new { orderId }));
    }

    [Fact]
    public async Task Every_retake_gets_its_own_submission_and_an_already_reviewed_photo_is_refused()
    {
        var (user, orderId, _) = await app.SubmittedFreeOrderAsync();
        var first = (await user.OrderAsync(orderId)).GetProperty("photoId").GetGuid();
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "reject", ("codes", "expression"))).StatusCode);
        var second = await user.ProcessedPhotoAsync(app, "photo-1in");
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsJsonAsync($"/api/v1/orders/{orderId}/retake", new { photoId = second })).StatusCode);
        await app.RunJobsAsync();
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "reject", ("codes", "glasses"))).StatusCode);

        // The first photo was reviewed already (and rejected): not again.
        await (await user.PostAsJsonAsync($"/api/v1/orders/{orderId}/retake", new { photoId = first })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        var third = await user.ProcessedPhotoAsync(app, "photo-1in");
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsJsonAsync($"/api/v1/orders/{orderId}/retake", new { photoId = third })).StatusCode);
        Assert.Equal(1, await app.QueryScalarAsync<int>(
            "SELECT count(*) FROM jobs WHERE dedupe_key = @key AND status = 'queued'", new { key = $"order.submit:{orderId}:3" }));
        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(orderId));
        Assert.Equal([first, second, third], await app.QueryAsync<Guid>(
            "SELECT photo_id FROM center_submissions WHERE order_id = @orderId ORDER BY attempt", new { orderId }));
    }

    [Fact]
    public async Task Two_reviewers_racing_for_one_order_make_exactly_one_decision()
    {
        var (alice, _) = await app.StaffAsync("reviewer");
        var (bob, _) = await app.StaffAsync("reviewer");
        for (var round = 0; round < 3; round++)
        {
            var (_, orderId, _) = await app.SubmittedFreeOrderAsync();
            // Both hold a valid form token; neither has opened the order, so both race for the claim itself.
            var aliceToken = await alice.TokenAsync("/console/review");
            var bobToken = await bob.TokenAsync("/console/review");
            var responses = await Task.WhenAll(
                alice.PostFormAsync($"/console/review/{orderId}/decide", aliceToken, ("decision", "approve"), ("attempt", "1")),
                bob.PostFormAsync($"/console/review/{orderId}/decide", bobToken, ("decision", "reject"), ("attempt", "1"), ("codes", "expression")));

            var codes = responses.Select(r => r.StatusCode).ToList();
            Assert.Single(codes, HttpStatusCode.SeeOther);
            var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
            // The loser's claim waited for the winner's transaction and then found the order decided.
            Assert.Contains("已被处理", await loser.HtmlAsync());
            Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM review_decisions WHERE order_id = @orderId", new { orderId }));
            Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM outbox WHERE order_id = @orderId", new { orderId }));
            var winnerApproved = responses[0].StatusCode == HttpStatusCode.SeeOther;
            Assert.Equal(winnerApproved ? "approved" : "rejected", await app.StatusAsync(orderId));
        }
    }

    [Fact]
    public async Task A_reviewer_who_opens_an_order_another_already_decided_is_told_so()
    {
        var (_, orderId, _) = await app.SubmittedFreeOrderAsync();
        var (alice, _) = await app.StaffAsync("reviewer");
        var (bob, _) = await app.StaffAsync("reviewer");
        var page = await bob.GetAsync($"/console/review/{orderId}");   // bob opens it first and walks away …
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var claimed = await alice.GetAsync($"/console/review/{orderId}");   // … alice sees his claim
        Assert.Equal(HttpStatusCode.Conflict, claimed.StatusCode);
        Assert.Contains("正由", await claimed.HtmlAsync());
        var whileClaimed = await alice.PostFormAsync($"/console/review/{orderId}/decide", await alice.TokenAsync("/console/review"),
            ("decision", "approve"), ("attempt", "1"));
        Assert.Equal(HttpStatusCode.Conflict, whileClaimed.StatusCode);
        Assert.Contains("正由其他审核员审核", await whileClaimed.HtmlAsync());
        Assert.Equal("submitted", await app.StatusAsync(orderId));

        Assert.Equal(HttpStatusCode.SeeOther, (await bob.DecideAsync(orderId, "approve")).StatusCode);
        var late = await alice.PostFormAsync($"/console/review/{orderId}/decide", await alice.TokenAsync("/console/review"), ("decision", "reject"),
            ("attempt", "1"), ("codes", "expression"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("已被处理", await late.HtmlAsync());
        Assert.Equal("approved", await app.StatusAsync(orderId));
    }

    [Fact]
    public async Task Rejecting_needs_a_known_reason_code()
    {
        var (_, orderId, _) = await app.SubmittedFreeOrderAsync();
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.DecideAsync(orderId, "reject")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.DecideAsync(orderId, "reject", ("codes", "<script>"))).StatusCode);
        Assert.Equal("submitted", await app.StatusAsync(orderId));
    }

    [Fact]
    public async Task A_decision_about_an_earlier_attempt_is_dropped()
    {
        var (_, orderId, _) = await app.SubmittedFreeOrderAsync();
        var lifecycle = app.Services.GetRequiredService<OrderLifecycle>();
        var stale = await lifecycle.DecideAsync(PhotoReceipt.Core.PhotoCenter.CenterDecision.Approve(orderId, 7, "center"), null, CancellationToken.None);
        Assert.Equal(DecisionOutcome.StaleAttempt, stale);
        Assert.Equal("submitted", await app.StatusAsync(orderId));
        Assert.Equal(0, await app.QueryScalarAsync<int>("SELECT count(*) FROM outbox WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task Markup_in_a_reviewers_note_reaches_the_support_page_as_text()
    {
        // Console pages are rendered by Razor, which encodes every value: a note is shown, never run.
        var (_, orderId, _) = await app.SubmittedFreeOrderAsync();
        var (reviewer, _) = await app.StaffAsync("reviewer");
        const string note = "<script>alert('x')</script> & <b>粗</b>";
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.DecideAsync(orderId, "reject", ("codes", "expression"), ("note", note))).StatusCode);

        var (support, _) = await app.StaffAsync("support");
        var html = await (await support.GetAsync($"/console/support/orders/{orderId}")).HtmlAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("备注：" + note, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }
}

using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Orders;

namespace PhotoReceipt.Api.Tests.Review;

/// <summary>One attempt per job, so a failing submission dies at once and support can requeue it.</summary>
public sealed class SingleAttemptApiFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Jobs:MaxAttempts", "1")];
}

public sealed class SupportDeskTests(SingleAttemptApiFactory app) : IClassFixture<SingleAttemptApiFactory>
{
    [Fact]
    public async Task Look_up_by_every_key_finds_the_order_shows_only_masked_data_and_is_audited()
    {
        var idNumber = TestIds.Valid("440106", "19851224", "517");
        var (user, orderId, orderNo) = await app.SubmittedFreeOrderAsync(idNumber, "欧阳娜娜", "13987654321");
        Assert.Equal(DecisionOutcomeApplied, await app.Services.GetRequiredService<OrderLifecycle>()
            .DecideAsync(CenterDecision.Approve(orderId, 1, "staff:test"), null, CancellationToken.None));
        var imageNumber = (await user.OrderAsync(orderId)).GetProperty("imageNumber").GetString()!;
        var openId = await app.QueryScalarAsync<string>("SELECT u.openid FROM users u JOIN orders o ON o.user_id = u.id WHERE o.id = @orderId", new { orderId });

        var (support, supportName) = await app.StaffAsync("support");
        (string Kind, string Query)[] lookups =
        [
            ("order_no", orderNo.ToLowerInvariant()),
            ("image_number", imageNumber),
            ("phone", "+86 139-8765-4321"),
            ("id_number", idNumber.ToLowerInvariant()),
            ("openid", openId),
        ];
        foreach (var (kind, query) in lookups)
        {
            var response = await support.PostFormAsync("/console/support/lookup", await support.TokenAsync("/console/support"), ("kind", kind), ("q", query));
            var html = await response.HtmlAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, html);
            Assert.Contains(orderNo, html);
            Assert.Contains("查询结果（1）", html);
            Assert.Contains("**************" + idNumber[^4..], html);
            Assert.Contains("139****4321", html);
            Assert.Contains("欧***", html);
            Assert.DoesNotContain(idNumber, html);
            Assert.DoesNotContain(idNumber[..14], html);
            Assert.DoesNotContain("13987654321", html);
            Assert.DoesNotContain("欧阳娜娜", html);
            Assert.Equal(1, await app.QueryScalarAsync<int>(
                "SELECT count(*) FROM audit_log WHERE action = 'lookup' AND query_kind = @kind AND staff_name = @supportName AND target = @orderNo",
                new { kind, supportName, orderNo }));
        }
        // The query itself is never stored.
        Assert.Equal(0, await app.QueryScalarAsync<int>("SELECT count(*) FROM audit_log WHERE target LIKE '%' || @last || '%'", new { last = idNumber[^6..] }));

        var miss = await support.PostFormAsync("/console/support/lookup", await support.TokenAsync("/console/support"), ("kind", "id_number"), ("q", TestIds.Valid("110101")));
        Assert.Contains("没有找到订单", await miss.HtmlAsync());

        var detail = await support.GetAsync($"/console/support/orders/{orderId}");
        var detailHtml = await detail.HtmlAsync();
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Contains("审核中 → 已出回执", WebUtility.HtmlDecode(detailHtml));
        Assert.Contains("notice.approved", detailHtml);
        Assert.DoesNotContain(idNumber, detailHtml);
        Assert.DoesNotContain(openId, detailHtml);
        Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM audit_log WHERE action = 'view_order' AND target = @t", new { t = $"order:{orderId}" }));

        // Resend writes a new outbox row; cancelling an approved order is refused.
        var resend = await support.PostFormAsync($"/console/support/orders/{orderId}/resend", await support.TokenAsync($"/console/support/orders/{orderId}"));
        Assert.Equal(HttpStatusCode.SeeOther, resend.StatusCode);
        Assert.Equal(["notice.approved", "notice.approved"], await app.QueryAsync<string>("SELECT kind FROM outbox WHERE order_id = @orderId ORDER BY id", new { orderId }));
        var cancel = await support.PostFormAsync($"/console/support/orders/{orderId}/cancel", await support.TokenAsync($"/console/support/orders/{orderId}"));
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM audit_log WHERE action = 'resend_notice' AND target = @t", new { t = $"order:{orderId}" }));

        var outbox = await support.GetAsync("/console/support/outbox");
        var outboxHtml = WebUtility.HtmlDecode(await outbox.HtmlAsync());
        Assert.Equal(HttpStatusCode.OK, outbox.StatusCode);
        Assert.Contains(orderNo, outboxHtml);
        Assert.Contains("\"resend\": true", outboxHtml);
    }

    private const PhotoReceipt.Data.Review.DecisionOutcome DecisionOutcomeApplied = PhotoReceipt.Data.Review.DecisionOutcome.Applied;

    [Fact]
    public async Task A_dead_submission_fails_the_order_and_support_requeues_it()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var orderId = (await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync()).GetProperty("id").GetGuid();
        // The standardized photo vanishes from storage: the submission cannot be made.
        var file = Path.Combine(app.BlobRoot, "photos", photoId.ToString("N"), "standard.jpg");
        var saved = Path.Combine(app.BlobRoot, "saved.jpg");
        File.Move(file, saved);
        await app.RunJobsAsync();
        Assert.Equal("failed", await app.StatusAsync(orderId));
        var jobId = await app.QueryScalarAsync<long>("SELECT id FROM jobs WHERE kind = 'order.submit' AND status = 'dead' AND payload->>'orderId' = @id", new { id = orderId.ToString() });

        var (support, _) = await app.StaffAsync("support");
        var page = await support.GetAsync($"/console/support/orders/{orderId}");
        Assert.Contains($"/console/support/orders/{orderId}/jobs/{jobId}/requeue", await page.HtmlAsync());
        File.Move(saved, file);
        var requeue = await support.PostFormAsync($"/console/support/orders/{orderId}/jobs/{jobId}/requeue", await support.TokenAsync("/console/support"));
        Assert.Equal(HttpStatusCode.SeeOther, requeue.StatusCode);
        Assert.Equal("queued", await app.StatusAsync(orderId));
        var again = await support.PostFormAsync($"/console/support/orders/{orderId}/jobs/{jobId}/requeue", await support.TokenAsync("/console/support"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(orderId));
        var timeline = (await user.OrderAsync(orderId)).GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()!);
        Assert.Equal(["created", "queued", "failed", "queued", "submitted"], timeline);
    }

    [Fact]
    public async Task Support_cancels_a_queued_order_once()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var orderId = (await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync()).GetProperty("id").GetGuid();
        var (support, name) = await app.StaffAsync("support");
        var token = await support.TokenAsync("/console/support");
        Assert.Equal(HttpStatusCode.SeeOther, (await support.PostFormAsync($"/console/support/orders/{orderId}/cancel", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await support.PostFormAsync($"/console/support/orders/{orderId}/cancel", token)).StatusCode);
        Assert.Equal("cancelled", await app.StatusAsync(orderId));
        Assert.Equal($"staff:{name}", await app.QueryScalarAsync<string>(
            "SELECT actor FROM order_events WHERE order_id = @orderId AND to_status = 'cancelled'", new { orderId }));
        // The queued submission finds the order cancelled and does nothing.
        await app.RunJobsAsync();
        Assert.Equal("cancelled", await app.StatusAsync(orderId));
        Assert.Equal(0, await app.QueryScalarAsync<int>("SELECT count(*) FROM center_submissions WHERE order_id = @orderId", new { orderId }));
    }
}

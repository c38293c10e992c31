using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.PhotoCenter;

namespace PhotoReceipt.Api.Tests.Review;

public sealed class HttpCenterApiFactory : ApiFactory
{
    public FakePhotoCenter Center { get; } = new();
    public byte[] Secret { get; } = RandomNumberGenerator.GetBytes(32);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("PhotoCenter:Mode", "Http"),
        new("PhotoCenter:Http:BaseUrl", Center.BaseUrl),
        new("PhotoCenter:Http:Secret", Convert.ToBase64String(Secret)),
    ];

    // WebApplicationFactory ends every disposal path (sync, async, via IAsyncLifetime) in Dispose(true).
    protected override void Dispose(bool disposing)
    {
        if (disposing) Center.DisposeAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose(disposing);
    }
}

public sealed class HttpPhotoCenterTests(HttpCenterApiFactory app) : IClassFixture<HttpCenterApiFactory>
{
    [Fact]
    public async Task The_submission_reaches_the_center_signed_over_timestamp_and_body()
    {
        var before = app.Center.Submissions.Count;
        var (user, orderId, orderNo, photoId) = await QueuedOrderAsync();
        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(orderId));

        var received = app.Center.Submissions.ToArray()[before];
        var timestamp = received.Headers[CenterSignature.TimestampHeader];
        Assert.InRange(long.Parse(timestamp, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(app.Secret, Encoding.ASCII.GetBytes(timestamp + "\n").Concat(received.Body).ToArray()));
        Assert.Equal(expected, received.Headers[CenterSignature.SignatureHeader]);
        Assert.Equal($"{orderId:N}-1", received.Headers["Idempotency-Key"]);

        var body = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(orderId, body.GetProperty("orderId").GetGuid());
        Assert.Equal(orderNo, body.GetProperty("orderNo").GetString());
        Assert.Equal(1, body.GetProperty("attempt").GetInt32());
        var photo = await (await app.CreateClient().GetAsync(await StandardPhotoPathAsync(user, photoId))).Content.ReadAsByteArrayAsync();
        Assert.Equal(photo, Convert.FromBase64String(body.GetProperty("photoJpeg").GetString()!));
        Assert.True(body.GetProperty("report").GetProperty("usable").GetBoolean());
        Assert.Equal($"C-{before + 1:D4}", await app.QueryScalarAsync<string>("SELECT center_ref FROM center_submissions WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task A_center_that_fails_leaves_the_order_queued_for_a_retry()
    {
        var (_, orderId, _, _) = await QueuedOrderAsync();
        app.Center.NextStatus = 503;
        try
        {
            await app.RunJobsAsync();
        }
        finally
        {
            app.Center.NextStatus = 200;
        }
        Assert.Equal("queued", await app.StatusAsync(orderId));
        var job = await app.QueryAsync<(string Status, string LastError)>(
            "SELECT status, last_error FROM jobs WHERE kind = 'order.submit' AND payload->>'orderId' = @id", new { id = orderId.ToString() });
        Assert.Equal("queued", job[0].Status);
        Assert.Contains("503", job[0].LastError);
    }

    [Fact]
    public async Task Forged_stale_and_unsigned_callbacks_are_refused_and_a_valid_one_is_applied_once()
    {
        var (user, orderId, _, _) = await QueuedOrderAsync();
        await app.RunJobsAsync();
        var anonymous = app.CreateClient();
        var body = JsonSerializer.Serialize(new { decisionId = "D-" + Guid.NewGuid().ToString("N"), orderId, attempt = 1, decision = "approved", imageNumber = "GD2026112100042" });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await (await CenterCallbacks.PostAsync(anonymous, body, now, signature: null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await CenterCallbacks.PostAsync(anonymous, body, now, signature: CenterCallbacks.Sign(RandomNumberGenerator.GetBytes(32), now, body))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var tampered = body.Replace("approved", "rejected", StringComparison.Ordinal);
        await (await CenterCallbacks.PostAsync(anonymous, tampered, now, signature: CenterCallbacks.Sign(app.Secret, now, body))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var stale = now - 6 * 60;
        await (await CenterCallbacks.PostAsync(anonymous, body, stale, CenterCallbacks.Sign(app.Secret, stale, body))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var future = now + 6 * 60;
        await (await CenterCallbacks.PostAsync(anonymous, body, future, CenterCallbacks.Sign(app.Secret, future, body))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("submitted", await app.StatusAsync(orderId));

        var accepted = await CenterCallbacks.PostAsync(anonymous, body, now, CenterCallbacks.Sign(app.Secret, now, body));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        // The same decision again, even freshly signed, is a replay.
        var later = now + 2;
        await (await CenterCallbacks.PostAsync(anonymous, body, later, CenterCallbacks.Sign(app.Secret, later, body))).AssertProblemAsync(HttpStatusCode.Conflict);

        await app.RunJobsAsync();
        var order = await user.OrderAsync(orderId);
        Assert.Equal("approved", order.GetProperty("status").GetString());
        Assert.Equal("GD2026112100042", order.GetProperty("imageNumber").GetString());   // the center's own number
        Assert.Equal(["notice.approved"], await app.QueryAsync<string>("SELECT kind FROM outbox WHERE order_id = @orderId", new { orderId }));

        // A second, different decision for the same attempt is accepted for the record but changes nothing.
        var second = JsonSerializer.Serialize(new { decisionId = "D-" + Guid.NewGuid().ToString("N"), orderId, attempt = 1, decision = "rejected", reasonCodes = new[] { "expression" } });
        Assert.Equal(HttpStatusCode.Accepted, (await CenterCallbacks.PostAsync(anonymous, second, now, CenterCallbacks.Sign(app.Secret, now, second))).StatusCode);
        await app.RunJobsAsync();
        Assert.Equal("approved", await app.StatusAsync(orderId));
        Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM review_decisions WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(1, await app.QueryScalarAsync<int>("SELECT count(*) FROM outbox WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task A_signed_rejection_callback_shows_its_reasons_to_the_user()
    {
        var (user, orderId, _, _) = await QueuedOrderAsync();
        await app.RunJobsAsync();
        var body = JsonSerializer.Serialize(new { decisionId = "D-" + Guid.NewGuid().ToString("N"), orderId, attempt = 1, decision = "rejected",
            reasonCodes = new[] { "glasses" }, note = "镜片反光" });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(HttpStatusCode.Accepted, (await CenterCallbacks.PostAsync(app.CreateClient(), body, now, CenterCallbacks.Sign(app.Secret, now, body))).StatusCode);
        await app.RunJobsAsync();
        var rejection = (await user.OrderAsync(orderId)).GetProperty("rejection");
        Assert.Equal("glasses", rejection.GetProperty("codes")[0].GetString());
        Assert.Equal("镜片反光", rejection.GetProperty("note").GetString());
        Assert.Equal(["notice.rejected"], await app.QueryAsync<string>("SELECT kind FROM outbox WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task Reviewers_cannot_decide_an_order_that_is_with_the_external_center()
    {
        var (_, orderId, _, _) = await QueuedOrderAsync();
        await app.RunJobsAsync();
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.GetAsync($"/console/review/{orderId}")).StatusCode);
        var post = await reviewer.PostFormAsync($"/console/review/{orderId}/decide", await reviewer.TokenAsync("/console/review"),
            ("decision", "approve"), ("attempt", "1"));
        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Equal("submitted", await app.StatusAsync(orderId));
    }

    [Fact]
    public async Task Malformed_or_unknown_callbacks_are_refused()
    {
        var client = app.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string notJson = "{nope";
        await (await CenterCallbacks.PostAsync(client, notJson, now, CenterCallbacks.Sign(app.Secret, now, notJson))).AssertProblemAsync(HttpStatusCode.BadRequest);
        var noReasons = JsonSerializer.Serialize(new { decisionId = "D-x", orderId = Guid.NewGuid(), attempt = 1, decision = "rejected" });
        await (await CenterCallbacks.PostAsync(client, noReasons, now, CenterCallbacks.Sign(app.Secret, now, noReasons))).AssertProblemAsync(HttpStatusCode.BadRequest);
        var unknown = JsonSerializer.Serialize(new { decisionId = "D-y", orderId = Guid.NewGuid(), attempt = 1, decision = "approved" });
        await (await CenterCallbacks.PostAsync(client, unknown, now, CenterCallbacks.Sign(app.Secret, now, unknown))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<(HttpClient User, Guid OrderId, string OrderNo, Guid PhotoId)> QueuedOrderAsync()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var order = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync();
        return (user, order.GetProperty("id").GetGuid(), order.GetProperty("orderNo").GetString()!, photoId);
    }

    private static async Task<string> StandardPhotoPathAsync(HttpClient user, Guid photoId)
    {
        var photo = await (await user.GetAsync($"/api/v1/photos/{photoId}")).JsonAsync();
        return new Uri(photo.GetProperty("previewUrl").GetString()!).PathAndQuery;
    }
}

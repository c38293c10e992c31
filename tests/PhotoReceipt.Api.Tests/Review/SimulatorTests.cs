using System.Net;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.Orders;

namespace PhotoReceipt.Api.Tests.Review;

public sealed class SimulatorApiFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("PhotoCenter:Mode", "Simulator"), new("PhotoCenter:Simulator:DelaySeconds", "0")];
}

public sealed class SimulatorTests(SimulatorApiFactory app) : IClassFixture<SimulatorApiFactory>
{
    [Fact]
    public async Task The_simulator_approves_a_usable_photo()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var orderId = (await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(3, await app.RunJobsAsync());   // submit, the simulated decision, then the e-photo's issue

        var order = await user.OrderAsync(orderId);
        Assert.Equal("approved", order.GetProperty("status").GetString());
        Assert.True(ImageNumberGenerator.IsWellFormed(order.GetProperty("imageNumber").GetString()));
        Assert.Equal("simulator", await app.QueryScalarAsync<string>("SELECT decided_by FROM review_decisions WHERE order_id = @orderId", new { orderId }));
        Assert.Equal("simulator", await app.QueryScalarAsync<string>("SELECT center FROM center_submissions WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(["notice.approved"], await app.QueryAsync<string>("SELECT kind FROM outbox WHERE order_id = @orderId", new { orderId }));
        Assert.Equal("photo_center", order.GetProperty("timeline").EnumerateArray()
            .Single(t => t.GetProperty("status").GetString() == "approved" && t.GetProperty("from").GetString() == "submitted").GetProperty("by").GetString());
        // Nothing waits at the review desk in this mode.
        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Contains("审核队列为空", await (await reviewer.GetAsync("/console/review")).HtmlAsync());
    }

    [Fact]
    public async Task The_simulator_rejects_a_photo_whose_report_fails_with_the_failing_check_ids()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var orderId = (await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync()).GetProperty("id").GetGuid();
        // The report the center sees fails two checks (orders need a usable photo, so the report is changed after ordering).
        await app.QueryScalarAsync<int>("""
            UPDATE photos SET usable = false, report = '{"usable":false,"checks":[
              {"id":"single_face","status":"pass","measured":"1","allowed":"1","message":"检测到一张人脸"},
              {"id":"background_uniformity","status":"fail","measured":"38.2","allowed":"≤ 12","message":"背景不够干净，请在白墙前重拍"},
              {"id":"eye_line","status":"fail","measured":"40%","allowed":"45–55%","message":"眼睛位置偏低"}]}'::jsonb
            WHERE id = @photoId RETURNING 1
            """, new { photoId });
        await app.RunJobsAsync();

        var order = await user.OrderAsync(orderId);
        Assert.Equal("rejected", order.GetProperty("status").GetString());
        var rejection = order.GetProperty("rejection");
        Assert.Equal(["background_uniformity", "eye_line"], rejection.GetProperty("codes").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal("背景不够干净，请在白墙前重拍", rejection.GetProperty("reasons")[0].GetProperty("message").GetString());
        Assert.Equal(JsonValueKindNull, order.GetProperty("imageNumber").ValueKind);
        Assert.Equal(["notice.rejected"], await app.QueryAsync<string>("SELECT kind FROM outbox WHERE order_id = @orderId", new { orderId }));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}

public sealed class DelayedSimulatorApiFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("PhotoCenter:Mode", "Simulator"), new("PhotoCenter:Simulator:DelaySeconds", "600")];
}

public sealed class DelayedSimulatorTests(DelayedSimulatorApiFactory app) : IClassFixture<DelayedSimulatorApiFactory>
{
    [Fact]
    public async Task The_simulated_decision_waits_for_the_configured_delay()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var orderId = (await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(1, await app.RunJobsAsync());
        Assert.Equal("submitted", await app.StatusAsync(orderId));
        var wait = await app.QueryScalarAsync<double>(
            "SELECT extract(epoch FROM run_at - created_at) FROM jobs WHERE kind = 'order.decide' AND payload->>'orderId' = @id", new { id = orderId.ToString() });
        Assert.InRange(wait, 599, 601);
    }
}

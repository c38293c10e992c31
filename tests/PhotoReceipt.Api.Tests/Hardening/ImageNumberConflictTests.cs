using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Api.Tests.Hardening;

/// <summary>
/// An external center approves with an image number another order already holds. Before: 202, then
/// the decide job failed 8 times on orders_image_number_key and went dead, the order stuck in
/// submitted. Now: 409 to the center, a timeline entry, an alert on the support desk, no job at all.
/// </summary>
public sealed class ImageNumberConflictTests(HttpCenterApiFactory app) : IClassFixture<HttpCenterApiFactory>
{
    private async Task<(HttpClient User, Guid OrderId, string OrderNo)> SubmittedAsync()
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var order = await (await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in"))).JsonAsync();
        await app.RunJobsAsync();
        var id = order.GetProperty("id").GetGuid();
        Assert.Equal("submitted", await app.StatusAsync(id));
        return (user, id, order.GetProperty("orderNo").GetString()!);
    }

    private Task<HttpResponseMessage> ApproveAsync(Guid orderId, string imageNumber) =>
        CenterCallbacks.PostSignedAsync(app.CreateClient(), app.Secret,
            $$"""{"decisionId":"d-{{Guid.NewGuid():N}}","orderId":"{{orderId}}","attempt":1,"decision":"approved","imageNumber":"{{imageNumber}}"}""");

    [Fact]
    public async Task A_decision_reusing_another_orders_image_number_is_a_409_a_timeline_entry_and_a_support_alert_never_a_dead_job()
    {
        var number = "IMG" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var (_, first, _) = await SubmittedAsync();
        var (user, second, secondNo) = await SubmittedAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await ApproveAsync(first, number)).StatusCode);
        await app.RunJobsAsync();
        Assert.Equal("approved", await app.StatusAsync(first));

        var conflict = await (await ApproveAsync(second, number)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("imageNumber", conflict.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(second));
        Assert.Equal(0, await app.QueryScalarAsync<int>("SELECT count(*) FROM jobs WHERE kind = 'order.decide' AND payload->>'orderId' = @id",
            new { id = second.ToString() }));
        var timeline = (await user.OrderAsync(second)).GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("note").GetString()).ToList();
        Assert.Contains(timeline, n => n?.Contains("图像号", StringComparison.Ordinal) == true);

        var (support, _) = await app.StaffAsync(StaffRoles.Support);
        var desk = await (await support.GetAsync("/console/support")).HtmlAsync();
        Assert.Contains(secondNo, desk, StringComparison.Ordinal);
        Assert.Contains(number, desk, StringComparison.Ordinal);

        // The race the check cannot close (the number taken between the callback and the job): the job
        // records the same conflict and finishes instead of failing into a dead job.
        await app.Services.GetRequiredService<JobQueue>().EnqueueAsync(JobKinds.DecideOrder, CenterDecision.Approve(second, 1, "center", number),
            ct: CancellationToken.None);
        await app.RunJobsAsync();
        Assert.Equal("submitted", await app.StatusAsync(second));
        Assert.Equal(["succeeded"], await app.QueryAsync<string>("SELECT status FROM jobs WHERE kind = 'order.decide' AND payload->>'orderId' = @id",
            new { id = second.ToString() }));
        Assert.Equal(2, await app.QueryScalarAsync<int>("SELECT count(*) FROM support_alerts WHERE order_id = @second", new { second }));
    }
}

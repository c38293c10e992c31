using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Worker.Notices;

namespace PhotoReceipt.Api.Tests.Notices;

/// <summary>Notice-related test steps.</summary>
public static class NoticeSteps
{
    public const string Approved = "photoreceipt-approved";
    public const string Rejected = "photoreceipt-rejected";

    /// <summary>What the recurring dispatcher does, then every due job (the sends).</summary>
    public static async Task DeliverNoticesAsync(this ApiFactory app)
    {
        await app.Services.GetRequiredService<NoticeDispatchJob>().DispatchAsync(CancellationToken.None);
        await app.RunJobsAsync();
    }

    /// <summary>Makes retries scheduled with backoff due now.</summary>
    public static Task<int> RetryNowAsync(this ApiFactory app) =>
        app.QueryScalarAsync<int>("WITH u AS (UPDATE jobs SET run_at = now() WHERE status = 'queued' AND kind = 'notice.send' RETURNING 1) SELECT count(*) FROM u");

    /// <summary>The user accepts a template in wx.requestSubscribeMessage and the mini-program reports it.</summary>
    public static async Task GrantAsync(this HttpClient user, string templateId)
    {
        var response = await user.PostAsJsonAsync("/api/v1/subscriptions", new { templateIds = new[] { templateId } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static Task<int> RemainingAsync(this ApiFactory app, Guid orderId, string templateId) =>
        app.QueryScalarAsync<int>("""
            SELECT coalesce((SELECT g.remaining FROM subscription_grants g JOIN orders o ON o.user_id = g.user_id
                             WHERE o.id = @orderId AND g.template_id = @templateId), 0)
            """, new { orderId, templateId });

    public static Task<List<string>> NoticeStatesAsync(this ApiFactory app, Guid orderId) =>
        app.QueryAsync<string>("SELECT n.state FROM notices n WHERE n.order_id = @orderId ORDER BY n.outbox_id", new { orderId });

    public static Task<string> OpenIdAsync(this ApiFactory app, Guid orderId) =>
        app.QueryScalarAsync<string>("SELECT u.openid FROM users u JOIN orders o ON o.user_id = u.id WHERE o.id = @orderId", new { orderId });

    /// <summary>The subscribe messages the sandbox recorded for the user, oldest first, as JSON payloads.</summary>
    public static async Task<List<JsonElement>> SandboxNoticesAsync(this ApiFactory app, string openId) =>
        (await app.QueryAsync<string>(
            "SELECT payload::text FROM wechat_sandbox_messages WHERE kind = 'subscribe' AND to_open_id = @openId ORDER BY id", new { openId }))
        .Select(p => JsonDocument.Parse(p).RootElement.Clone()).ToList();
}

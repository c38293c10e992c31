using PhotoReceipt.Api.Platform;

namespace PhotoReceipt.Api.Console;

/// <summary>The staff console's routes (server-rendered HTML under /console).</summary>
public static class ConsoleApi
{
    public const int MaxFormBytes = 64 * 1024;
    public const int MaxLoginBytes = 8 * 1024;

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        // Console forms are a few fields; the login form is smaller still.
        var console = app.MapGroup("/console").ExcludeFromDescription().WithBodyLimit(MaxFormBytes);
        console.MapGet("/login", ConsoleLoginPages.LoginForm).WithName("ConsoleLoginForm").AllowAnonymous();
        console.MapPost("/login", ConsoleLoginPages.LoginAsync).WithName("ConsoleLogin").AllowAnonymous().WithFormAntiforgery()
            .RequireRateLimiting(RateLimits.Login).WithBodyLimit(MaxLoginBytes);
        console.MapPost("/logout", ConsoleLoginPages.LogoutAsync).WithName("ConsoleLogout").RequireAuthorization(ConsoleAuth.StaffPolicy).WithFormAntiforgery();
        console.MapGet("/", ConsoleLoginPages.Home).WithName("ConsoleHome").RequireAuthorization(ConsoleAuth.StaffPolicy);

        var review = console.MapGroup("/review").RequireAuthorization(ConsoleAuth.ReviewPolicy);
        review.MapGet("/", ReviewPages.QueueAsync).WithName("ReviewQueue");
        review.MapGet("/{orderId:guid}", ReviewPages.OrderAsync).WithName("ReviewOrder");
        review.MapPost("/{orderId:guid}/decide", ReviewPages.DecideAsync).WithName("ReviewDecide").WithFormAntiforgery();

        var support = console.MapGroup("/support").RequireAuthorization(ConsoleAuth.SupportPolicy);
        support.MapGet("/", SupportPages.SearchFormAsync).WithName("SupportSearch");
        support.MapGet("/outbox", NoticePages.OutboxAsync).WithName("SupportOutbox");
        support.MapPost("/lookup", SupportPages.LookupAsync).WithName("SupportLookup").WithFormAntiforgery();
        support.MapGet("/orders/{orderId:guid}", SupportPages.OrderAsync).WithName("SupportOrder");
        support.MapPost("/orders/{orderId:guid}/cancel", SupportPages.CancelAsync).WithName("SupportCancel").WithFormAntiforgery();
        support.MapPost("/orders/{orderId:guid}/mark-paid", NoticePages.MarkPaidAsync).WithName("SupportMarkPaid").WithFormAntiforgery();
        support.MapPost("/orders/{orderId:guid}/resend", SupportPages.ResendAsync).WithName("SupportResend").WithFormAntiforgery();
        support.MapPost("/orders/{orderId:guid}/jobs/{jobId:long}/requeue", SupportPages.RequeueAsync).WithName("SupportRequeue").WithFormAntiforgery();
        return app;
    }
}

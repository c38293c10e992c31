using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using PhotoReceipt.Api.Console.Pages;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Api.Console;

/// <summary>
/// What every console page knows about its request: who is signed in (for the navigation) and the
/// antiforgery tokens every form carries (issued on first use, so a page without a form sets no cookie).
/// </summary>
public sealed class ConsoleView(HttpContext http)
{
    private AntiforgeryTokenSet? _tokens;

    public ClaimsPrincipal User => http.User;
    public bool SignedIn => User.Identity is { IsAuthenticated: true, AuthenticationType: ConsoleAuth.Scheme };
    public bool CanReview => User.IsInRole(StaffRoles.Reviewer) || User.IsInRole(StaffRoles.Admin);
    public bool CanSupport => User.IsInRole(StaffRoles.Support) || User.IsInRole(StaffRoles.Admin);
    public string Name => User.Identity?.Name ?? "";
    public string RoleLabel => ConsoleFormat.RoleLabel(User.FindFirstValue(ClaimTypes.Role));

    public AntiforgeryTokenSet Tokens => _tokens ??= http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
}

/// <summary>
/// Console pages are Razor components rendered on the server (RazorComponentResult): every value is
/// HTML-encoded by the renderer. A page is its component placed in <see cref="ConsoleLayout"/>.
/// </summary>
internal static class ConsolePage
{
    /// <param name="parameters">The page component's parameters, as an anonymous object.</param>
    public static RazorComponentResult<ConsoleLayout> Render<TPage>(HttpContext http, string title, object? parameters = null, int status = 200)
        where TPage : IComponent
    {
        var values = parameters is null ? [] : new RouteValueDictionary(parameters);
        RenderFragment body = builder =>
        {
            builder.OpenComponent<TPage>(0);
            foreach (var (name, value) in values) builder.AddComponentParameter(1, name, value);
            builder.CloseComponent();
        };
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["X-Frame-Options"] = "DENY";
        http.Response.Headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self' https: http:; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        return new RazorComponentResult<ConsoleLayout>(new { Title = title, View = new ConsoleView(http), Body = body }) { StatusCode = status };
    }

    /// <summary>A page that only says something (errors, conflicts), with a way back.</summary>
    public static RazorComponentResult<ConsoleLayout> Message(HttpContext http, int status, string title, string message, string backHref, string backLabel) =>
        Render<MessagePage>(http, title, new { Message = message, BackHref = backHref, BackLabel = backLabel }, status);
}

/// <summary>How the console writes values staff read.</summary>
internal static class ConsoleFormat
{
    /// <summary>Beijing time, which is what staff and users read.</summary>
    public static string Time(DateTime at) =>
        DateTime.SpecifyKind(at, DateTimeKind.Utc).AddHours(8).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    public static string Time(DateTime? at) => at is { } value ? Time(value) : "";

    public static string RoleLabel(string? role) => role switch
    {
        StaffRoles.Reviewer => "审核员",
        StaffRoles.Support => "客服",
        StaffRoles.Admin => "管理员",
        _ => role ?? "",
    };

    /// <summary>The first and last four characters: enough for support to match, not enough to copy.</summary>
    public static string? MaskOpenId(string? openId) => openId is { Length: > 8 } ? openId[..4] + "…" + openId[^4..] : openId;
}

/// <summary>303 See Other: after a form POST the browser fetches the next page with GET (no resubmission on reload).</summary>
internal sealed class SeeOther(string location) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}

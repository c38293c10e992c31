using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Api.Console;

/// <summary>
/// Staff sign in with a cookie of their own scheme; the mini-program API keeps its bearer scheme
/// and never accepts this cookie. Policies per role; a wrong role gets a 403 page, no cookie a
/// redirect to the login page.
/// </summary>
public static class ConsoleAuth
{
    public const string Scheme = "Console";
    public const string StaffPolicy = "console.staff";
    public const string ReviewPolicy = "console.review";
    public const string SupportPolicy = "console.support";

    public static IServiceCollection AddStaffConsole(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "photoreceipt.console";
            o.Cookie.Path = "/console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/console/login";
            o.LogoutPath = "/console/logout";
            o.AccessDeniedPath = "/console/login";
            o.SlidingExpiration = true;
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                ctx.Response.StatusCode = 403;
                return ConsolePage.Message(ctx.HttpContext, 403, "无权访问", "你的账号角色不能使用这个页面。", "/console", "返回首页")
                    .ExecuteAsync(ctx.HttpContext);
            };
            // Re-read the account on every request: a deleted, re-roled or locked account loses its session at once.
            o.Events.OnValidatePrincipal = async ctx =>
            {
                var id = ctx.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
                var staff = Guid.TryParse(id, out var staffId)
                    ? await ctx.HttpContext.RequestServices.GetRequiredService<StaffStore>().FindAsync(staffId, ctx.HttpContext.RequestAborted)
                    : null;
                if (staff is null || staff.IsLocked || staff.Role != ctx.Principal!.FindFirstValue(ClaimTypes.Role))
                {
                    ctx.RejectPrincipal();
                    await ctx.HttpContext.SignOutAsync(Scheme);
                }
            };
        });
        services.AddOptions<StaffSessionOptions>().BindConfiguration(StaffSessionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ITicketStore, DatabaseTicketStore>();
        // Server-side sessions; the cookie's own expiry is the idle timeout (it slides with use).
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<ITicketStore, IOptions<StaffSessionOptions>>((o, store, sessions) =>
        {
            o.SessionStore = store;
            o.ExpireTimeSpan = sessions.Value.Idle;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(StaffRoles.All))
            .AddPolicy(ReviewPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(StaffRoles.Reviewer, StaffRoles.Admin))
            .AddPolicy(SupportPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(StaffRoles.Support, StaffRoles.Admin));
        // Console pages are Razor components rendered by RazorComponentResult; Chinese stays readable
        // in the HTML (markup characters are always encoded).
        services.AddRazorComponents();
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "photoreceipt.console.af";
            o.Cookie.Path = "/console";
            o.FormFieldName = "__RequestVerificationToken";
        });
        return services;
    }

    private static bool WantsHtml(HttpContext http) =>
        http.Request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    public static ClaimsPrincipal Principal(StaffUser staff) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, staff.Id.ToString()), new Claim(ClaimTypes.Name, staff.Username), new Claim(ClaimTypes.Role, staff.Role)],
        Scheme, ClaimTypes.Name, ClaimTypes.Role));

    public static Guid StaffId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
    public static string StaffName(this ClaimsPrincipal user) => user.Identity!.Name!;
    public static StaffActor Staff(this ClaimsPrincipal user) => new(user.StaffId(), user.StaffName());

    /// <summary>
    /// Every console POST is a form: a missing or wrong antiforgery token is a 400 (a page for a browser,
    /// problem+json for anything else), and the handler never runs.
    /// </summary>
    public static RouteHandlerBuilder WithFormAntiforgery(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            // Read the form first (bounded by the endpoint's body limit): the antiforgery check would turn a form
            // that cannot be read (too many fields, cut off, too large) into "page expired"; this way it is
            // answered for what it is (RequestFailures).
            if (http.Request.HasFormContentType) await http.Request.ReadFormAsync(http.RequestAborted);
            if (!await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
                return WantsHtml(http)
                    ? ConsolePage.Message(http, 400, "请求已失效", "页面已过期或请求来源不正确，请刷新页面后重试。", "/console", "返回首页")
                    : TypedResults.Problem(statusCode: 400, title: "请求已失效", detail: "页面已过期或请求来源不正确，请刷新页面后重试");
            return await next(context);
        });
}

using Microsoft.AspNetCore.Authentication;
using PhotoReceipt.Data.Staff;
using PhotoReceipt.Api.Console.Pages;

namespace PhotoReceipt.Api.Console;

internal static class ConsoleLoginPages
{
    public static IResult Home(HttpContext http) =>
        Results.Redirect(http.User.IsInRole(StaffRoles.Support) ? "/console/support" : "/console/review");

    public static IResult LoginForm(HttpContext http, string? returnUrl) => LoginPage(http, returnUrl, null, 200);

    public static async Task<IResult> LoginAsync(HttpContext http, StaffStore staff, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var username = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (username.Length is 0 or > 64 || password.Length is 0 or > 256)
            return LoginPage(http, returnUrl, "请输入用户名和密码。", 400);

        var result = await staff.SignInAsync(username, password, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", ct);
        var logger = loggers.CreateLogger("PhotoReceipt.Console.Login");
        switch (result)
        {
            case SignInResult.Success ok:
                await http.SignInAsync(ConsoleAuth.Scheme, ConsoleAuth.Principal(ok.User));
                logger.LogInformation("Staff {Staff} signed in", ok.User.Username);
                return new SeeOther(SafeReturnUrl(returnUrl) ?? "/console");
            case SignInResult.Locked locked:
                // The same answer whether or not the name exists: the lock is on (name, this client), not on an account.
                logger.LogWarning("Sign-in refused: too many wrong passwords from {Client}", http.Connection.RemoteIpAddress);
                var minutes = Math.Max(1, (int)Math.Ceiling((locked.Until - clock.GetUtcNow().UtcDateTime).TotalMinutes));
                return LoginPage(http, returnUrl, $"密码错误次数过多，已暂时锁定，请 {minutes} 分钟后再试。", 423);
            case SignInResult.Disabled:
                logger.LogWarning("Sign-in refused for a locked staff account");
                return LoginPage(http, returnUrl, "该账号已被管理员停用，请联系管理员。", 403);
            default:
                logger.LogWarning("Staff sign-in failed");
                return LoginPage(http, returnUrl, "用户名或密码错误。", 401);
        }
    }

    public static async Task<IResult> LogoutAsync(HttpContext http, ILoggerFactory loggers)
    {
        await http.SignOutAsync(ConsoleAuth.Scheme);
        loggers.CreateLogger("PhotoReceipt.Console.Login").LogInformation("Staff {Staff} signed out", http.User.Identity?.Name);
        return new SeeOther("/console/login");
    }

    private static IResult LoginPage(HttpContext http, string? returnUrl, string? error, int status) =>
        ConsolePage.Render<LoginPage>(http, "登录", new { Error = error, ReturnUrl = SafeReturnUrl(returnUrl) }, status);

    /// <summary>Only a path inside the console: an absolute or protocol-relative URL would be an open redirect.</summary>
    private static string? SafeReturnUrl(string? url) =>
        url is not null && url.StartsWith("/console", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\')
            ? url : null;
}

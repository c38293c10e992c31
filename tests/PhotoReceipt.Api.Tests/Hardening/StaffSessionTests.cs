using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Review;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Api.Tests.Hardening;

/// <summary>A clock the tests move, and one trusted proxy (10.9.9.9).</summary>
public sealed class ClockedConsoleApiFactory : ApiFactory
{
    public ShiftedClock Clock { get; } = new();
    public const string Proxy = "10.9.9.9";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("ForwardedHeaders:KnownProxies:0", Proxy)];

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Console sessions are rows: a copied cookie dies with logout, password or role change, a lock, idleness or age.</summary>
public sealed class StaffSessionTests(ClockedConsoleApiFactory app) : IClassFixture<ClockedConsoleApiFactory>
{
    private StaffStore Staff => app.Services.GetRequiredService<StaffStore>();

    /// <summary>Signs in and returns the session cookie as a browser would send it.</summary>
    private async Task<(HttpClient Client, string Username, string Cookie)> SignedInAsync(string role = "support")
    {
        var username = await app.AddStaffAsync(role);
        var client = app.ConsoleClient();
        var response = await client.SignInAsync(username, StaffConsole.Password);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("photoreceipt.console=", StringComparison.Ordinal)).Split(';')[0];
        return (client, username, cookie);
    }

    /// <summary>What a copied cookie gets from a console page: 200 while the session lives, a redirect to the login page after.</summary>
    private async Task<HttpStatusCode> WithCookieAsync(string cookie, string page = "/console/support")
    {
        var thief = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        request.Headers.Add("Cookie", cookie);
        return (await thief.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Logout_ends_the_session_for_a_copied_cookie_too()
    {
        var (client, _, cookie) = await SignedInAsync();
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(cookie));
        var token = await client.TokenAsync("/console/support");
        Assert.Equal(HttpStatusCode.SeeOther, (await client.PostFormAsync("/console/logout", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(cookie));
    }

    [Fact]
    public async Task A_password_change_a_role_change_or_a_lock_ends_every_session_of_the_account()
    {
        var (_, passwd, passwdCookie) = await SignedInAsync();
        var (_, role, roleCookie) = await SignedInAsync();
        var (_, locked, lockedCookie) = await SignedInAsync();
        var (_, bystander, bystanderCookie) = await SignedInAsync();
        foreach (var c in new[] { passwdCookie, roleCookie, lockedCookie }) Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(c));

        Assert.True(await Staff.SetPasswordAsync(passwd, "a brand new password", CancellationToken.None));
        Assert.True(await Staff.SetRoleAsync(role, StaffRoles.Admin, CancellationToken.None)); // even a promotion
        Assert.True(await Staff.LockAsync(locked, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None));

        foreach (var c in new[] { passwdCookie, roleCookie, lockedCookie }) Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(c));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(bystanderCookie));
        Assert.Equal(HttpStatusCode.SeeOther, (await app.ConsoleClient().SignInAsync(passwd, "a brand new password")).StatusCode);
        var lockedAgain = await app.ConsoleClient().SignInAsync(locked, StaffConsole.Password);
        Assert.Equal(HttpStatusCode.Forbidden, lockedAgain.StatusCode);
        Assert.Contains("停用", await lockedAgain.HtmlAsync());
        _ = bystander;
    }

    [Fact]
    public async Task A_session_ends_after_30_idle_minutes_and_8_hours_after_sign_in_however_active()
    {
        var (_, _, idleCookie) = await SignedInAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, await WithCookieAsync(idleCookie));
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Redirect, await WithCookieAsync(idleCookie));

        var (busy, _, _) = await SignedInAsync();
        for (var minutes = 0; minutes <= 460; minutes += 20) // a page every 20 minutes up to 7 h 40
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/console/support")).StatusCode);
            app.Clock.Advance(TimeSpan.FromMinutes(20));
        }
        // Now 8 h since sign-in, 20 min since the last page: the absolute end, not the idle one.
        Assert.Equal(HttpStatusCode.Redirect, (await busy.GetAsync("/console/support")).StatusCode);
    }

    private async Task<HttpResponseMessage> SignInFromAsync(string peer, string username, string password, string? forwardedFor = null, string? proto = null)
    {
        var client = app.ConsoleClient();
        client.DefaultRequestHeaders.Add(TestPeer.Header, peer);
        if (forwardedFor is not null) client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        if (proto is not null) client.DefaultRequestHeaders.Add("X-Forwarded-Proto", proto);
        return await client.SignInAsync(username, password);
    }

    private static string Notice(string html) => Regex.Replace(Regex.Match(html, "<p class=\"notice\">([^<]*)</p>").Groups[1].Value, "\\d+", "N");

    [Fact]
    public async Task Wrong_passwords_lock_the_name_for_that_client_only_with_doubling_locks_and_the_same_answer_for_unknown_names()
    {
        var username = await app.AddStaffAsync("reviewer");
        for (var i = 1; i <= 4; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInFromAsync("198.51.100.1", username, "wrong")).StatusCode);
        var fifth = await SignInFromAsync("198.51.100.1", username, "wrong");
        Assert.Equal((HttpStatusCode)423, fifth.StatusCode);
        // The right password from the guessing client is refused; from the member of staff's own machine it works.
        Assert.Equal((HttpStatusCode)423, (await SignInFromAsync("198.51.100.1", username, StaffConsole.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await SignInFromAsync("198.51.100.2", username, StaffConsole.Password)).StatusCode);

        // A name that does not exist answers exactly the same way.
        var unknown = "nobody-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 1; i <= 4; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInFromAsync("198.51.100.1", unknown, "wrong")).StatusCode);
        var unknownFifth = await SignInFromAsync("198.51.100.1", unknown, "wrong");
        Assert.Equal((HttpStatusCode)423, unknownFifth.StatusCode);
        Assert.Equal(Notice(await fifth.HtmlAsync()), Notice(await unknownFifth.HtmlAsync()));

        // Backoff: the first lock is a minute, the next one two.
        var name = username.ToLowerInvariant();
        double LockSeconds() => app.QueryScalarAsync<double>(
            "SELECT extract(epoch FROM locked_until) FROM staff_login_failures WHERE username = @name AND client = '198.51.100.1'", new { name })
            .GetAwaiter().GetResult() - app.Clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        Assert.InRange(LockSeconds(), 55, 61);
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        for (var i = 1; i <= 4; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await SignInFromAsync("198.51.100.1", username, "wrong")).StatusCode);
        Assert.Equal((HttpStatusCode)423, (await SignInFromAsync("198.51.100.1", username, "wrong")).StatusCode);
        Assert.InRange(LockSeconds(), 115, 121);
        app.Clock.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal(HttpStatusCode.SeeOther, (await SignInFromAsync("198.51.100.1", username, StaffConsole.Password)).StatusCode);
        Assert.Equal(0, await app.QueryScalarAsync<int>("SELECT count(*) FROM staff_login_failures WHERE username = @name", new { name }));
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_the_configured_proxy()
    {
        var username = await app.AddStaffAsync("support");
        var name = username.ToLowerInvariant();

        var viaProxy = await SignInFromAsync(ClockedConsoleApiFactory.Proxy, username, "wrong", forwardedFor: "203.0.113.7", proto: "https");
        Assert.Equal(HttpStatusCode.Unauthorized, viaProxy.StatusCode);
        var spoofed = await SignInFromAsync("198.51.100.9", username, "wrong", forwardedFor: "203.0.113.8", proto: "https");
        Assert.Equal(HttpStatusCode.Unauthorized, spoofed.StatusCode);
        var clients = await app.QueryAsync<string>("SELECT client FROM staff_login_failures WHERE username = @name ORDER BY client", new { name });
        Assert.Equal(["198.51.100.9", "203.0.113.7"], clients);

        // Cookies are Secure when the proxy says the client used https, and only then.
        var secure = await SignInFromAsync(ClockedConsoleApiFactory.Proxy, username, StaffConsole.Password, forwardedFor: "203.0.113.7", proto: "https");
        Assert.Contains("secure", secure.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("photoreceipt.console=", StringComparison.Ordinal)),
            StringComparison.OrdinalIgnoreCase);
        var notSecure = await SignInFromAsync("198.51.100.9", username, StaffConsole.Password, forwardedFor: "203.0.113.8", proto: "https");
        Assert.DoesNotContain("secure", notSecure.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("photoreceipt.console=", StringComparison.Ordinal)),
            StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>Two logins a minute per client address, behind the trusted proxy 10.9.9.9.</summary>
public sealed class LowLoginLimitApiFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("ForwardedHeaders:KnownProxies:0", ClockedConsoleApiFactory.Proxy), new("RateLimits:LoginPerMinute", "2")];
}

public sealed class RateLimitPerRealClientTests(LowLoginLimitApiFactory app) : IClassFixture<LowLoginLimitApiFactory>
{
    private async Task<HttpStatusCode> LoginFromAsync(string peer, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { code = Guid.NewGuid().ToString("N") }),
        };
        request.Headers.Add(TestPeer.Header, peer);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await app.CreateClient().SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Login_limits_count_the_real_client_behind_the_proxy_and_ignore_forwarded_headers_from_anyone_else()
    {
        // Behind the proxy, each real client has its own allowance.
        Assert.Equal(HttpStatusCode.OK, await LoginFromAsync(ClockedConsoleApiFactory.Proxy, "203.0.113.21"));
        Assert.Equal(HttpStatusCode.OK, await LoginFromAsync(ClockedConsoleApiFactory.Proxy, "203.0.113.21"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFromAsync(ClockedConsoleApiFactory.Proxy, "203.0.113.21"));
        Assert.Equal(HttpStatusCode.OK, await LoginFromAsync(ClockedConsoleApiFactory.Proxy, "203.0.113.22"));

        // A direct client cannot buy a fresh allowance by making up X-Forwarded-For.
        Assert.Equal(HttpStatusCode.OK, await LoginFromAsync("198.51.100.50", "192.0.2.1"));
        Assert.Equal(HttpStatusCode.OK, await LoginFromAsync("198.51.100.50", "192.0.2.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFromAsync("198.51.100.50", "192.0.2.3"));
    }
}

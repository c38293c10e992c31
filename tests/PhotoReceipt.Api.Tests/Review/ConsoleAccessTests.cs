using System.Net;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Review;

public sealed class ConsoleAccessTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_name_for_this_client_even_against_the_right_one()
    {
        var username = await app.AddStaffAsync("reviewer");
        var client = app.ConsoleClient();
        for (var i = 1; i <= 4; i++)
        {
            var wrong = await client.SignInAsync(username, "not the password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("用户名或密码错误", await wrong.HtmlAsync());
        }
        var fifth = await client.SignInAsync(username, "still not it");
        Assert.Equal((HttpStatusCode)423, fifth.StatusCode);
        Assert.Contains("已暂时锁定", await fifth.HtmlAsync());

        var right = await client.SignInAsync(username, StaffConsole.Password);
        Assert.Equal((HttpStatusCode)423, right.StatusCode);
        Assert.DoesNotContain(right.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("photoreceipt.console=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/console/review")).StatusCode);
        // The account itself is not locked: the lock is on (name, client) — see StaffSessionTests for the rest.
        var lockedFor = await app.QueryScalarAsync<double>(
            "SELECT extract(epoch FROM locked_until - now()) FROM staff_login_failures WHERE username = @username", new { username });
        Assert.InRange(lockedFor, 50, 60);
        Assert.Equal(0, await app.QueryScalarAsync<int>("SELECT count(*) FROM staff_users WHERE username = @username AND locked_until IS NOT NULL", new { username }));
    }

    [Fact]
    public async Task Parallel_guesses_all_count_towards_the_lockout()
    {
        var username = await app.AddStaffAsync("admin");
        var guessers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var client = app.ConsoleClient();
            return (client, token: await client.TokenAsync("/console/login"));
        }));
        var answers = await Task.WhenAll(guessers.Select(g =>
            g.client.PostFormAsync("/console/login", g.token, ("username", username), ("password", "guess"))));
        Assert.All(answers, a => Assert.Contains((int)a.StatusCode, new[] { 401, 423 }));
        Assert.Equal((HttpStatusCode)423, (await app.ConsoleClient().SignInAsync(username, StaffConsole.Password)).StatusCode);
    }

    [Fact]
    public async Task A_good_password_after_a_few_bad_ones_resets_the_count()
    {
        var username = await app.AddStaffAsync("support");
        var client = app.ConsoleClient();
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await client.SignInAsync(username, "nope")).StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await client.SignInAsync(username, StaffConsole.Password)).StatusCode);
        Assert.Equal(0, await app.QueryScalarAsync<int>("SELECT count(*) FROM staff_login_failures WHERE username = @username", new { username }));
    }

    [Fact]
    public async Task Unknown_users_get_the_same_answer_as_wrong_passwords()
    {
        var response = await app.ConsoleClient().SignInAsync("nobody-here", "whatever it is");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.HtmlAsync());
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_the_login_page_and_wrong_roles_get_a_403_page()
    {
        var anonymous = app.ConsoleClient();
        var redirect = await anonymous.GetAsync("/console/review");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("http://localhost/console/login?ReturnUrl=%2Fconsole%2Freview", redirect.Headers.Location!.ToString());

        var (support, _) = await app.StaffAsync("support");
        var forbidden = await support.GetAsync("/console/review");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("text/html", forbidden.Content.Headers.ContentType?.MediaType);
        Assert.Contains("无权访问", await forbidden.HtmlAsync());
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync("/console/support")).StatusCode);

        var (reviewer, _) = await app.StaffAsync("reviewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("/console/support")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync("/console/review")).StatusCode);

        var (admin, _) = await app.StaffAsync("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/console/review")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/console/support")).StatusCode);
    }

    [Fact]
    public async Task The_console_cookie_and_the_api_bearer_token_do_not_open_each_others_doors()
    {
        var (reviewer, _) = await app.StaffAsync("reviewer");
        await (await reviewer.GetAsync("/api/v1/orders")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var user = await app.LoginAsync();
        var bearer = app.CreateClient(new() { AllowAutoRedirect = false });
        bearer.DefaultRequestHeaders.Authorization = user.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await bearer.GetAsync("/console/review")).StatusCode);
    }

    [Fact]
    public async Task Posts_without_the_antiforgery_token_are_refused()
    {
        var (_, orderId, _) = await app.SubmittedFreeOrderAsync();
        var (reviewer, _) = await app.StaffAsync("reviewer");
        var noToken = await reviewer.PostFormAsync($"/console/review/{orderId}/decide", null, ("decision", "approve"), ("attempt", "1"));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        var wrongToken = await reviewer.PostFormAsync($"/console/review/{orderId}/decide", "CfDJ8forged", ("decision", "approve"), ("attempt", "1"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongToken.StatusCode);
        // A token minted for someone else's session does not work either.
        var (other, _) = await app.StaffAsync("reviewer");
        var othersToken = await other.TokenAsync("/console/review");
        Assert.Equal(HttpStatusCode.BadRequest,
            (await reviewer.PostFormAsync($"/console/review/{orderId}/decide", othersToken, ("decision", "approve"), ("attempt", "1"))).StatusCode);
        Assert.Equal("submitted", await app.StatusAsync(orderId));
        var login = await app.ConsoleClient().PostFormAsync("/console/login", null, ("username", "x"), ("password", "y"));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var (reviewer, _) = await app.StaffAsync("reviewer");
        var token = await reviewer.TokenAsync("/console/review");
        Assert.Equal(HttpStatusCode.SeeOther, (await reviewer.PostFormAsync("/console/logout", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.GetAsync("/console/review")).StatusCode);
    }
}

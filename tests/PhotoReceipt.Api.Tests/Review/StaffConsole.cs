using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Api.Tests.Review;

/// <summary>What a member of staff does in the console, over HTTP with cookies, as test steps.</summary>
public static partial class StaffConsole
{
    public const string Password = "correct horse battery staple";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>A cookie-keeping client that does not follow redirects, so tests see 302/303 themselves.</summary>
    public static HttpClient ConsoleClient(this ApiFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    public static async Task<string> AddStaffAsync(this ApiFactory app, string role, string? username = null)
    {
        username ??= $"{role}-{Guid.NewGuid().ToString("N")[..8]}";
        Assert.True(await app.Services.GetRequiredService<StaffStore>().AddAsync(username, Password, role, CancellationToken.None));
        return username;
    }

    /// <summary>A new account of the role, signed in.</summary>
    public static async Task<(HttpClient Client, string Username)> StaffAsync(this ApiFactory app, string role)
    {
        var username = await app.AddStaffAsync(role);
        var client = app.ConsoleClient();
        var response = await client.SignInAsync(username, Password);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return (client, username);
    }

    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string username, string password) =>
        await client.PostFormAsync("/console/login", await client.TokenAsync("/console/login"), ("username", username), ("password", password));

    /// <summary>The antiforgery token from any console page (every signed-in page has the logout form).</summary>
    public static async Task<string> TokenAsync(this HttpClient client, string page)
    {
        var html = await (await client.GetAsync(page)).Content.ReadAsStringAsync();
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {page}");
        return match.Groups[1].Value;
    }

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, string? token, params (string Name, string Value)[] fields)
    {
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (token is not null) all.Add(new("__RequestVerificationToken", token));
        return await client.PostAsync(path, new FormUrlEncodedContent(all));
    }

    /// <summary>Opens the order in the review desk (claiming it) and posts the decision from that page's form.</summary>
    public static async Task<HttpResponseMessage> DecideAsync(this HttpClient reviewer, Guid orderId, string decision, params (string Name, string Value)[] more)
    {
        var page = await reviewer.GetAsync($"/console/review/{orderId}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        var attempt = Regex.Match(html, "name=\"attempt\" value=\"(\\d+)\"").Groups[1].Value;
        return await reviewer.PostFormAsync($"/console/review/{orderId}/decide", TokenPattern().Match(html).Groups[1].Value,
            [("decision", decision), ("attempt", attempt), .. more]);
    }

    public static async Task<string> HtmlAsync(this HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    /// <summary>A free order (photo only) whose submission job has run: it sits in the review queue.</summary>
    public static async Task<(HttpClient User, Guid OrderId, string OrderNo)> SubmittedFreeOrderAsync(this ApiFactory app, string? idNumber = null,
        string name = "张三", string phone = "13812345678")
    {
        var user = await app.LoginAsync();
        var photoId = await user.ProcessedPhotoAsync(app, "photo-1in");
        var created = await user.PostOrderAsync(ApiClient.OrderBody(photoId, "photo-1in", idNumber, name, phone));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await created.JsonAsync();
        Assert.Equal("queued", order.GetProperty("status").GetString());
        await app.RunJobsAsync();
        var id = order.GetProperty("id").GetGuid();
        Assert.Equal("submitted", await app.StatusAsync(id));
        return (user, id, order.GetProperty("orderNo").GetString()!);
    }

    public static async Task<string> StatusAsync(this ApiFactory app, Guid orderId) =>
        await app.QueryScalarAsync<string>("SELECT status FROM orders WHERE id = @orderId", new { orderId });

    public static async Task<T> QueryScalarAsync<T>(this ApiFactory app, string sql, object? args = null)
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        return (await conn.ExecuteScalarAsync<T>(sql, args))!;
    }

    public static async Task<List<T>> QueryAsync<T>(this ApiFactory app, string sql, object? args = null)
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        return (await conn.QueryAsync<T>(sql, args)).AsList();
    }

    public static async Task<JsonElement> OrderAsync(this HttpClient user, Guid orderId)
    {
        var response = await user.GetAsync($"/api/v1/orders/{orderId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}

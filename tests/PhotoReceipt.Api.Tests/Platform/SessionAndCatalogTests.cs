using System.Net;
using System.Net.Http.Json;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Platform;

public sealed class SessionAndCatalogTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Login_returns_an_opaque_token_that_authenticates_later_calls()
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/session", new { code = "code-a" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var token = body.GetProperty("token").GetString()!;
        Assert.True(token.Length >= 43, token);
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6));
        Assert.False(body.TryGetProperty("sessionKey", out _));
        Assert.DoesNotContain("session", (await response.Content.ReadAsStringAsync()).Replace("expiresAt", ""), StringComparison.OrdinalIgnoreCase);

        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var list = await client.GetAsync("/api/v1/orders");
        Assert.True(list.StatusCode == HttpStatusCode.OK, await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_retried_code_logs_in_the_same_user_and_a_new_code_maps_to_the_same_openid()
    {
        var a1 = await app.LoginAsync("same-code");
        var a2 = await app.LoginAsync("same-code");
        var b = await app.LoginAsync("other-code");
        var photo = await a1.ProcessedPhotoAsync(app);
        // The photo belongs to the user behind both tokens of "same-code", not to the other user.
        Assert.Equal(HttpStatusCode.OK, (await a2.GetAsync($"/api/v1/photos/{photo}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/api/v1/photos/{photo}")).StatusCode);
    }

    [Fact]
    public async Task Calls_without_a_valid_token_get_401_problem()
    {
        var client = app.CreateClient();
        await (await client.GetAsync("/api/v1/orders")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        client.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-real-token");
        await (await client.GetAsync("/api/v1/orders")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Login_without_a_code_is_a_validation_problem_in_chinese()
    {
        var client = app.CreateClient();
        var body = await (await client.PostAsJsonAsync("/api/v1/session", new { code = "" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("code", body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        await (await client.PostAsync("/api/v1/session", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/v1/session", new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Products_list_every_catalog_product_with_its_spec()
    {
        var client = app.CreateClient();
        var body = await (await client.GetAsync("/api/v1/products")).JsonAsync();
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(26, items.Count);
        var sz = items.Single(i => i.GetProperty("id").GetString() == "residence-permit-shenzhen");
        Assert.Equal("cn-id-card", sz.GetProperty("specId").GetString());
        Assert.Equal(180, sz.GetProperty("validityDays").GetInt32());
        Assert.Equal(358, sz.GetProperty("spec").GetProperty("widthPx").GetInt32());
        Assert.Equal(["white"], sz.GetProperty("backgrounds").EnumerateArray().Select(b => b.GetString()));
        var ee = await (await client.GetAsync("/api/v1/products/exit-entry-guangdong")).JsonAsync();
        Assert.Equal(472, ee.GetProperty("spec").GetProperty("heightPx").GetInt32());
        await (await client.GetAsync("/api/v1/products/no-such-thing")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Health_readiness_and_openapi_are_served()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var openapi = await (await client.GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = openapi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/orders", paths);
        Assert.Contains("/api/v1/photos", paths);
        Assert.Contains("/api/v1/session", paths);
    }

    [Fact]
    public async Task Unknown_routes_answer_problem_json()
    {
        var client = await app.LoginAsync();
        await (await client.GetAsync("/api/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/orders/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}

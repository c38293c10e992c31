using System.Net;
using System.Text.Json;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Platform;

/// <summary>Production with what production needs configured: no API reference UI there.</summary>
public sealed class ProductionApiFactory : ApiFactory
{
    protected override string EnvironmentName => "Production";
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Files:PublicBaseUrl", "https://api.example.com")];
}

/// <summary>
/// The mini-program's contract as OpenAPI tells it: every 4xx a route can answer is listed with a
/// problem+json body, so the generated client knows each one.
/// </summary>
public sealed class ApiSurfaceTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/v1/orders", "post", "201 400 401 404 409 413 422")]
    [InlineData("/api/v1/orders", "get", "200 400 401")]
    [InlineData("/api/v1/orders/{id}", "get", "200 401 404")]
    [InlineData("/api/v1/orders/{id}/cancel", "post", "200 401 404 409 413")]
    [InlineData("/api/v1/orders/{id}/retake", "post", "200 400 401 404 409 413 422")]
    [InlineData("/api/v1/orders/{id}/receipt", "get", "200 401 404 409 410")]
    [InlineData("/api/v1/photos", "post", "202 400 401 403 413 415 429")]
    [InlineData("/api/v1/photos/{id}/derive", "post", "202 400 401 403 404 409 410 413 429")]
    [InlineData("/api/v1/consents", "post", "200 400 401 409 413")]
    [InlineData("/api/v1/consents/{kind}", "delete", "200 401 404")]
    [InlineData("/api/v1/photos/{id}", "get", "200 401 404")]
    [InlineData("/api/v1/session", "post", "200 400 403 413 429 503")]
    [InlineData("/api/v1/products/{id}", "get", "200 404")]
    [InlineData("/api/v1/subscriptions", "post", "200 400 401 413")]
    public async Task Every_answer_a_route_can_give_is_in_the_OpenAPI_document(string path, string method, string statuses)
    {
        using var doc = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var responses = doc.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");
        Assert.Equal(statuses.Split(' '), responses.EnumerateObject().Select(r => r.Name).Order());
        foreach (var problem in responses.EnumerateObject().Where(r => r.Name[0] == '4' || r.Name[0] == '5'))
            Assert.True(problem.Value.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {problem.Name} is problem+json");
    }

    [Fact]
    public async Task The_API_reference_is_served_at_scalar_in_Development()
    {
        var response = await app.CreateClient().GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The page loads its script from beside it and reads the document the API publishes (a path relative to the site's root).
        Assert.Equal("/scalar/", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("\"url\":\"openapi/v1.json\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/scalar/scalar.js")).StatusCode);
    }
}

public sealed class ProductionSurfaceTests(ProductionApiFactory app) : IClassFixture<ProductionApiFactory>
{
    [Fact]
    public async Task Production_publishes_the_OpenAPI_document_but_not_the_reference_UI()
    {
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/scalar")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
    }
}

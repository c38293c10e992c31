using System.Net;
using System.Text.Json;

namespace PhotoReceipt.Api.Tests.Support;

public static class Problems
{
    /// <summary>Asserts an RFC 9457 problem with the status and a Chinese detail; returns the body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains(detail, c => c >= 0x4E00 && c <= 0x9FFF);
        Assert.True(body.TryGetProperty("traceId", out _), "problem has a traceId");
        return body;
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Telemetry;

/// <summary>The built API as its own process, so what it writes to the console is what a log collector reads.</summary>
public sealed class JsonLogTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private static readonly KeyValuePair<string, string?>[] Verbose =
    [
        new("Logging:LogLevel:Default", "Information"),
        new("Logging:LogLevel:Microsoft.AspNetCore", "Information"),
        new("Files:PublicBaseUrl", "https://api.example.com"),
    ];

    [Fact]
    public async Task Outside_Development_every_console_line_is_a_JSON_object_carrying_the_request_trace_and_no_personal_data()
    {
        await using var api = await ApiProcess.StartAsync(_database.ConnectionString, Verbose, environment: "Production");
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            // Refused (no session), but the body carries personal data a careless log would print.
            Content = JsonContent.Create(ApiClient.OrderBody(Guid.NewGuid(), name: "欧阳娜娜", phone: "13912345678", idNumber: TestIds.Valid())),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        await http.SendAsync(request);
        var output = await OutputWhenAsync(api, o => o.Contains("Request finished", StringComparison.Ordinal));

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(entries, e =>
        {
            Assert.True(e.TryGetProperty("Timestamp", out _));
            Assert.True(e.TryGetProperty("LogLevel", out _));
            Assert.True(e.TryGetProperty("Category", out _));
            Assert.True(e.TryGetProperty("Message", out _));
        });
        var started = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.StartsWith("Request starting", StringComparison.Ordinal)
            && e.GetProperty("Message").GetString()!.Contains("/api/v1/orders", StringComparison.Ordinal));
        Assert.Contains(started.GetProperty("Scopes").EnumerateArray(),
            s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var t) && t.GetString() == traceId.ToString());
        Assert.DoesNotContain("欧阳娜娜", output, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestIds.Valid(), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_keeps_the_simple_console()
    {
        await using var api = await ApiProcess.StartAsync(_database.ConnectionString, Verbose);
        var output = await OutputWhenAsync(api, o => o.Contains("Application started", StringComparison.Ordinal));
        Assert.Contains("info: Microsoft.Hosting.Lifetime", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"LogLevel\"", output, StringComparison.Ordinal);
    }

    /// <summary>The process's output once <paramref name="done"/> holds (console logging is asynchronous).</summary>
    private static async Task<string> OutputWhenAsync(ApiProcess api, Func<string, bool> done)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(15); !done(api.Output) && DateTime.UtcNow < deadline;)
            await Task.Delay(100);
        return api.Output;
    }
}

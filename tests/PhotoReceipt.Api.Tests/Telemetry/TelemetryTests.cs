using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Trace;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;
using PhotoReceipt.Worker.Jobs;

namespace PhotoReceipt.Api.Tests.Telemetry;

/// <summary>
/// The app with both exporters on, as production runs it: a Prometheus endpoint on a port of its
/// own, and traces for an OTLP collector (nothing listens at the address: the spans are read from
/// an in-memory exporter added beside it). The real pipeline, so the stage timings are real.
/// </summary>
public sealed class TelemetryApiFactory : ApiFactory
{
    public int MetricsPort { get; } = LoopbackPort.Free();
    public List<Activity> Spans { get; } = [];

    protected override bool UseRealPipeline => true;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Telemetry:PrometheusPort", MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Telemetry:PrometheusHost", "127.0.0.1"),
        new("Telemetry:OtlpEndpoint", "http://127.0.0.1:9"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans)));
    }

    public Activity[] SpansOf(ActivityTraceId traceId)
    {
        lock (Spans) return [.. Spans.Where(s => s.TraceId == traceId)];
    }
}

public sealed class TelemetryTests(TelemetryApiFactory app) : IClassFixture<TelemetryApiFactory>
{
    [Fact]
    public async Task A_job_runs_as_a_child_span_of_the_request_that_queued_it()
    {
        var client = await app.LoginAsync();
        var traceId = ActivityTraceId.CreateRandom();
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/photos?productId=residence-permit-shenzhen")
        {
            Content = ApiClient.PhotoForm(await File.ReadAllBytesAsync(RepoPaths.Portrait("test0.jpg"))),
        };
        upload.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await client.SendAsync(upload);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var photoId = (await response.JsonAsync()).GetProperty("id").GetGuid();

        await using (var db = new NpgsqlConnection(app.ConnectionString))
        {
            var stored = await db.QuerySingleAsync<string?>(
                "SELECT trace_parent FROM jobs WHERE kind = 'photo.process' AND payload->>'photoId' = @id", new { id = photoId.ToString() });
            Assert.StartsWith($"00-{traceId}-", stored, StringComparison.Ordinal);
        }
        await app.RunJobsAsync();

        var spans = app.SpansOf(traceId);
        var request = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("POST", StringComparison.Ordinal));
        var job = Assert.Single(spans, s => s.OperationName == "job photo.process");
        Assert.Equal(request.SpanId, job.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, job.Kind);
        Assert.Equal("succeeded", job.GetTagItem("job.outcome"));
        // The job's own database calls belong to the same trace.
        Assert.Contains(spans, s => s.ParentSpanId == job.SpanId && s.Source.Name == "Npgsql");
    }

    [Fact]
    public async Task The_metrics_endpoint_serves_our_instruments_after_a_photo_is_processed()
    {
        var client = await app.LoginAsync();
        await client.ProcessedPhotoAsync(app);
        // One more upload stays queued for the queue gauges to count.
        Assert.Equal(HttpStatusCode.Accepted, (await client.UploadAsync(await File.ReadAllBytesAsync(RepoPaths.Portrait("test0.jpg")))).StatusCode);
        await app.Services.GetRequiredService<JobQueueGauges>().SampleAsync(default);

        using var scraper = new HttpClient();
        var metrics = await scraper.GetStringAsync($"http://127.0.0.1:{app.MetricsPort}/metrics");

        Assert.Contains("photoreceipt_job_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Matches(@"photoreceipt_job_duration_seconds_count\{[^}]*job_kind=""photo\.process""[^}]*job_outcome=""succeeded""", metrics);
        foreach (var stage in new[] { "decode", "faces", "encode" })
            Assert.Matches($@"photoreceipt_photo_stage_duration_seconds_count\{{[^}}]*photo_stage=""{stage}""", metrics);
        Assert.Matches(@"photoreceipt_photo_verdicts_total\{[^}]*photo_verdict=""(usable|unusable)""", metrics);
        Assert.Matches(@"photoreceipt_jobs\{[^}]*job_kind=""photo\.process""[^}]*job_state=""queued""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"photoreceipt_jobs\{[^}]*job_kind=""order\.submit""[^}]*job_state=""dead""[^}]*\} 0", metrics);
        Assert.Matches(@"photoreceipt_jobs_oldest_age_seconds\{[^}]*job_kind=""photo\.process""", metrics);
        // The platform's own: ASP.NET Core, Npgsql, the runtime.
        Assert.Contains("http_server_request_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Contains("db_client_", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", metrics, StringComparison.Ordinal);
    }
}

public sealed class TelemetryOffByDefaultTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    [Fact]
    public void Without_an_exporter_configured_no_tracer_or_meter_provider_runs()
    {
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>());
    }
}

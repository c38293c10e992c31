using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PhotoReceipt.Core.Telemetry;

namespace PhotoReceipt.ServiceDefaults;

/// <summary>What the API and the worker hosts set up alike: console logging and OpenTelemetry.</summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, string serviceName) where TBuilder : IHostApplicationBuilder
    {
        builder.AddConsoleLogging();
        builder.AddTelemetry(serviceName);
        return builder;
    }

    /// <summary>
    /// One JSON object per line outside Development, for a log collector: timestamp, level,
    /// category, message, the template's values and the scopes, among them the trace and span ids
    /// that tie a line to its request or job. Development keeps the simple console. Personal data
    /// is masked where it is logged (PersonalDataMasks) whatever the format.
    /// </summary>
    public static TBuilder AddConsoleLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Environment.IsDevelopment()) return builder;
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            // Chinese messages as they are, not \u escapes; JSON syntax is still escaped.
            o.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });
        return builder;
    }

    /// <summary>
    /// Traces (ASP.NET Core, HttpClient, Npgsql, our jobs) and metrics (the same plus the .NET runtime
    /// and ours, <see cref="PhotoReceiptTelemetry"/>), exported as Telemetry:* says; with no exporter
    /// configured nothing listens and the instruments cost nothing.
    /// </summary>
    public static TBuilder AddTelemetry<TBuilder>(this TBuilder builder, string serviceName) where TBuilder : IHostApplicationBuilder
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.Metrics && !options.Traces) return builder;

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName ?? serviceName, serviceInstanceId: Environment.MachineName));
        if (options.Traces)
        {
            otel.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio)))
                .AddSource(PhotoReceiptTelemetry.JobsSourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(o => Otlp(o, options)));
        }
        if (options.Metrics)
        {
            otel.WithMetrics(metrics =>
            {
                metrics.AddMeter(PhotoReceiptTelemetry.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)) metrics.AddOtlpExporter(o => Otlp(o, options));
                if (options.PrometheusPort > 0) metrics.AddPrometheusExporter();
            });
        }
        if (options.PrometheusPort > 0)
            builder.Services.AddHostedService(sp => new PrometheusEndpoint(sp.GetRequiredService<MeterProvider>(), options));
        return builder;
    }

    private static void Otlp(OtlpExporterOptions o, TelemetryOptions options)
    {
        o.Endpoint = new Uri(options.OtlpEndpoint!);
        o.Protocol = options.OtlpProtocol.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }

    /// <summary>Load-balancer and kubelet probes every few seconds would drown the traces.</summary>
    private static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}

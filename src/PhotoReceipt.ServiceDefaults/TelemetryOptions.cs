namespace PhotoReceipt.ServiceDefaults;

/// <summary>Where traces and metrics go. Nothing is collected unless an exporter is configured.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>service.name on every span and metric; defaults to photoreceipt-api or photoreceipt-worker.</summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// An OpenTelemetry collector, e.g. http://otel-collector:4317 (gRPC) or http://otel-collector:4318
    /// (with <see cref="OtlpProtocol"/> http/protobuf). Set, traces and metrics are exported there.
    /// The standard OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_TIMEOUT apply.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>grpc or http/protobuf.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// A Prometheus scrape endpoint, http://<see cref="PrometheusHost"/>:PORT/metrics, on a port of its
    /// own (never the app's: the public API does not serve metrics). 0 = off.
    /// </summary>
    public int PrometheusPort { get; set; }

    /// <summary>The address the scrape endpoint listens on: * for every IPv4 interface (a scraper in another pod), localhost for this host only, or an address.</summary>
    public string PrometheusHost { get; set; } = "*";

    /// <summary>Share of new traces kept (0–1); a trace whose caller sampled it is always kept.</summary>
    public double TraceSampleRatio { get; set; } = 1;

    public bool Metrics => !string.IsNullOrWhiteSpace(OtlpEndpoint) || PrometheusPort > 0;

    public bool Traces => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}

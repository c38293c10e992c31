using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace PhotoReceipt.ServiceDefaults;

/// <summary>
/// /metrics for Prometheus on <see cref="TelemetryOptions.PrometheusPort"/>, served by a Kestrel of its
/// own: the same in the API and in the worker (which has no web server), and never on the app's
/// port, so the public API cannot be scraped and the app's middleware never sees a scrape.
/// </summary>
internal sealed class PrometheusEndpoint(MeterProvider meterProvider, TelemetryOptions options) : IHostedService, IAsyncDisposable
{
    private WebApplication? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The empty builder reads no configuration: ASPNETCORE_URLS and --urls belong to the app.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(Address(options.PrometheusHost), options.PrometheusPort));
        _server = builder.Build();
        _server.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider, predicate: null, path: "/metrics",
            configureBranchedPipeline: null, optionsName: null);
        await _server.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private static IPAddress Address(string host) => host switch
    {
        "*" or "+" or "0.0.0.0" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.Parse(host),
    };
}

using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using PhotoReceipt.Data.Blobs;

namespace PhotoReceipt.Api.Platform;

/// <summary>Section <c>ForwardedHeaders</c>: the TLS proxies whose X-Forwarded-For/Proto we believe.</summary>
public sealed class ProxyOptions
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Proxy addresses (e.g. 127.0.0.1 for a proxy on this host). Empty: nobody's headers are believed.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation (e.g. 10.0.0.0/8 for a load balancer pool).</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>
/// Behind the TLS proxy the README requires, the client's address and scheme come from
/// X-Forwarded-For/Proto, but only when the request came from a configured proxy: anyone else could
/// claim any address (dodging rate limits and lockouts) or https (cookies marked Secure over http).
/// </summary>
public static class ProxySetup
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxies) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; only what is configured is trusted here.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Value.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in proxies.Value.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        services.AddSingleton<IValidateOptions<FilesOptions>, PublicBaseUrlRequired>();
        services.AddOptions<FilesOptions>().ValidateOnStart();
        return services;
    }

    /// <summary>Signed URLs must never be built from a Host header a caller chose: outside Development the base URL is configuration.</summary>
    private sealed class PublicBaseUrlRequired(IHostEnvironment environment) : IValidateOptions<FilesOptions>
    {
        public ValidateOptionsResult Validate(string? name, FilesOptions options)
        {
            if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl))
                return Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? ValidateOptionsResult.Success
                    : ValidateOptionsResult.Fail("Files:PublicBaseUrl must be an absolute http(s) URL, e.g. https://api.example.com.");
            return environment.IsDevelopment()
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Files:PublicBaseUrl is required outside Development (signed download URLs must not follow the Host header).");
        }
    }
}

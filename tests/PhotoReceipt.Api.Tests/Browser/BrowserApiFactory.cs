using System.Net;
using System.Net.Sockets;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Browser;

/// <summary>
/// The app on a real loopback port (Kestrel), because a browser cannot reach WebApplicationFactory's
/// in-memory TestServer. Test clients from <see cref="Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory{T}.CreateClient()"/> go over the same socket.
/// The port is chosen before the app starts: signed URLs name the origin from configuration.
/// </summary>
public sealed class BrowserApiFactory : ApiFactory
{
    private readonly int _port = FreePort();

    public string BaseUrl => $"http://127.0.0.1:{_port}";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Files:PublicBaseUrl", BaseUrl)];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(options => options.Listen(IPAddress.Loopback, _port));
        StartServer();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Browser;

/// <summary>
/// The app on a real loopback port (Kestrel), because a browser cannot reach WebApplicationFactory's
/// in-memory TestServer. Test clients from <see cref="Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory{T}.CreateClient()"/> go over the same socket.
/// The port is chosen before the app starts: signed URLs name the origin from configuration.
/// </summary>
public class BrowserApiFactory : ApiFactory
{
    private readonly int _port = LoopbackPort.Free();

    public string BaseUrl => $"http://127.0.0.1:{_port}";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Files:PublicBaseUrl", BaseUrl)];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(options => options.Listen(IPAddress.Loopback, _port));
        StartServer();
    }
}

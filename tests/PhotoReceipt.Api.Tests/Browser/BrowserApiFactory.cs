using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Browser;

/// <summary>
/// The app on a real loopback port (Kestrel), because a browser cannot reach WebApplicationFactory's
/// in-memory TestServer. Test clients from <see cref="Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory{T}.CreateClient()"/> go over the same socket.
/// </summary>
public class BrowserApiFactory : ApiFactory
{
    public string BaseUrl { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace PhotoReceipt.Api.Tests.Support;

/// <summary>
/// TestServer has no TCP peer; <c>X-Test-Peer: 198.51.100.1</c> plays the address the connection
/// came from (a client, or a proxy in front of one), before any of the app's middleware runs.
/// </summary>
public sealed class TestPeer : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextMiddleware) =>
        {
            if (IPAddress.TryParse(http.Request.Headers[Header].ToString(), out var peer)) http.Connection.RemoteIpAddress = peer;
            return nextMiddleware(http);
        });
        next(app);
    };
}

/// <summary>The system clock moved forward by hand, so that everything else keeps real time semantics.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

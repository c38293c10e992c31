using System.Net;
using System.Net.Sockets;

namespace PhotoReceipt.Testing;

/// <summary>A loopback port free right now (bound to port 0, then released) for a server a test starts.</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

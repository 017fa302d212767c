using System.Net;
using System.Net.Sockets;

namespace MarketPulse.Testing;

/// <summary>Loopback ports for the servers the tests start.</summary>
public static class Loopback
{
    /// <summary>A TCP port free on 127.0.0.1 now (the OS's pick; a server started right after gets it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

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

    /// <summary>Waits until something listens on the port; on timeout the message ends with <paramref name="diagnostics"/>
    /// (e.g. the starting server's output).</summary>
    public static async Task WaitForPortAsync(int port, Func<string> diagnostics, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.True(async () =>
            {
                try
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync(IPAddress.Loopback, port);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, $"port {port} to listen", timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{diagnostics()}", e);
        }
    }
}

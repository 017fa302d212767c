using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Testing;

/// <summary>
/// A real websocket server (Kestrel) on a free loopback port that plays a script per connection: recorded frames,
/// malformed ones, fragments sent slowly, silence, abrupt disconnects. What clients send is kept for assertions.
/// </summary>
public sealed class FrameServer : IAsyncDisposable
{
    public delegate Task Script(WebSocket socket, int connection, FrameServer server, CancellationToken aborted);

    private readonly WebApplication _app;
    private int _connections;

    private FrameServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;
    public int Connections => Volatile.Read(ref _connections);
    public ConcurrentQueue<(int Connection, string Text)> Received { get; } = new();

    public static async Task<FrameServer> StartAsync(Script script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FrameServer(app);
        app.UseWebSockets();
        app.Map("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var n = Interlocked.Increment(ref server._connections);
            try { await script(socket, n, server, context.RequestAborted); }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException) { }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("http://", "ws://") + "/ws");
        return server;
    }

    public static string FramesFile(string name) => Path.Combine(AppContext.BaseDirectory, "Recordings", "Frames", name);

    public static Task SendAsync(WebSocket socket, string text, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);

    /// <summary>Replays a recorded session: one frame per line.</summary>
    public static async Task SendFramesAsync(WebSocket socket, string file, CancellationToken ct)
    {
        foreach (var line in await File.ReadAllLinesAsync(FramesFile(file), ct))
            if (line.Length > 0) await SendAsync(socket, line, ct);
    }

    /// <summary>One text message as a slow server sends it: in <paramref name="pieces"/> fragments with pauses.</summary>
    public static async Task SendSlowlyAsync(WebSocket socket, string text, int pieces, TimeSpan pause, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var size = (bytes.Length + pieces - 1) / pieces;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var count = Math.Min(size, bytes.Length - offset);
            await socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, ct);
            await Task.Delay(pause, ct);
        }
    }

    public async Task<string> ReceiveAsync(WebSocket socket, int connection, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (true)
        {
            var r = await socket.ReceiveAsync(buffer, ct);
            if (r.MessageType == WebSocketMessageType.Close) throw new WebSocketException("client closed");
            text.Append(Encoding.UTF8.GetString(buffer, 0, r.Count));
            if (r.EndOfMessage) break;
        }
        Received.Enqueue((connection, text.ToString()));
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

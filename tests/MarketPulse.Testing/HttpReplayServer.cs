using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Testing;

/// <summary>One request as the server saw it: when, what, and the headers the sources must send.</summary>
public sealed record SeenRequest(int Number, DateTime AtUtc, string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// A real HTTP server (Kestrel) on a free loopback port that answers each request with a script: recorded documents from
/// <c>Recordings/Responses</c>, status codes with Retry-After or rate-limit headers, slow answers, endless streams.
/// Every request is logged (with its arrival time) so tests can count them and check their headers.
/// </summary>
public sealed class HttpReplayServer : IAsyncDisposable
{
    public delegate Task Script(HttpContext context, SeenRequest request);

    private readonly WebApplication _app;
    private int _count;

    private HttpReplayServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public IReadOnlyList<SeenRequest> RequestsTo(string pathPrefix) =>
        Requests.Where(r => r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal)).OrderBy(r => r.Number).ToList();

    public static async Task<HttpReplayServer> StartAsync(Script script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new HttpReplayServer(app);
        app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var seen = new SeenRequest(Interlocked.Increment(ref server._count), DateTime.UtcNow, context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body);
            server.Requests.Enqueue(seen);
            try { await script(context, seen); }
            catch (Exception ex) when (ex is OperationCanceledException or IOException) { }
        });
        await app.StartAsync();
        server.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public static string ResponseFile(string name) => Path.Combine(AppContext.BaseDirectory, "Recordings", "Responses", name);

    /// <summary>A recorded document with its content type; <paramref name="headers"/> adds e.g. ETag.</summary>
    public static async Task SendFileAsync(HttpContext context, string name, string contentType, params (string Name, string Value)[] headers)
    {
        context.Response.ContentType = contentType;
        foreach (var (n, v) in headers) context.Response.Headers[n] = v;
        await context.Response.SendFileAsync(ResponseFile(name));
    }

    public static Task StatusAsync(HttpContext context, int status, params (string Name, string Value)[] headers)
    {
        context.Response.StatusCode = status;
        foreach (var (n, v) in headers) context.Response.Headers[n] = v;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

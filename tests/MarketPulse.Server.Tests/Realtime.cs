using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace MarketPulse.Server.Tests;

/// <summary>A real SignalR client on <c>/hubs/market</c> that records what the hub pushes.</summary>
public sealed class MarketHubClient : IAsyncDisposable
{
    private readonly HubConnection _connection;

    public Channel<JsonElement> Tickers { get; } = Channel.CreateUnbounded<JsonElement>();
    public Channel<JsonElement> Alerts { get; } = Channel.CreateUnbounded<JsonElement>();

    private MarketHubClient(HubConnection connection)
    {
        _connection = connection;
        connection.On<JsonElement>("TickerUpdated", e => Tickers.Writer.TryWrite(e));
        connection.On<JsonElement>("AlertFired", e => Alerts.Writer.TryWrite(e));
    }

    /// <param name="key">An API key or token, sent as SignalR does for websockets (the <c>access_token</c> query parameter).</param>
    public static async Task<MarketHubClient> ConnectAsync(Uri baseAddress, string? key = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/market"), o => { if (key is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(key); })
            .Build();
        var client = new MarketHubClient(connection);
        await connection.StartAsync();
        return client;
    }

    public Task<string[]> SubscribeAsync(params string[] symbols) => _connection.InvokeAsync<string[]>("Subscribe", symbols);

    public Task<string[]> UnsubscribeAsync(params string[] symbols) => _connection.InvokeAsync<string[]>("Unsubscribe", symbols);

    /// <summary>Reads pushes until one matches, or fails after <paramref name="seconds"/>.</summary>
    public static async Task<JsonElement> WaitForAsync(Channel<JsonElement> channel, Func<JsonElement, bool> match, int seconds = 20)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var e = await channel.Reader.ReadAsync(cts.Token);
                if (match(e)) return e;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching push within {seconds} s");
        }
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}

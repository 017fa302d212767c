using MarketPulse.Abstractions.Alerts;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Ingestion.Validation;
using Microsoft.AspNetCore.SignalR;

namespace MarketPulse.Server.Realtime;

/// <summary>A ticker's new state as pushed to clients (the same snapshot <c>GET /api/tickers/{symbol}</c> shows as <c>ticker</c>).</summary>
public sealed record TickerPush(string Symbol, TickerSnapshot Ticker, SignalPrediction? Ensemble, DateTime PushedAtUtc);

/// <summary>What the hub calls on its clients.</summary>
public interface IMarketClient
{
    Task TickerUpdated(TickerPush update);

    Task AlertFired(AlertNotification alert);
}

/// <summary>
/// <c>/hubs/market</c>: clients subscribe to symbols (SignalR groups) and then receive <c>tickerUpdated</c> whenever
/// such a ticker's state changes. The symbol <c>*</c> subscribes to every ticker (the overview page). Alerts are a
/// principal's own: <c>alertFired</c> goes to the connections of the rule's owner and of admins, whatever they subscribed to.
/// Connections authenticate like requests (an API key or token in the <c>access_token</c> query for websockets).
/// </summary>
public sealed class MarketHub(HubConnectionCounter connections, Microsoft.Extensions.Options.IOptionsMonitor<MarketPulse.Server.Hosting.MarketPulseOptions> options)
    : Hub<IMarketClient>
{
    private const string CountedKey = "marketpulse.counted";

    public const string Path = "/hubs/market";
    public const string All = "*";
    public const int MaxSymbolsPerCall = 500;

    public const string AdminsGroup = "admins";

    public static string GroupFor(string symbol) => symbol == All ? "tickers:*" : "ticker:" + symbol;

    public static string OwnerGroup(string principal) => "owner:" + principal;

    /// <summary>
    /// An admin's connection joins the admins' group (every alert), anyone else's its principal's group (its own alerts):
    /// one group each, so no alert reaches a connection twice.
    /// </summary>
    public override async Task OnConnectedAsync()
    {
        if (Context.User is { } user && Security.Principals.IdOf(user) is { } id)
        {
            if (!connections.TryAdd(id, options.CurrentValue.Api.MaxConnectionsPerPrincipal))
            {
                Context.Abort();
                return;
            }
            Context.Items[CountedKey] = id;
            await Groups.AddToGroupAsync(Context.ConnectionId, Security.Principals.IsAdmin(user) ? AdminsGroup : OwnerGroup(id));
        }
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(CountedKey, out var id) && id is string principal) connections.Remove(principal);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Joins the symbols' groups; answers the normalised symbols. A malformed symbol fails the whole call with a message.</summary>
    public async Task<string[]> Subscribe(string[] symbols)
    {
        var normalized = Validate(symbols);
        foreach (var s in normalized) await Groups.AddToGroupAsync(Context.ConnectionId, GroupFor(s));
        return normalized;
    }

    public async Task<string[]> Unsubscribe(string[] symbols)
    {
        var normalized = Validate(symbols);
        foreach (var s in normalized) await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupFor(s));
        return normalized;
    }

    private static string[] Validate(string[]? symbols)
    {
        if (symbols is null || symbols.Length == 0) throw new HubException("symbols: give at least one symbol (or \"*\" for all)");
        if (symbols.Length > MaxSymbolsPerCall) throw new HubException($"symbols: at most {MaxSymbolsPerCall} per call");
        var result = new string[symbols.Length];
        for (var i = 0; i < symbols.Length; i++)
        {
            if (symbols[i] == All) { result[i] = All; continue; }
            result[i] = Symbols.Normalize(symbols[i]) ?? throw new HubException($"symbols[{i}]: '{symbols[i]}' is not a well-formed ticker symbol");
        }
        return result.Distinct(StringComparer.Ordinal).ToArray();
    }
}

/// <summary>Open hub connections per principal on this gateway (the cap is per gateway process).</summary>
public sealed class HubConnectionCounter
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    public bool TryAdd(string principal, int max)
    {
        lock (_open)
        {
            var n = _open.GetValueOrDefault(principal);
            if (n >= max) return false;
            _open[principal] = n + 1;
            return true;
        }
    }

    public void Remove(string principal)
    {
        lock (_open)
        {
            if (_open.TryGetValue(principal, out var n)) { if (n <= 1) _open.Remove(principal); else _open[principal] = n - 1; }
        }
    }

    public int Open(string principal)
    {
        lock (_open) return _open.GetValueOrDefault(principal);
    }
}

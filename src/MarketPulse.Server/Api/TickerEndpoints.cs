using System.Globalization;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Ingestion.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketPulse.Server.Api;

/// <summary>Everything the API knows about one ticker, composed from its three grains.</summary>
/// <param name="Forecasts">The next trading day's volatility, expected-move bands and volume forecast, the last scored one and the live score;
/// <c>intraday</c>: the same for the next 30 minutes of the session.</param>
public sealed record TickerDetail(string Symbol, TickerSnapshot Ticker, SentimentSnapshot Sentiment, EnsembleSnapshot Ensemble,
    ForecastSnapshot? Forecasts = null);

public static class TickerEndpoints
{
    public static RouteGroupBuilder MapTickerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tickers").WithTags("Tickers");
        group.MapGet("/", async (IGrainFactory grains) =>
                TypedResults.Ok(await grains.GetGrain<IMarketDirectoryGrain>(0).GetOverviewAsync()))
            .WithSummary("All tickers with last price, change, sentiment and the ensemble's call.");
        group.MapGet("/{symbol}", GetTickerAsync).WithSummary("Snapshot: price, indicators, sentiment, predictions and weights.");
        group.MapGet("/{symbol}/bars", GetBarsAsync).WithSummary("Bars of 1m or 1d with start in [from, to).");
        group.MapGet("/{symbol}/predictions", GetPredictionsAsync).WithSummary("Predictions with their realised outcome once known.");
        group.MapGet("/{symbol}/forecasts", GetForecastsAsync)
            .WithSummary("Volatility, expected-move and volume forecasts with target day in [from, to) and, once the day closed, how each fared.");
        group.MapGet("/{symbol}/indicators", GetIndicatorsAsync)
            .WithSummary("RSI 14 and MACD 12/26/9 of each closed trading day in [from, to), as the snapshot shows them for the last one.");
        group.MapGet("/{symbol}/posts", GetPostsAsync).WithSummary("The most recent scored texts, newest first.");
        return group;
    }

    private static async Task<Results<Ok<TickerDetail>, ProblemHttpResult>> GetTickerAsync(string symbol, IGrainFactory grains)
    {
        var (s, problem) = await ResolveAsync(symbol, grains);
        if (problem is not null) return problem;
        var ticker = grains.GetGrain<ITickerGrain>(s).GetSnapshotAsync();
        var sentiment = grains.GetGrain<ISentimentGrain>(s).GetSnapshotAsync();
        var ensemble = grains.GetGrain<IEnsembleGrain>(s).GetSnapshotAsync();
        var forecasts = grains.GetGrain<IForecastGrain>(s).GetSnapshotAsync();
        var intraday = grains.GetGrain<ITickerGrain>(s).GetIntradayAsync();
        await Task.WhenAll(ticker, sentiment, ensemble, forecasts, intraday);
        return TypedResults.Ok(new TickerDetail(s, ticker.Result, sentiment.Result, ensemble.Result, forecasts.Result with { Intraday = intraday.Result }));
    }

    private static async Task<Results<Ok<IReadOnlyList<BarDto>>, ProblemHttpResult>> GetBarsAsync(
        string symbol, IGrainFactory grains, string? interval, string? from, string? to)
    {
        interval ??= "1d";
        if (interval is not ("1m" or "1d")) return Bad("interval", "interval: must be 1m or 1d");
        if (!TryTime(from, out var f)) return Bad("from", "from: must be an ISO-8601 date or time");
        if (!TryTime(to, out var t)) return Bad("to", "to: must be an ISO-8601 date or time");
        var (s, problem) = await ResolveAsync(symbol, grains);
        if (problem is not null) return problem;
        return TypedResults.Ok(await grains.GetGrain<ITickerGrain>(s).GetBarsAsync(interval, f, t));
    }

    private static async Task<Results<Ok<IReadOnlyList<PredictionRecord>>, ProblemHttpResult>> GetPredictionsAsync(
        string symbol, IGrainFactory grains, string? from, string? to, string? signal)
    {
        if (!TryTime(from, out var f)) return Bad("from", "from: must be an ISO-8601 date or time");
        if (!TryTime(to, out var t)) return Bad("to", "to: must be an ISO-8601 date or time");
        var (s, problem) = await ResolveAsync(symbol, grains);
        if (problem is not null) return problem;
        return TypedResults.Ok(await grains.GetGrain<IEnsembleGrain>(s).GetPredictionsAsync(f, t, signal));
    }

    private static async Task<Results<Ok<IReadOnlyList<ForecastRecordDto>>, ProblemHttpResult>> GetForecastsAsync(
        string symbol, IGrainFactory grains, string? from, string? to)
    {
        if (!TryTime(from, out var f)) return Bad("from", "from: must be an ISO-8601 date or time");
        if (!TryTime(to, out var t)) return Bad("to", "to: must be an ISO-8601 date or time");
        var (s, problem) = await ResolveAsync(symbol, grains);
        if (problem is not null) return problem;
        return TypedResults.Ok(await grains.GetGrain<IForecastGrain>(s).GetHistoryAsync(
            f is { } a ? DateOnly.FromDateTime(a) : null, t is { } b ? DateOnly.FromDateTime(b) : null));
    }

    private static async Task<Results<Ok<IReadOnlyList<IndicatorPoint>>, ProblemHttpResult>> GetIndicatorsAsync(
        string symbol, IGrainFactory grains, string? from, string? to)
    {
        if (!TryTime(from, out var f)) return Bad("from", "from: must be an ISO-8601 date or time");
        if (!TryTime(to, out var t)) return Bad("to", "to: must be an ISO-8601 date or time");
        var (s, problem) = await ResolveAsync(symbol, grains);
        if (problem is not null) return problem;
        // The snapshot first: a day that closes between the two reads is left out rather than shown half-way. The bars'
        // last entry is the forming day, which the indicators have not seen.
        var ticker = grains.GetGrain<ITickerGrain>(s);
        var lastClosed = (await ticker.GetSnapshotAsync()).LastClosedDay;
        if (lastClosed is null) return TypedResults.Ok<IReadOnlyList<IndicatorPoint>>([]);
        var bars = (await ticker.GetBarsAsync("1d", null, null)).Where(b => b.TradingDay <= lastClosed);
        return TypedResults.Ok(IndicatorSeries.Compute(bars,
            f is { } a ? DateOnly.FromDateTime(a) : null, t is { } b ? DateOnly.FromDateTime(b) : null));
    }

    private static async Task<Results<Ok<IReadOnlyList<ScoredPost>>, ProblemHttpResult>> GetPostsAsync(
        string symbol, IGrainFactory grains, string? limit)
    {
        var n = 20;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n is < 1 or > 500))
            return Bad("limit", "limit: must be an integer from 1 to 500");
        var (s, problem) = await ResolveAsync(symbol, grains);
        if (problem is not null) return problem;
        return TypedResults.Ok(await grains.GetGrain<ISentimentGrain>(s).GetPostsAsync(n));
    }

    /// <summary>Normalises the symbol; 400 when malformed, 404 when no data has ever arrived for it.</summary>
    private static async Task<(string Symbol, ProblemHttpResult? Problem)> ResolveAsync(string raw, IGrainFactory grains)
    {
        var symbol = Symbols.Normalize(raw);
        if (symbol is null) return ("", Bad("symbol", $"symbol: '{raw}' is not a well-formed ticker symbol"));
        if (!await grains.GetGrain<IMarketDirectoryGrain>(0).ContainsAsync(symbol))
            return (symbol, TypedResults.Problem($"No data for symbol '{symbol}'.", statusCode: 404, title: "Unknown symbol"));
        return (symbol, null);
    }

    private static ProblemHttpResult Bad(string field, string detail) =>
        TypedResults.Problem(detail, statusCode: 400, title: "Invalid request", extensions: new Dictionary<string, object?> { ["field"] = field });

    private static bool TryTime(string? s, out DateTime? value)
    {
        value = null;
        if (string.IsNullOrEmpty(s)) return true;
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)) return false;
        value = d.UtcDateTime;
        return true;
    }
}

using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Forecasting;
using MarketPulse.Grains.History;

namespace MarketPulse.Grains.Market;

[GenerateSerializer, Alias("marketpulse.directorystate")]
public sealed class DirectoryState
{
    [Id(0)] public SortedSet<string> Symbols { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The one list of symbols that have data (key 0), and the cross-ticker views the API lists. Every ticker registers at
/// its first batch of an activation; the list is a <see cref="DeferredState{T}"/>, written every few seconds when it
/// changed rather than at each new symbol (a cold start of 10,000 symbols would otherwise write the growing list 10,000
/// times, one after the other, while every ticker waits its turn). A registration a crash loses is made again at that
/// ticker's next activation.
/// </summary>
public sealed class MarketDirectoryGrain(
    [PersistentState("directory", MarketPulseNames.GrainStorage)] IPersistentState<DirectoryState> state,
    Microsoft.Extensions.Logging.ILogger<MarketDirectoryGrain> logger)
    : Grain, IMarketDirectoryGrain
{
    private readonly DeferredState<DirectoryState> _symbols = new(state, logger);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _symbols.Start(this);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _symbols.OnDeactivateAsync(reason, cancellationToken);

    public Task RegisterAsync(string symbol)
    {
        if (state.State.Symbols.Add(symbol)) _symbols.MarkDirty();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetSymbolsAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Symbols]);

    public Task<bool> ContainsAsync(string symbol) => Task.FromResult(state.State.Symbols.Contains(symbol));

    public async Task<IReadOnlyList<TickerSummary>> GetOverviewAsync()
    {
        var rows = await Task.WhenAll(state.State.Symbols.Select(async symbol =>
        {
            var ticker = GrainFactory.GetGrain<ITickerGrain>(symbol).GetSnapshotAsync();
            var sentiment = GrainFactory.GetGrain<ISentimentGrain>(symbol).GetSnapshotAsync();
            var ensemble = GrainFactory.GetGrain<IEnsembleGrain>(symbol).GetSnapshotAsync();
            var forecasts = GrainFactory.GetGrain<IForecastGrain>(symbol).GetSnapshotAsync();
            await Task.WhenAll(ticker, sentiment, ensemble, forecasts);
            var t = ticker.Result;
            var latest = ensemble.Result.Latest?.Prediction;
            var next = forecasts.Result.Next ?? forecasts.Result.LastScored?.Forecast;
            return new TickerSummary(symbol, t.LastPrice, t.ChangePercent, t.LastTime,
                sentiment.Result.PostsInWindow > 0 ? sentiment.Result.Score : null, latest?.Direction, latest?.ProbabilityUp, t.TicksApplied,
                next?.ExpectedMove80, next?.Volatility, next is { VolumeRatio: var r } && double.IsFinite(r) ? r : null);
        }));
        return rows;
    }

    public async Task<ForecastScorecardDto> GetForecastTotalsAsync()
    {
        var cards = (await Task.WhenAll(state.State.Symbols.Select(s => GrainFactory.GetGrain<IForecastGrain>(s).GetSnapshotAsync())))
            .Select(s => s.Scorecard).ToList();
        var total = new ForecastScorecard();
        foreach (var c in cards)
        {
            total.Scored += c.Scored;
            total.QlikeSum += (c.MeanQlike ?? 0) * c.Scored;
            total.QlikeHarSum += (c.MeanQlikeHar ?? 0) * c.Scored;
            total.Hits80 += (long)Math.Round((c.Band80Coverage ?? 0) * c.Scored);
            total.Hits95 += (long)Math.Round((c.Band95Coverage ?? 0) * c.Scored);
            total.VolumeScored += c.VolumeScored;
            total.VolumeSquaredErrorSum += (c.VolumeMse ?? 0) * c.VolumeScored;
            total.VolumeSquaredErrorHarSum += (c.VolumeMseHar ?? 0) * c.VolumeScored;
            total.SkippedNoRange += c.SkippedNoRange;
        }
        return MarketPulse.Grains.Forecasts.ForecastGrain.Scorecard(total);
    }

    public async Task<IReadOnlyList<SignalStats>> GetSignalTotalsAsync()
    {
        var snapshots = await Task.WhenAll(state.State.Symbols.Select(s => GrainFactory.GetGrain<IEnsembleGrain>(s).GetSnapshotAsync()));
        return snapshots.SelectMany(s => s.Signals).GroupBy(s => s.Signal).Select(g =>
        {
            var scored = g.Sum(x => x.Scored);
            var hits = g.Sum(x => x.Hits);
            var brier = scored == 0 ? (double?)null : g.Sum(x => (x.Brier ?? 0) * x.Scored) / scored;
            var bins = g.SelectMany(x => x.Reliability).GroupBy(b => b.From).OrderBy(b => b.Key).Select(b =>
            {
                var n = b.Sum(x => x.Count);
                return new ReliabilityBinDto(b.Key, b.First().To, n, b.Sum(x => x.MeanForecast * x.Count) / n, b.Sum(x => x.ObservedFrequency * x.Count) / n);
            }).ToList();
            var meanWeight = g.Average(x => x.Weight);
            var coefficients = g.Where(x => x.Coefficient is not null).Select(x => x.Coefficient!.Value).ToList();
            return new SignalStats(g.Key, g.First().Kind, meanWeight, scored, hits, scored == 0 ? null : (double)hits / scored, brier, bins,
                coefficients.Count == 0 ? null : coefficients.Average());
        }).ToList();
    }
}

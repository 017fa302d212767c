using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;

namespace MarketPulse.Grains.Market;

[GenerateSerializer, Alias("marketpulse.directorystate")]
public sealed class DirectoryState
{
    [Id(0)] public SortedSet<string> Symbols { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The one list of symbols that have data (key 0), and the cross-ticker views the API lists.</summary>
public sealed class MarketDirectoryGrain(
    [PersistentState("directory", MarketPulseNames.GrainStorage)] IPersistentState<DirectoryState> state)
    : Grain, IMarketDirectoryGrain
{
    public async Task RegisterAsync(string symbol)
    {
        if (state.State.Symbols.Add(symbol)) await state.WriteStateAsync();
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
            await Task.WhenAll(ticker, sentiment, ensemble);
            var t = ticker.Result;
            var latest = ensemble.Result.Latest?.Prediction;
            return new TickerSummary(symbol, t.LastPrice, t.ChangePercent, t.LastTime,
                sentiment.Result.PostsInWindow > 0 ? sentiment.Result.Score : null, latest?.Direction, latest?.ProbabilityUp, t.TicksApplied);
        }));
        return rows;
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

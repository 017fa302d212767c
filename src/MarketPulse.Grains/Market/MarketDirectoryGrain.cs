using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Forecasting;
using MarketPulse.Grains.Hosting;

namespace MarketPulse.Grains.Market;

[GenerateSerializer, Alias("marketpulse.directorystate")]
public sealed class DirectoryState
{
    [Id(0)] public SortedSet<string> Symbols { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The one list of symbols that have data (key 0), and the cross-ticker views the API lists. Every ticker registers at
/// its first batch of an activation, and a registration returns once the list that holds it is written, so a directory
/// that fails over to another silo knows every ticker that registered. Writes are grouped: the registrations that arrive
/// while one write is under way share the next (<see cref="IMarketDirectoryGrain.RegisterAsync"/> interleaves), and
/// writes start at least <see cref="WriteSpacing"/> apart, so a cold start of 10,000 symbols is a few dozen writes, not
/// 10,000 in a row. Tickers do not wait for it in their batches; they retry a failed registration until it succeeds.
/// </summary>
public sealed class MarketDirectoryGrain(
    [PersistentState("directory", MarketPulseNames.GrainStorage)] IPersistentState<DirectoryState> state,
    TimeProvider time)
    : Grain, IMarketDirectoryGrain
{
    /// <summary>The least time from the start of one write to the next: a cold start's registrations then share a few
    /// writes of the whole list instead of one every few milliseconds.</summary>
    public static readonly TimeSpan WriteSpacing = TimeSpan.FromMilliseconds(200);

    private SortedSet<string> _symbols = null!;
    private TaskCompletionSource? _next;     // the write not yet started: the symbols added since the running one began
    private TaskCompletionSource? _running;  // the write under way
    private bool _unwritten;                 // a write failed: its symbols go with the next one, or at deactivation

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _symbols = new SortedSet<string>(state.State.Symbols, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unwritten && this.ShouldFlushOnDeactivate(reason)) await WriteAsync(cancellationToken);
    }

    public Task RegisterAsync(string symbol)
    {
        // Known and written, or on its way to storage with the write under way or the next one.
        if (!_symbols.Add(symbol) && !_unwritten) return _next?.Task ?? _running?.Task ?? Task.CompletedTask;
        if (_next is { } queued) return queued.Task;
        var group = _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_running is null) _ = WriteQueuedAsync(); // starts this group's write at once
        return group.Task;
    }

    /// <summary>Writes the queued registrations, one group after the other, until none is left.</summary>
    private async Task WriteQueuedAsync()
    {
        while (_next is { } group)
        {
            (_running, _next) = (group, null);
            var started = time.GetTimestamp();
            try
            {
                await WriteAsync(CancellationToken.None);
                group.SetResult();
            }
            catch (Exception ex)
            {
                group.SetException(ex); // WriteAsync has marked the list unwritten; the tickers retry
            }
            var wait = WriteSpacing - time.GetElapsedTime(started);
            if (_next is not null && wait > TimeSpan.Zero) await Task.Delay(wait, time);
        }
        _running = null;
    }

    /// <summary>Writes a copy of the list, so that registrations interleaved with the write never change what it serializes.</summary>
    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        state.State = new DirectoryState { Symbols = new SortedSet<string>(_symbols, StringComparer.Ordinal) };
        _unwritten = false;
        try { await state.WriteStateAsync(cancellationToken); }
        catch
        {
            _unwritten = true;
            throw;
        }
    }

    public Task<IReadOnlyList<string>> GetSymbolsAsync() => Task.FromResult<IReadOnlyList<string>>([.. _symbols]);

    public Task<bool> ContainsAsync(string symbol) => Task.FromResult(_symbols.Contains(symbol));

    public async Task<IReadOnlyList<TickerSummary>> GetOverviewAsync()
    {
        var rows = await Task.WhenAll(_symbols.Select(async symbol =>
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
        var cards = (await Task.WhenAll(_symbols.Select(s => GrainFactory.GetGrain<IForecastGrain>(s).GetSnapshotAsync())))
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
        var snapshots = await Task.WhenAll(_symbols.Select(s => GrainFactory.GetGrain<IEnsembleGrain>(s).GetSnapshotAsync()));
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

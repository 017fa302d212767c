using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Alerts;
using MarketPulse.Abstractions.Realtime;
using MarketPulse.Core.Indicators;
using MarketPulse.Core.Market;
using MarketPulse.Core.Signals;
using MarketPulse.Grains.Ensemble;
using MarketPulse.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace MarketPulse.Grains.Market;

/// <summary>
/// One per symbol. Consumes the symbol's market stream in batches, rolls trades into 1-minute and daily bars,
/// updates incremental indicators on each closed day, and on each close hands the day and its price signal to the
/// symbol's ensemble. Between closes it keeps a live price signal that includes the latest trade.
/// </summary>
[ImplicitStreamSubscription(MarketPulseNames.TicksNamespace)]
public sealed class TickerGrain(
    [PersistentState("ticker", MarketPulseNames.GrainStorage)] IPersistentState<TickerState> state,
    PipelineMetrics metrics,
    Microsoft.Extensions.Options.IOptions<Hosting.PersistenceOptions> persistence,
    ILogger<TickerGrain> logger,
    LivePriceModel priceModel)
    : Grain, ITickerGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<MarketBatch>
{
    public const int MaxDailyBars = 1000;
    public const int MaxMinuteBars = 2000;
    public const string PriceSignal = "price";
    public const int RememberedBatches = 4096;

    private readonly BarAggregator _bars = new(ExchangeCalendar.UsEquities);
    private readonly List<Bar> _closedDays = [];
    private readonly List<Bar> _closedMinutes = [];
    private readonly IndicatorSet _indicators = new();
    private bool _dirty;
    private SignalPrediction? _ensembleCall;
    private HashSet<Guid>? _recentBatches;

    private string Symbol => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _bars.Restore(state.State.OpenMinute?.ToBar(), state.State.OpenDay?.ToBar(), state.State.LastClosedDay);
        _bars.DayClosed += _closedDays.Add;
        _bars.MinuteClosed += _closedMinutes.Add;
        // Indicators are not persisted: replaying the kept daily closes rebuilds them deterministically.
        foreach (var bar in state.State.DailyBars) _indicators.Update(bar.Close);
        this.RegisterGrainTimer(FlushAsync, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty) await state.WriteStateAsync(cancellationToken);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<MarketBatch>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<MarketBatch>> items)
    {
        var s = state.State;
        string? traceParent = null;
        metrics.BatchesDelivered(MarketPulseNames.TicksNamespace, items.Count);
        foreach (var item in items)
        {
            var batch = item.Item;
            if (!FirstDelivery(batch.BatchId))
            {
                metrics.DuplicateBatch(MarketPulseNames.TicksNamespace);
                continue;
            }
            traceParent = batch.TraceParent ?? traceParent;
            foreach (var bar in batch.Bars)
            {
                if (_bars.AddDailyBar(bar.Date, (double)bar.Open, (double)bar.High, (double)bar.Low, (double)bar.Close, (double)bar.Volume))
                {
                    s.BarsApplied++;
                    s.LastPrice = (double)bar.Close;
                    s.LastTime = ExchangeCalendar.UsEquities.CloseUtc(bar.Date);
                }
            }
            foreach (var tick in batch.Ticks)
            {
                _bars.AddTrade(tick.Time, (double)tick.Price, (double)tick.Size);
                s.TicksApplied++;
                s.LastPrice = (double)tick.Price;
                s.LastTime = tick.Time;
            }
            s.LastIngestedAtUtc = batch.IngestedAtUtc;
            await ApplyClosedBarsAsync();
            metrics.PipelineLatency((DateTime.UtcNow - batch.IngestedAtUtc).TotalMilliseconds);
        }
        s.OpenMinute = _bars.OpenMinute?.ToDto();
        s.OpenDay = _bars.OpenDay?.ToDto();
        s.LastClosedDay = _bars.LastClosedDay;
        _dirty = true;
        if (!s.Registered)
        {
            await GrainFactory.GetGrain<IMarketDirectoryGrain>(0).RegisterAsync(Symbol);
            s.Registered = true;
        }
        if (persistence.Value.WriteThrough)
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
        // One-way: alerts and the SignalR push run beside the pipeline, never in its way.
        var snapshot = await GetSnapshotAsync();
        await GrainFactory.GetGrain<ISymbolWatchGrain>(Symbol).OnTickerChangedAsync(new TickerUpdate(snapshot, _ensembleCall, traceParent));
    }

    /// <summary>False for a batch already applied (durable streams deliver at least once); remembers the id otherwise.</summary>
    private bool FirstDelivery(Guid batchId)
    {
        if (batchId == Guid.Empty) return true;
        var ids = state.State.RecentBatches;
        _recentBatches ??= [.. ids];
        if (!_recentBatches.Add(batchId)) return false;
        ids.Add(batchId);
        if (ids.Count > RememberedBatches)
        {
            _recentBatches.Remove(ids[0]);
            ids.RemoveAt(0);
        }
        return true;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        logger.LogError(ex, "Market stream error for {Symbol}", Symbol);
        return Task.CompletedTask;
    }

    public Task<TickerSnapshot> GetSnapshotAsync()
    {
        var s = state.State;
        var previousClose = s.DailyBars.Count == 0 ? (double?)null
            : _bars.OpenDay is null && s.DailyBars.Count > 1 ? s.DailyBars[^2].Close : s.DailyBars[^1].Close;
        double? change = s.LastPrice is { } p && previousClose is { } pc ? p - pc : null;
        double? changePct = change is { } c && previousClose is { } pc2 && pc2 != 0 ? c / pc2 * 100 : null;
        return Task.FromResult(new TickerSnapshot(Symbol, s.LastPrice, s.LastTime, previousClose, change, changePct,
            s.TicksApplied, s.BarsApplied, _indicators.Values(s.DailyBars.Count), LiveSignal(), s.LastClosedDay, s.LastIngestedAtUtc));
    }

    public Task<IReadOnlyList<BarDto>> GetBarsAsync(string interval, DateTime? from, DateTime? to)
    {
        var (closed, open) = interval == "1d" ? (state.State.DailyBars, _bars.OpenDay) : (state.State.MinuteBars, _bars.OpenMinute);
        IEnumerable<BarDto> all = closed;
        if (open is { } o) all = all.Append(o.ToDto());
        IReadOnlyList<BarDto> result = all.Where(b => (from is null || b.Start >= from) && (to is null || b.Start < to)).ToList();
        return Task.FromResult(result);
    }

    private async Task ApplyClosedBarsAsync()
    {
        var s = state.State;
        foreach (var m in _closedMinutes) Append(s.MinuteBars, m.ToDto(), MaxMinuteBars);
        _closedMinutes.Clear();
        if (_closedDays.Count == 0) return;
        var days = _closedDays.ToArray();
        _closedDays.Clear();
        var ensemble = GrainFactory.GetGrain<IEnsembleGrain>(Symbol);
        foreach (var day in days)
        {
            double? previousClose = s.DailyBars.Count > 0 ? s.DailyBars[^1].Close : null;
            Append(s.DailyBars, day.ToDto(), MaxDailyBars);
            _indicators.Update(day.Close);
            var closeTime = ExchangeCalendar.UsEquities.CloseUtc(day.Date);
            var p = _indicators.MomentumProbability(double.NaN);
            var signal = await priceModel.PredictAsync(GrainFactory, Symbol, s.DailyBars, closeTime, day.Date)
                ?? (double.IsNaN(p) ? null : Prediction(p, closeTime, day.Date));
            if (signal is not null) metrics.PredictionEmitted(PriceSignal);
            var call = await ensemble.OnDailyCloseAsync(new DailyClose(Symbol, day.Date, closeTime, day.Close, previousClose, signal));
            _ensembleCall = call.Prediction;
        }
    }

    private SignalPrediction? LiveSignal()
    {
        var s = state.State;
        if (s.LastClosedDay is not { } basis || s.LastPrice is not { } price || s.LastTime is not { } time) return null;
        var p = _indicators.MomentumProbability(_bars.OpenDay is null ? double.NaN : price);
        return double.IsNaN(p) ? null : Prediction(p, time, basis);
    }

    private static SignalPrediction Prediction(double p, DateTime madeAt, DateOnly basis) =>
        new(PriceSignal, "rule", MomentumRule.Name + "-v1", madeAt, "1d", p >= 0.5 ? "up" : "down", p, basis);

    private static void Append(List<BarDto> list, BarDto bar, int max)
    {
        list.Add(bar);
        if (list.Count > max) list.RemoveRange(0, list.Count - max);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty) return;
        _dirty = false;
        await state.WriteStateAsync(cancellationToken);
    }

    /// <summary>The daily indicator set the first price signal reads.</summary>
    private sealed class IndicatorSet
    {
        private readonly SimpleMovingAverage _sma20 = new(20);
        private readonly ExponentialMovingAverage _ema12 = new(12);
        private readonly ExponentialMovingAverage _ema26 = new(26);
        private readonly RelativeStrengthIndex _rsi14 = new(14);
        private readonly LogReturn _ret1 = new(1);
        private readonly LogReturn _ret5 = new(5);
        private readonly RealizedVolatility _vol20 = new(20);

        public void Update(double close)
        {
            _sma20.Update(close);
            _ema12.Update(close);
            _ema26.Update(close);
            _rsi14.Update(close);
            _ret1.Update(close);
            _ret5.Update(close);
            _vol20.Update(close);
        }

        /// <summary>
        /// The momentum rule's probability of an up day. With a live price (a day still forming), the EMAs are
        /// advanced provisionally by that price, so the live signal reflects the latest trade without committing it.
        /// </summary>
        public double MomentumProbability(double livePrice)
        {
            double fast = _ema12.Current, slow = _ema26.Current;
            if (!double.IsNaN(livePrice) && _ema12.IsReady && _ema26.IsReady)
            {
                fast += 2.0 / 13 * (livePrice - fast);
                slow += 2.0 / 27 * (livePrice - slow);
            }
            return MomentumRule.ProbabilityUp(fast, slow, _rsi14.Current, _vol20.Current);
        }

        public IndicatorValues Values(int dailyBars) => new(N(_sma20.Current), N(_ema12.Current), N(_ema26.Current), N(_rsi14.Current),
            N(_ret1.Current), N(_ret5.Current), N(_vol20.Current), dailyBars);

        private static double? N(double v) => double.IsFinite(v) ? v : null;
    }
}

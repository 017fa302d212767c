using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Alerts;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Realtime;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Indicators;
using MarketPulse.Core.Market;
using MarketPulse.Core.Signals;
using MarketPulse.Grains.Ensemble;
using MarketPulse.Grains.Hosting;
using MarketPulse.Grains.Telemetry;
using MarketPulse.Ml.Price;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace MarketPulse.Grains.Market;

/// <summary>
/// One per symbol. Consumes the symbol's market stream in batches, rolls trades into 1-minute and daily bars,
/// updates incremental indicators on each closed day and hands each close to the symbol's ensemble (which settles the
/// predictions for that day). At the next trading day's prediction time (<see cref="PriceFeatures.PredictionTimeUtc"/>,
/// 00:00 UTC of it, by the feed's clock) it makes the price signal and has the ensemble issue the day's predictions: a
/// timer fires then, and the first market event at or after that time issues it first if the timer has not (a replay's
/// clock jumps from event to event). Between closes it keeps a live price signal that includes the latest trade.
/// </summary>
[ImplicitStreamSubscription(MarketPulseNames.TicksNamespace)]
public sealed class TickerGrain(
    [PersistentState("ticker", MarketPulseNames.GrainStorage)] IPersistentState<TickerState> state,
    PipelineMetrics metrics,
    Microsoft.Extensions.Options.IOptions<Hosting.PersistenceOptions> persistence,
    ILogger<TickerGrain> logger,
    LivePriceModel priceModel,
    Forecasts.LiveForecaster forecaster)
    : Grain, ITickerGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<MarketBatch>
{
    public const int MaxDailyBars = 1000;
    public const int MaxMinuteBars = 2000;
    public const int RememberedBatches = 4096;

    /// <summary>How long after the regular close (by the feed's clock) the close timer waits for late prints.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(1);

    private BarAggregator _bars = null!;
    private ExchangeCalendar _calendar = null!;
    private readonly List<Bar> _closedDays = [];
    private readonly List<Bar> _closedMinutes = [];
    private readonly IndicatorSet _indicators = new();
    private readonly VolumeWeightedAveragePrice _vwap = new();
    private DateTime _lastArrivalWall = DateTime.UtcNow;
    private IGrainTimer? _closeTimer;
    private DateOnly? _closeTimerDay;
    private IGrainTimer? _issueTimer;
    private DateOnly? _issueTimerBasis;
    private DateTime _issueTimerWallDue;
    private bool _dirty;
    private SignalPrediction? _ensembleCall;
    private Abstractions.Forecasts.ForecastDto? _forecast;
    private HashSet<Guid>? _recentBatches;
    private IntradayIssuer _intraday = null!;
    private Func<DateOnly, IEnumerable<Bar>> _minuteBarsSince = null!;   // one delegate, not one per trade

    private string Symbol => this.GetPrimaryKeyString();

    /// <summary>
    /// The feed's clock: the last event time plus the wall time since it arrived. For a live feed that is the wall clock;
    /// for a replay it is the replay's own (accelerated) time, so the close timer neither fires early nor waits for days.
    /// </summary>
    private DateTime FeedNow => FeedTime is { } t ? t + (DateTime.UtcNow - _lastArrivalWall) : DateTime.UtcNow;

    /// <summary>The feed's time at the last arrival: its last event, or its last clock batch if that is later.</summary>
    private DateTime? FeedTime => state.State.LastTime is { } t ? (_sourceClock > t ? _sourceClock : t) : _sourceClock;

    /// <summary>The latest clock the source has sent (<see cref="MarketBatch.ClockUtc"/>); not persisted: the next one re-sets it.</summary>
    private DateTime? _sourceClock;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _calendar = ExchangeCalendar.ForSymbol(Symbol);
        _bars = new BarAggregator(_calendar);
        _intraday = new IntradayIssuer(Symbol, _calendar);
        _minuteBarsSince = MinuteBarsSince;
        _bars.Restore(state.State.OpenMinute?.ToBar(), state.State.OpenDay?.ToBar(), state.State.LastClosedDay);
        _bars.DayClosed += _closedDays.Add;
        _bars.MinuteClosed += _closedMinutes.Add;
        // Indicators are not persisted: replaying the kept daily bars rebuilds them deterministically, and the session
        // VWAP is rebuilt from the kept minute bars of the open day (typical prices: the trades themselves are gone).
        foreach (var bar in state.State.DailyBars) _indicators.Update(bar);
        if (_bars.OpenDay is { } open)
        {
            foreach (var m in state.State.MinuteBars.Where(m => m.TradingDay == open.Date && _calendar.SessionAt(m.Start) == MarketSession.Regular))
                _vwap.Update(m.TradingDay, m.High, m.Low, m.Close, m.Volume);
        }
        this.RegisterGrainTimer(ct => this.ShouldFlushPeriodically() ? FlushAsync(ct) : Task.CompletedTask, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        ScheduleClose();
        ScheduleIssue();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty && this.ShouldFlushOnDeactivate(reason)) await state.WriteStateAsync(cancellationToken);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<MarketBatch>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<MarketBatch>> items)
    {
        var s = state.State;
        string? traceParent = null;
        DateTime? ingestedAtUtc = null; // of the newest batch with trades or bars: what the push's latency is measured from
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
            if (batch.Ticks.Count == 0 && batch.Bars.Count == 0)
            {
                // A clock-only batch: the source's time has moved on without an event for this symbol.
                if (batch.ClockUtc is { } clock && (_sourceClock is null || clock > _sourceClock))
                {
                    _sourceClock = clock;
                    _lastArrivalWall = DateTime.UtcNow;
                    if (_intraday.Advance(s, clock, _minuteBarsSince)) _dirty = true;
                    if (IssueDue(clock)) await IssueAsync();
                }
                continue;
            }
            foreach (var bar in batch.Bars)
            {
                // A whole day's bar arrives at its close; the call for that day is issued first (ApplyClosedBarsAsync).
                var closeTime = _calendar.CloseUtc(bar.Date);
                if (_bars.AddDailyBar(bar.Date, (double)bar.Open, (double)bar.High, (double)bar.Low, (double)bar.Close, (double)bar.Volume))
                {
                    s.BarsApplied++;
                    s.LastPrice = (double)bar.Close;
                    s.LastTime = closeTime;
                }
                if (_closedDays.Count > 0) await ApplyClosedBarsAsync();
            }
            foreach (var tick in batch.Ticks)
            {
                double price = (double)tick.Price, size = (double)tick.Size;
                if (IssueDue(tick.Time)) await IssueAsync();
                // The 30-minute slot boundary passed by this trade: score the ended slot and issue the next from the minutes before it.
                if (_intraday.Advance(s, tick.Time, _minuteBarsSince)) _dirty = true;
                _bars.AddTrade(tick.Time, price, size);
                if (_closedDays.Count > 0)
                {
                    // This trade closed the previous day; its prediction time may be past already (a pre-market trade).
                    await ApplyClosedBarsAsync();
                    if (IssueDue(tick.Time)) await IssueAsync();
                }
                var calendarDay = _bars.DayOf(tick.Time);
                if (calendarDay.SessionAt(tick.Time, _calendar.AlwaysOpen) == MarketSession.Regular) _vwap.Update(calendarDay.Day, price, price, price, size);
                s.TicksApplied++;
                s.LastPrice = (double)tick.Price;
                s.LastTime = tick.Time;
            }
            s.LastIngestedAtUtc = ingestedAtUtc = batch.IngestedAtUtc;
            _lastArrivalWall = DateTime.UtcNow;
            await ApplyClosedBarsAsync();
            metrics.PipelineLatency((DateTime.UtcNow - batch.IngestedAtUtc).TotalMilliseconds);
        }
        SaveBarsToState();
        ScheduleClose();
        ScheduleIssue();
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
        await PushAsync(traceParent, ingestedAtUtc);
    }

    /// <summary>The ticker's new state to its watchers. One-way: alerts and the SignalR push run beside the pipeline, never in its way.</summary>
    private async Task PushAsync(string? traceParent, DateTime? ingestedAtUtc)
    {
        var snapshot = await GetSnapshotAsync();
        await GrainFactory.GetGrain<ISymbolWatchGrain>(Symbol).OnTickerChangedAsync(
            new TickerUpdate(snapshot, _ensembleCall, traceParent, _forecast, ingestedAtUtc));
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

    private void SaveBarsToState()
    {
        var s = state.State;
        s.OpenMinute = _bars.OpenMinute?.ToDto();
        s.OpenDay = _bars.OpenDay?.ToDto();
        s.LastClosedDay = _bars.LastClosedDay;
        _dirty = true;
    }

    /// <summary>Arms a one-shot timer for the forming day's regular close (by the feed's clock), so the day closes on time
    /// even when no later trade comes.</summary>
    private void ScheduleClose()
    {
        var day = _bars.OpenDay?.Date;
        if (day == _closeTimerDay && _closeTimer is not null) return;
        _closeTimer?.Dispose();
        _closeTimer = null;
        _closeTimerDay = day;
        if (day is not { } d) return;
        var due = _calendar.CloseUtc(d) + CloseGrace - FeedNow;
        _closeTimer = this.RegisterGrainTimer(OnSessionCloseAsync, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private async Task OnSessionCloseAsync(CancellationToken cancellationToken)
    {
        _closeTimer?.Dispose();
        _closeTimer = null;
        _closeTimerDay = null;
        if (_bars.CloseDue(FeedNow - CloseGrace))
        {
            logger.LogDebug("{Symbol}: session closed by the clock at {FeedNow:o}", Symbol, FeedNow);
            await ApplyClosedBarsAsync();
            SaveBarsToState();
        }
        if (_intraday.Advance(state.State, FeedNow - CloseGrace, _minuteBarsSince)) _dirty = true;
        ScheduleClose();
        ScheduleIssue();
    }

    /// <summary>The next trading day of the last closed day whose predictions are not issued yet, and its prediction time.</summary>
    private (DateOnly Basis, DateOnly Target, DateTime At)? UnissuedCall
    {
        get
        {
            if (state.State.UnissuedBasis is not { } basis) return null;
            // Read for every tick: the calendar is asked once per basis day.
            if (_unissuedCall?.Basis != basis)
            {
                var target = _calendar.NextTradingDay(basis);
                _unissuedCall = (basis, target, PriceFeatures.PredictionTimeUtc(target));
            }
            return _unissuedCall;
        }
    }

    private (DateOnly Basis, DateOnly Target, DateTime At)? _unissuedCall;

    private bool IssueDue(DateTime now) => UnissuedCall is { } call && call.At <= now;

    /// <summary>
    /// Arms a one-shot timer for the prediction time of the unissued call (by the feed's clock), and re-arms it when the
    /// feed's clock has jumped (a replay, a feed catching up) so that it fires at the feed's time, not the old estimate.
    /// </summary>
    private void ScheduleIssue()
    {
        var basis = state.State.UnissuedBasis;
        var call = UnissuedCall;
        var due = call is { } c ? c.At - FeedNow : TimeSpan.Zero;
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        var wallDue = DateTime.UtcNow + due;
        if (basis == _issueTimerBasis && _issueTimer is not null && (wallDue - _issueTimerWallDue).Duration() < TimeSpan.FromSeconds(1)) return;
        _issueTimer?.Dispose();
        _issueTimer = null;
        _issueTimerBasis = basis;
        if (call is null) return;
        _issueTimerWallDue = wallDue;
        _issueTimer = this.RegisterGrainTimer(OnPredictionTimeAsync, due, Timeout.InfiniteTimeSpan);
    }

    private async Task OnPredictionTimeAsync(CancellationToken cancellationToken)
    {
        _issueTimer?.Dispose();
        _issueTimer = null;
        _issueTimerBasis = null;
        if (IssueDue(FeedNow))
        {
            await IssueAsync();
            _dirty = true;
            await PushAsync(traceParent: null, ingestedAtUtc: null);
        }
        ScheduleIssue();
    }

    /// <summary>
    /// The predictions for the next trading day t, made at its prediction time from the bars before t (the closed days
    /// only: a bar of t is applied after this) and the posts before that time.
    /// </summary>
    private async Task IssueAsync(DateOnly? closingDay = null)
    {
        var s = state.State;
        if (UnissuedCall is not { } call) return;
        s.UnissuedBasis = null;
        var (target, at) = closingDay is { } day && day < call.Target ? (day, PriceFeatures.PredictionTimeUtc(day)) : (call.Target, call.At);
        // One read of the posts serves the price model and the forecasts.
        var posts = priceModel.Model is null && forecaster.Model is null ? null
            : await GrainFactory.GetGrain<ISentimentGrain>(Symbol).GetPostsAsync(LivePriceModel.PostsToRead);
        var signal = await priceModel.PredictAsync(GrainFactory, Symbol, s.DailyBars, call.Basis, target, at, posts)
            ?? RulePriceSignal(at, call.Basis);
        if (signal is not null) metrics.PredictionEmitted(Signals.Price);
        var issued = await GrainFactory.GetGrain<IEnsembleGrain>(Symbol).IssueAsync(new NextDayCall(Symbol, call.Basis, target, at, signal));
        if (issued is not null) _ensembleCall = issued.Prediction;
        await IssueForecastAsync(call.Basis, target, at, posts);
    }

    /// <summary>The volatility, expected-move and volume forecasts for <paramref name="target"/>, from the same inputs' cut-off.</summary>
    private async Task IssueForecastAsync(DateOnly basis, DateOnly target, DateTime at, IReadOnlyList<ScoredPost>? posts)
    {
        if (forecaster.Model is null || posts is null) return;
        var sector = priceModel.Model?.Card.SectorOf(Symbol) ?? -1;
        var forecast = forecaster.Forecast(Symbol, state.State.DailyBars, basis, target, at, posts, priceModel.Board.Variance(basis, sector));
        if (forecast is null) return;
        if (await GrainFactory.GetGrain<IForecastGrain>(Symbol).IssueAsync(forecast))
        {
            _forecast = forecast;
            metrics.PredictionEmitted(Signals.Volatility);
        }
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
        var now = FeedNow;
        var values = _indicators.Values(s.DailyBars.Count) with
        {
            SessionVwap = _vwap.IsReady ? _vwap.Current : null,
            SessionVwapDay = _vwap.IsReady ? _vwap.Session : null,
        };
        return Task.FromResult(new TickerSnapshot(Symbol, s.LastPrice, s.LastTime, previousClose, change, changePct,
            s.TicksApplied, s.BarsApplied, values, LiveSignal(), s.LastClosedDay, s.LastIngestedAtUtc,
            _calendar.Name, SessionName(_calendar.SessionAt(now)), _calendar.NextCloseUtc(now)));
    }

    public Task<IntradaySnapshot> GetIntradayAsync() => Task.FromResult(IntradayIssuer.Snapshot(state.State));

    /// <summary>The kept minute bars, those closed since the last save, and the forming one.</summary>
    /// <summary>
    /// The minute bars (kept, closed since, and the open one) of trading days from <paramref name="since"/> on, oldest
    /// first. The kept bars are in time order, so only their tail is read: a slot boundary costs the minutes of the days
    /// it needs, not all 2,000 kept.
    /// </summary>
    private IEnumerable<Bar> MinuteBarsSince(DateOnly since)
    {
        var kept = state.State.MinuteBars;
        var first = kept.Count;
        while (first > 0 && kept[first - 1].TradingDay >= since) first--;
        for (var i = first; i < kept.Count; i++) yield return kept[i].ToBar();
        foreach (var m in _closedMinutes)
            if (m.Date >= since) yield return m;
        if (_bars.OpenMinute is { } open && open.Date >= since) yield return open;
    }

    public Task<IReadOnlyList<BarDto>> GetBarsAsync(string interval, DateTime? from, DateTime? to)
    {
        var (closed, open) = interval == "1d" ? (state.State.DailyBars, _bars.OpenDay) : (state.State.MinuteBars, _bars.OpenMinute);
        IEnumerable<BarDto> all = closed;
        if (open is { } o) all = all.Append(o.ToDto());
        IReadOnlyList<BarDto> result = all.Where(b => (from is null || b.Start >= from) && (to is null || b.Start < to)).ToList();
        return Task.FromResult(result);
    }

    private static string SessionName(MarketSession session) => session switch
    {
        MarketSession.PreMarket => "pre",
        MarketSession.Regular => "open",
        MarketSession.PostMarket => "post",
        _ => "closed",
    };

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
            // A call still unissued when a later day closes goes first, for that day if the feed has a trading day the
            // calendar lacks (as the backtest's target is the next bar); it reads only bars before it either way.
            if (UnissuedCall is { } pending && day.Date > pending.Basis) await IssueAsync(day.Date);
            double? previousClose = s.DailyBars.Count > 0 ? s.DailyBars[^1].Close : null;
            var dto = day.ToDto();
            Append(s.DailyBars, dto, MaxDailyBars);
            _indicators.Update(dto);
            await priceModel.RecordCloseAsync(GrainFactory, Symbol, s.DailyBars, _calendar.NextTradingDay(day.Date));
            await ensemble.OnDailyCloseAsync(new DailyClose(Symbol, day.Date, _calendar.CloseUtc(day.Date), day.Close, previousClose));
            if (forecaster.Model is not null)
                await GrainFactory.GetGrain<IForecastGrain>(Symbol).OnDailyCloseAsync(
                    new ForecastClose(day.Date, day.Open, day.High, day.Low, day.Close, day.Volume, previousClose));
            // The predictions for the next trading day wait for its prediction time (ScheduleIssue / IssueDue).
            s.UnissuedBasis = day.Date;
        }
    }

    // ---- The rule-based price signal (the fallback when no model file is present, and the live signal between closes).

    /// <summary>The rule's next-day call, from the indicators of the closed days (up to the basis day).</summary>
    private SignalPrediction? RulePriceSignal(DateTime madeAt, DateOnly basis)
    {
        var p = _indicators.MomentumProbability(double.NaN);
        return double.IsNaN(p) ? null : Prediction(p, madeAt, basis);
    }

    /// <summary>The live price call between closes: the indicators advanced provisionally by the latest trade.</summary>
    private SignalPrediction? LiveSignal()
    {
        var s = state.State;
        if (s.LastClosedDay is not { } basis || s.LastPrice is not { } price || s.LastTime is not { } time) return null;
        var p = _indicators.MomentumProbability(_bars.OpenDay is null ? double.NaN : price);
        return double.IsNaN(p) ? null : Prediction(p, time, basis);
    }

    private static SignalPrediction Prediction(double p, DateTime madeAt, DateOnly basis) =>
        new(Signals.Price, "rule", MomentumRule.Name + "-v1", madeAt, "1d", Signals.Direction(p), p, basis);

    /// <summary>Keeps at least the last <paramref name="max"/> bars; trims in chunks of a quarter so the shift is amortised O(1).</summary>
    private static void Append(List<BarDto> list, BarDto bar, int max)
    {
        list.Add(bar);
        if (list.Count > max + max / 4) list.RemoveRange(0, list.Count - max);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!_dirty) return;
        _dirty = false;
        await state.WriteStateAsync(cancellationToken);
    }

    /// <summary>The daily indicator set: what the snapshot shows and the price signal reads.</summary>
    private sealed class IndicatorSet
    {
        private readonly SimpleMovingAverage _sma20 = new(20);
        private readonly WeightedMovingAverage _wma20 = new(20);
        private readonly ExponentialMovingAverage _ema12 = new(12);
        private readonly ExponentialMovingAverage _ema26 = new(26);
        private readonly RelativeStrengthIndex _rsi14 = new(14);
        private readonly MovingAverageConvergenceDivergence _macd = new(12, 26, 9);
        private readonly BollingerBands _bollinger = new(20, 2);
        private readonly AverageTrueRange _atr14 = new(14);
        private readonly OnBalanceVolume _obv = new();
        private readonly Stochastic _stochastic = new(14, 3);
        private readonly ZScore _z20 = new(20);
        private readonly LogReturn _ret1 = new(1);
        private readonly LogReturn _ret5 = new(5);
        private readonly RealizedVolatility _vol20 = new(20);

        public void Update(BarDto bar)
        {
            var close = bar.Close;
            _sma20.Update(close);
            _wma20.Update(close);
            _ema12.Update(close);
            _ema26.Update(close);
            _rsi14.Update(close);
            _macd.Update(close);
            _bollinger.Update(close);
            _z20.Update(close);
            _ret1.Update(close);
            _ret5.Update(close);
            _vol20.Update(close);
            _atr14.Update(bar.High, bar.Low, close, bar.Volume);
            _obv.Update(bar.High, bar.Low, close, bar.Volume);
            _stochastic.Update(bar.High, bar.Low, close, bar.Volume);
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
            N(_ret1.Current), N(_ret5.Current), N(_vol20.Current), dailyBars,
            N(_macd.Line), N(_macd.Signal), N(_macd.Histogram),
            N(_bollinger.Upper), N(_bollinger.Middle), N(_bollinger.Lower), N(_bollinger.PercentB),
            N(_atr14.Current), _obv.IsReady ? _obv.Current : null, N(_stochastic.PercentK), N(_stochastic.PercentD),
            N(_z20.Current), N(_wma20.Current));

        private static double? N(double v) => double.IsFinite(v) ? v : null;
    }
}

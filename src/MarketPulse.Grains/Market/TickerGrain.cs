using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Alerts;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Realtime;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Market;
using MarketPulse.Grains.Ensemble;
using MarketPulse.Grains.History;
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
/// <para>
/// The bars and indicators are <see cref="TickerBars"/>, the feed's clock <see cref="FeedClock"/>, the next-30-minutes
/// forecasts <see cref="IntradayIssuer"/> and the direction cycle the ensemble's <c>SignalBook</c>: this grain consumes
/// the stream, drives them in the feed's order and makes the calls to the other grains between their steps.
/// </para>
/// </summary>
[ImplicitStreamSubscription(MarketPulseNames.TicksNamespace)]
public sealed class TickerGrain(
    [PersistentState("ticker", MarketPulseNames.GrainStorage)] IPersistentState<TickerState> state,
    PipelineMetrics metrics,
    Microsoft.Extensions.Options.IOptions<Hosting.PersistenceOptions> persistence,
    ILogger<TickerGrain> logger,
    LivePriceModel priceModel,
    Forecasts.LiveForecaster forecaster,
    TimeProvider time)
    : Grain, ITickerGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<MarketBatch>
{
    public const int RememberedBatches = 4096;

    /// <summary>How long after the regular close (by the feed's clock) the close timer waits for late prints.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(1);

    /// <summary>How often a failed registration with the market directory is tried again.</summary>
    public static readonly TimeSpan RegistrationRetry = TimeSpan.FromSeconds(2);

    private readonly DeferredState<TickerState> _state = new(state, logger);
    private TickerBars _bars = null!;
    private FeedClock _clock = null!;
    private FeedTimer<DateOnly> _closeTimer = null!;
    private FeedTimer<DateOnly> _issueTimer = null!;
    private RecentBatches _recent = null!;
    private IntradayIssuer _intraday = null!;
    private Func<DateOnly, IEnumerable<Bar>> _minuteBarsSince = null!;   // one delegate, not one per trade
    private SignalPrediction? _ensembleCall;
    private ForecastDto? _forecast;
    private readonly PostMemory _posts = new();
    private bool _registered;
    private Task? _registering;
    private IGrainTimer? _registrationRetry;
    private Peers _peers = null!;

    private string Symbol => this.GetPrimaryKeyString();

    /// <summary>
    /// The grains this ticker calls, resolved once per activation: <c>GetGrain</c> resolves the interface's grain type
    /// from its name on every call (type-name parsing and attribute reflection; 6 % of a short-days profile,
    /// docs/performance.md).
    /// </summary>
    private sealed class Peers(IGrainFactory grains, string symbol)
    {
        public ISymbolWatchGrain Watch { get; } = grains.GetGrain<ISymbolWatchGrain>(symbol);
        public ISentimentGrain Sentiment { get; } = grains.GetGrain<ISentimentGrain>(symbol);
        public IEnsembleGrain Ensemble { get; } = grains.GetGrain<IEnsembleGrain>(symbol);
        public IForecastGrain Forecast { get; } = grains.GetGrain<IForecastGrain>(symbol);
        public IMarketBoardGrain Board { get; } = grains.GetGrain<IMarketBoardGrain>(MarketBoardGrain.Market);
        public IMarketDirectoryGrain Directory { get; } = grains.GetGrain<IMarketDirectoryGrain>(0);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var calendar = ExchangeCalendar.ForSymbol(Symbol);
        _bars = new TickerBars(state.State, calendar);
        _clock = new FeedClock(time, state.State.LastTime);
        _closeTimer = new FeedTimer<DateOnly>(this, _clock, OnSessionCloseAsync, followClock: false);
        _issueTimer = new FeedTimer<DateOnly>(this, _clock, OnPredictionTimeAsync, followClock: true);
        _recent = new RecentBatches(state.State.RecentBatches, RememberedBatches);
        _intraday = new IntradayIssuer(Symbol, calendar);
        _minuteBarsSince = _bars.MinuteBarsSince;
        _peers = new Peers(GrainFactory, Symbol);
        _state.Start(this);
        Schedule();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _state.OnDeactivateAsync(reason, cancellationToken);

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<MarketBatch>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<MarketBatch>> items)
    {
        var s = state.State;
        string? traceParent = null;
        DateTime? ingestedAtUtc = null; // of the newest batch with trades or bars: what the push's latency is measured from
        metrics.BatchesDelivered(MarketPulseNames.TicksNamespace, items.Count);
        foreach (var batch in items.Select(i => i.Item))
        {
            if (!_recent.FirstDelivery(batch.BatchId))
            {
                metrics.DuplicateBatch(MarketPulseNames.TicksNamespace);
                continue;
            }
            traceParent = batch.TraceParent ?? traceParent;
            if (batch.Ticks.Count == 0 && batch.Bars.Count == 0)
            {
                // A clock-only batch: the source's time has moved on without an event for this symbol.
                if (batch.ClockUtc is not { } clock || !_clock.Advance(clock)) continue;
                if (_intraday.Advance(s, clock, _minuteBarsSince)) _state.MarkDirty();
                if (IssueDue(clock)) await IssueAsync();
                continue;
            }
            foreach (var bar in batch.Bars)
            {
                // A whole day's bar arrives at its close; the call for that day is issued first (ApplyClosedDaysAsync).
                _bars.AddDailyBar(bar);
                if (_bars.HasClosedDays) await ApplyClosedDaysAsync();
            }
            foreach (var tick in batch.Ticks)
            {
                if (IssueDue(tick.Time)) await IssueAsync();
                // The 30-minute slot boundary passed by this trade: score the ended slot and issue the next from the minutes before it.
                if (_intraday.Advance(s, tick.Time, _minuteBarsSince)) _state.MarkDirty();
                _bars.AddTrade(tick.Time, (double)tick.Price, (double)tick.Size);
                if (!_bars.HasClosedDays) continue;
                // This trade closed the previous day; its prediction time may be past already (a pre-market trade).
                await ApplyClosedDaysAsync();
                if (IssueDue(tick.Time)) await IssueAsync();
            }
            s.LastIngestedAtUtc = ingestedAtUtc = batch.IngestedAtUtc;
            _clock.Arrived(s.LastTime);
            await ApplyClosedDaysAsync();
            metrics.PipelineLatency((_clock.WallNow - batch.IngestedAtUtc).TotalMilliseconds);
        }
        _bars.Save();
        _state.MarkDirty();
        Schedule();
        if (!_registered && _registering is not { IsCompleted: false }) _registering = RegisterAsync();
        if (persistence.Value.WriteThrough) await _state.WriteAsync();
        await PushAsync(traceParent, ingestedAtUtc);
    }

    /// <summary>
    /// Once per activation, so that a registration a crash lost is made again. Beside the batch, not in its way: the
    /// directory answers when its list is written (grouped with other tickers' registrations). A failure (the directory's
    /// silo died during the call) is retried every <see cref="RegistrationRetry"/> until it succeeds, batches or not.
    /// </summary>
    private async Task RegisterAsync()
    {
        try
        {
            await _peers.Directory.RegisterAsync(Symbol);
            _registered = true;
            _registrationRetry?.Dispose();
            _registrationRetry = null;
        }
        catch (Exception ex)
        {
            MarketLog.RegistrationFailed(logger, ex, Symbol);
            _registrationRetry ??= this.RegisterGrainTimer(() =>
            {
                if (!_registered && _registering is not { IsCompleted: false }) _registering = RegisterAsync();
                return Task.CompletedTask;
            }, RegistrationRetry, RegistrationRetry);
        }
    }

    /// <summary>The ticker's new state to its watchers. One-way: alerts and the SignalR push run beside the pipeline, never in its way.</summary>
    private async Task PushAsync(string? traceParent, DateTime? ingestedAtUtc)
    {
        var snapshot = await GetSnapshotAsync();
        await _peers.Watch.OnTickerChangedAsync(
            new TickerUpdate(snapshot, _ensembleCall, traceParent, _forecast, ingestedAtUtc));
    }

    /// <summary>Arms the timers for the forming day's regular close and the unissued call's prediction time, by the feed's
    /// clock, so the day closes and the call is made on time even when no later event comes.</summary>
    private void Schedule()
    {
        var day = _bars.OpenDay?.Date;
        _closeTimer.Arm(day, day is { } d ? _bars.Calendar.CloseUtc(d) + CloseGrace : null);
        _issueTimer.Arm(_bars.UnissuedCall?.Basis, _bars.UnissuedCall?.At);
    }

    private async Task OnSessionCloseAsync(CancellationToken cancellationToken)
    {
        _closeTimer.Disarm();
        var now = _clock.Now - CloseGrace;
        if (_bars.CloseDueDay(now))
        {
            MarketLog.SessionClosedByClock(logger, Symbol, _clock.Now);
            await ApplyClosedDaysAsync();
            _bars.Save();
            _state.MarkDirty();
        }
        if (_intraday.Advance(state.State, now, _minuteBarsSince)) _state.MarkDirty();
        Schedule();
    }

    private async Task OnPredictionTimeAsync(CancellationToken cancellationToken)
    {
        _issueTimer.Disarm();
        if (IssueDue(_clock.Now))
        {
            await IssueAsync();
            _state.MarkDirty();
            await PushAsync(traceParent: null, ingestedAtUtc: null);
        }
        Schedule();
    }

    private bool IssueDue(DateTime now) => _bars.UnissuedCall is { } call && call.At <= now;

    /// <summary>
    /// The predictions for the next trading day t, made at its prediction time from the bars before t (the closed days
    /// only: a bar of t is applied after this) and the posts before that time: the price signal, the ensemble's calls
    /// and the volatility, expected-move and volume forecasts.
    /// </summary>
    private async Task IssueAsync(DateOnly? closingDay = null)
    {
        var s = state.State;
        if (_bars.TakeUnissuedCall(closingDay) is not { } call) return;
        var (target, at) = (call.Target, call.At);
        // One read of the posts serves the price model and the forecasts.
        var posts = priceModel.Model is null && forecaster.Model is null ? null
            : await _peers.Sentiment.GetPostsAsync(LivePriceModel.PostsToRead);
        var market = await priceModel.MarketAsync(_peers.Board, Symbol, s.DailyBars);
        var signal = await priceModel.PredictAsync(_peers.Sentiment, Symbol, s.DailyBars, call.Basis, target, at, _posts, market, posts)
            ?? _bars.RuleSignal(at, call.Basis);
        if (signal is not null) metrics.PredictionEmitted(Signals.Price);
        var issued = await _peers.Ensemble.IssueAsync(new NextDayCall(Symbol, call.Basis, target, at, signal));
        if (issued is not null) _ensembleCall = issued.Prediction;
        if (forecaster.Model is null || posts is null) return;
        var forecast = forecaster.Forecast(Symbol, s.DailyBars, call.Basis, target, at, posts, market?.Variance(call.Basis));
        if (forecast is not null && await _peers.Forecast.IssueAsync(forecast))
        {
            _forecast = forecast;
            metrics.PredictionEmitted(Signals.Volatility);
        }
    }

    /// <summary>Each closed day: the call still unissued goes first, then the day is kept and its close settles the
    /// ensemble's and the forecasts' calls for it; the next day's calls wait for their prediction time.</summary>
    private async Task ApplyClosedDaysAsync()
    {
        var s = state.State;
        foreach (var day in _bars.TakeClosedDays())
        {
            // For that day if the feed has a trading day the calendar lacks (as the backtest's target is the next bar);
            // it reads only bars before it either way.
            if (_bars.UnissuedCall is { } pending && day.Date > pending.Basis) await IssueAsync(day.Date);
            var previousClose = _bars.CommitDay(day);
            await priceModel.RecordCloseAsync(_peers.Board, _peers.Sentiment, Symbol, s.DailyBars, _bars.Calendar.NextTradingDay(day.Date), _posts);
            await _peers.Ensemble.OnDailyCloseAsync(
                new DailyClose(Symbol, day.Date, _bars.Calendar.CloseUtc(day.Date), day.Close, previousClose));
            if (forecaster.Model is not null)
                await _peers.Forecast.OnDailyCloseAsync(
                    new ForecastClose(day.Date, day.Open, day.High, day.Low, day.Close, day.Volume, previousClose));
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        MarketLog.StreamError(logger, ex, Symbol);
        return Task.CompletedTask;
    }

    public Task<TickerSnapshot> GetSnapshotAsync() => Task.FromResult(_bars.Snapshot(Symbol, _clock.Now));

    public Task<IntradaySnapshot> GetIntradayAsync() => Task.FromResult(IntradayIssuer.Snapshot(state.State));

    public Task<IReadOnlyList<BarDto>> GetBarsAsync(string interval, DateTime? from, DateTime? to) => Task.FromResult(_bars.Get(interval, from, to));
}

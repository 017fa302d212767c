using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Indicators;
using MarketPulse.Core.Market;
using MarketPulse.Core.Signals;
using MarketPulse.Ml.Price;

namespace MarketPulse.Grains.Market;

/// <summary>
/// One symbol's bars and daily indicators over its persisted <see cref="TickerState"/>: trades and whole-day bars roll
/// into 1-minute and daily bars (<see cref="BarAggregator"/>), closed minutes are kept, and each closed day waits in
/// <see cref="TakeClosedDays"/> until the ticker has settled the calls for it and <see cref="CommitDay"/> appends it and
/// updates the <see cref="DailyIndicatorPanel"/>. A plain object: the ticker grain drives it and does the calls to other
/// grains in between.
/// </summary>
internal sealed class TickerBars
{
    public const int MaxDailyBars = 1000;
    public const int MaxMinuteBars = 2000;

    private readonly TickerState _s;
    private readonly BarAggregator _bars;
    private readonly List<Bar> _closedDays = [];
    private readonly List<Bar> _closedMinutes = [];
    private readonly VolumeWeightedAveragePrice _vwap = new();

    /// <summary>Restores from the state. The indicators are not persisted: replaying the kept daily bars rebuilds them
    /// deterministically, and the session VWAP is rebuilt from the minute bars of the open day, the forming one included
    /// (typical prices: the trades themselves are gone).</summary>
    public TickerBars(TickerState state, ExchangeCalendar calendar)
    {
        _s = state;
        Calendar = calendar;
        _bars = new BarAggregator(calendar);
        _bars.Restore(state.OpenMinute?.ToBar(), state.OpenDay?.ToBar(), state.LastClosedDay);
        _bars.DayClosed += _closedDays.Add;
        _bars.MinuteClosed += _closedMinutes.Add;
        foreach (var bar in state.DailyBars) Indicators.Update(bar.High, bar.Low, bar.Close, bar.Volume);
        if (_bars.OpenDay is { } open)
        {
            foreach (var m in MinuteBarsSince(open.Date).Where(m => m.Date == open.Date && calendar.SessionAt(m.Start) == MarketSession.Regular))
                _vwap.Update(m.Date, m.High, m.Low, m.Close, m.Volume);
        }
    }

    public ExchangeCalendar Calendar { get; }
    public DailyIndicatorPanel Indicators { get; } = new();
    public Bar? OpenDay => _bars.OpenDay;
    public bool HasClosedDays => _closedDays.Count > 0;

    /// <summary>Whether the forming day's regular session has ended by <paramref name="now"/> (it then closes on <see cref="CloseDueDay"/>).</summary>
    public bool CloseDueDay(DateTime now) => _bars.CloseDue(now);

    /// <summary>Applies one trade; a trade of a later day closes the forming one (<see cref="HasClosedDays"/>).</summary>
    public void AddTrade(DateTime time, double price, double size)
    {
        _bars.AddTrade(time, price, size);
        var day = _bars.DayOf(time);
        if (day.SessionAt(time, Calendar.AlwaysOpen) == MarketSession.Regular) _vwap.Update(day.Day, price, price, price, size);
        _s.TicksApplied++;
        _s.LastPrice = price;
        _s.LastTime = time;
    }

    /// <summary>Applies a whole day's bar, which arrives at that day's close (a bar of a day already closed is ignored).</summary>
    public void AddDailyBar(DailyBar bar)
    {
        if (!_bars.AddDailyBar(bar.Date, (double)bar.Open, (double)bar.High, (double)bar.Low, (double)bar.Close, (double)bar.Volume)) return;
        _s.BarsApplied++;
        _s.LastPrice = (double)bar.Close;
        _s.LastTime = Calendar.CloseUtc(bar.Date);
    }

    /// <summary>Keeps the closed minutes and hands over the closed days, oldest first, for <see cref="CommitDay"/>.</summary>
    public Bar[] TakeClosedDays()
    {
        foreach (var m in _closedMinutes) Append(_s.MinuteBars, m.ToDto(), MaxMinuteBars);
        _closedMinutes.Clear();
        if (_closedDays.Count == 0) return [];
        var days = _closedDays.ToArray();
        _closedDays.Clear();
        return days;
    }

    /// <summary>Appends a closed day to the kept daily bars and the indicators and makes its next-day call the unissued one;
    /// returns the close before it, if any.</summary>
    public double? CommitDay(Bar day)
    {
        double? previousClose = _s.DailyBars.Count > 0 ? _s.DailyBars[^1].Close : null;
        Append(_s.DailyBars, day.ToDto(), MaxDailyBars);
        Indicators.Update(day.High, day.Low, day.Close, day.Volume);
        // The next day's calls wait for their prediction time.
        _s.UnissuedBasis = day.Date;
        return previousClose;
    }

    /// <summary>
    /// The call for the trading day after the last closed day, not issued yet: its basis, target and prediction time
    /// (<see cref="PriceFeatures.PredictionTimeUtc"/>). Read for every trade: the calendar is asked once per basis day.
    /// </summary>
    public (DateOnly Basis, DateOnly Target, DateTime At)? UnissuedCall
    {
        get
        {
            if (_s.UnissuedBasis is not { } basis) return null;
            if (_unissuedCall?.Basis != basis)
            {
                var target = Calendar.NextTradingDay(basis);
                _unissuedCall = (basis, target, PriceFeatures.PredictionTimeUtc(target));
            }
            return _unissuedCall;
        }
    }

    private (DateOnly Basis, DateOnly Target, DateTime At)? _unissuedCall;

    /// <summary>
    /// Takes the unissued call to issue it. Its target is <paramref name="closingDay"/> instead when that day closes
    /// before the calendar's next trading day (the feed has a trading day the calendar lacks, as the backtest's target is
    /// the next bar).
    /// </summary>
    public (DateOnly Basis, DateOnly Target, DateTime At)? TakeUnissuedCall(DateOnly? closingDay)
    {
        if (UnissuedCall is not { } call) return null;
        _s.UnissuedBasis = null;
        return closingDay is { } day && day < call.Target ? (call.Basis, day, PriceFeatures.PredictionTimeUtc(day)) : call;
    }

    /// <summary>Writes the forming bars into the state.</summary>
    public void Save()
    {
        _s.OpenMinute = _bars.OpenMinute?.ToDto();
        _s.OpenDay = _bars.OpenDay?.ToDto();
        _s.LastClosedDay = _bars.LastClosedDay;
    }

    /// <summary>
    /// The minute bars (kept, closed since, and the open one) of trading days from <paramref name="since"/> on, oldest
    /// first. The kept bars are in time order, so only their tail is read: a slot boundary costs the minutes of the days
    /// it needs, not all 2,000 kept.
    /// </summary>
    public IEnumerable<Bar> MinuteBarsSince(DateOnly since)
    {
        var kept = _s.MinuteBars;
        var first = kept.Count;
        while (first > 0 && kept[first - 1].TradingDay >= since) first--;
        for (var i = first; i < kept.Count; i++) yield return kept[i].ToBar();
        foreach (var m in _closedMinutes)
            if (m.Date >= since) yield return m;
        if (_bars.OpenMinute is { } open && open.Date >= since) yield return open;
    }

    /// <summary>The kept bars of an interval ("1d" or "1m") with the forming one, starting in [from, to).</summary>
    public IReadOnlyList<BarDto> Get(string interval, DateTime? from, DateTime? to)
    {
        var (closed, open) = interval == "1d" ? (_s.DailyBars, _bars.OpenDay) : (_s.MinuteBars, _bars.OpenMinute);
        IEnumerable<BarDto> all = closed;
        if (open is { } o) all = all.Append(o.ToDto());
        return [.. all.Where(b => (from is null || b.Start >= from) && (to is null || b.Start < to))];
    }

    /// <summary>The close the day's change is measured from: the last closed day's, or the one before it between sessions.</summary>
    public double? PreviousClose => _s.DailyBars.Count == 0 ? null
        : _bars.OpenDay is null && _s.DailyBars.Count > 1 ? _s.DailyBars[^2].Close : _s.DailyBars[^1].Close;

    /// <summary>The momentum rule's next-day call from the closed days (the fallback when no model file is present).</summary>
    public SignalPrediction? RuleSignal(DateTime madeAt, DateOnly basis) => Rule(Indicators.MomentumProbability(), madeAt, basis);

    /// <summary>The live price call between closes: the indicators advanced provisionally by the latest trade.</summary>
    public SignalPrediction? LiveSignal() => _s.LastClosedDay is { } basis && _s.LastPrice is { } price && _s.LastTime is { } time
        ? Rule(Indicators.MomentumProbability(_bars.OpenDay is null ? null : price), time, basis)
        : null;

    private static SignalPrediction? Rule(double p, DateTime madeAt, DateOnly basis) => double.IsNaN(p) ? null
        : new(Signals.Price, "rule", MomentumRule.Name + "-v1", madeAt, "1d", Signals.Direction(p), p, basis);

    /// <summary>What the ticker shows at <paramref name="now"/> by the feed's clock.</summary>
    public TickerSnapshot Snapshot(string symbol, DateTime now)
    {
        var previousClose = PreviousClose;
        double? change = _s.LastPrice is { } p && previousClose is { } pc ? p - pc : null;
        double? changePct = change is { } c && previousClose is { } pc2 && pc2 != 0 ? c / pc2 * 100 : null;
        var session = Calendar.SessionAt(now) switch
        {
            MarketSession.PreMarket => "pre",
            MarketSession.Regular => "open",
            MarketSession.PostMarket => "post",
            _ => "closed",
        };
        return new TickerSnapshot(symbol, _s.LastPrice, _s.LastTime, previousClose, change, changePct, _s.TicksApplied, _s.BarsApplied,
            Values(), LiveSignal(), _s.LastClosedDay, _s.LastIngestedAtUtc, Calendar.Name, session, Calendar.NextCloseUtc(now));
    }

    /// <summary>The indicator values the snapshot shows.</summary>
    public IndicatorValues Values()
    {
        var i = Indicators;
        return new(N(i.Sma20.Current), N(i.Ema12.Current), N(i.Ema26.Current), N(i.Rsi14.Current),
            N(i.Return1.Current), N(i.Return5.Current), N(i.Volatility20.Current), _s.DailyBars.Count,
            N(i.Macd.Line), N(i.Macd.Signal), N(i.Macd.Histogram),
            N(i.Bollinger.Upper), N(i.Bollinger.Middle), N(i.Bollinger.Lower), N(i.Bollinger.PercentB),
            N(i.Atr14.Current), i.Obv.IsReady ? i.Obv.Current : null, N(i.Stochastic.PercentK), N(i.Stochastic.PercentD),
            N(i.ZScore20.Current), N(i.Wma20.Current))
        {
            SessionVwap = _vwap.IsReady ? _vwap.Current : null,
            SessionVwapDay = _vwap.IsReady ? _vwap.Session : null,
        };
    }

    private static double? N(double v) => double.IsFinite(v) ? v : null;

    /// <summary>Keeps at least the last <paramref name="max"/> bars; trims in chunks of a quarter so the shift is amortised O(1).</summary>
    private static void Append(List<BarDto> list, BarDto bar, int max)
    {
        list.Add(bar);
        if (list.Count > max + max / 4) list.RemoveRange(0, list.Count - max);
    }
}

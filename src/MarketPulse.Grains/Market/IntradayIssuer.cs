using System.Buffers;
using MarketPulse.Abstractions.Forecasts;
using MarketPulse.Core.Forecasting;
using MarketPulse.Core.Market;

namespace MarketPulse.Grains.Market;

/// <summary>
/// The ticker's next-30-minutes volatility forecasts. At each slot boundary of the regular session, by the feed's clock
/// (the first event or clock batch at or after it, or the session-close timer), it scores the forecast whose slot has
/// ended against the slot's realised variance from the kept minute bars, stores each completed session as slot
/// variances, and issues the forecast for the slot that has begun from the minutes before its start
/// (<see cref="IntradayHarModel.ForecastSlot"/>: the offline evaluation's code, fitted on this symbol's own sessions).
/// </summary>
internal sealed class IntradayIssuer(string symbol, ExchangeCalendar calendar)
{
    /// <summary>Completed sessions kept for the profile and the fit (about three months).</summary>
    public const int KeptSessions = 60;

    private DateTime _nextCheck = DateTime.MinValue;

    /// <summary>The profile and model of the completed sessions up to <see cref="_fitThrough"/> (refitted when one completes).</summary>
    private IntradayFit? _fit;
    private (int Count, DateOnly Last)? _fitThrough;

    /// <summary>Advances to <paramref name="now"/>; true when the state changed. Cheap until the next slot boundary.</summary>
    /// <param name="minuteBarsSince">The minute bars of trading days from the given day on.</param>
    public bool Advance(TickerState s, DateTime now, Func<DateOnly, IEnumerable<Bar>> minuteBarsSince)
    {
        if (calendar.AlwaysOpen || now < _nextCheck) return false;
        _nextCheck = NextBoundary(now);
        // Only the days this boundary can touch: the open forecast's, those not yet stored as sessions, and today.
        var lastStored = s.IntradaySessions.Count > 0 ? s.IntradaySessions[^1].Day : DateOnly.MinValue;
        var today = calendar.TradingDay(now);
        var since = lastStored == DateOnly.MinValue ? DateOnly.MinValue : lastStored.AddDays(1);
        if (today < since) since = today;
        if (s.IntradayNext is { } pending && pending.Day < since) since = pending.Day;
        using var byDay = new DayBars(minuteBarsSince(since));
        var changed = false;

        if (s.IntradayNext is { } open && now >= open.SlotEndUtc)
        {
            var slots = IntradayVariance.Compute(symbol, calendar.Sessions(open.Day)!.Value, byDay[open.Day], open.SlotEndUtc);
            var realized = slots.Variance[open.Slot];
            var scorable = realized > 0;
            double? Q(double h) => scorable ? RealizedMeasures.Qlike(realized, h) : null;
            var outcome = new IntradayOutcomeDto(realized, slots.Minutes[open.Slot], Q(open.Variance), Q(open.SeasonalHarVariance),
                Q(open.PreviousSlotVariance), now);
            var t = s.IntradayTotals;
            if (scorable)
            {
                t.Scored++;
                t.QlikeSum += outcome.Qlike!.Value;
                t.QlikeSeasonalHarSum += outcome.QlikeSeasonalHar!.Value;
                t.QlikePreviousSlotSum += outcome.QlikePreviousSlot!.Value;
            }
            else t.SkippedZeroVariance++;
            s.IntradayLastScored = new IntradayRecordDto(open, outcome);
            s.IntradayNext = null;
            changed = true;
        }

        foreach (var day in byDay.Days.Where(d => d > lastStored).Order().ToList())
        {
            var bars = byDay[day];
            if (calendar.Sessions(day) is not { } session || session.CloseUtc > now) continue;
            var done = IntradayVariance.Compute(symbol, session, bars);
            if (done.Minutes.Sum() == 0) continue;
            s.IntradaySessions.Add(new IntradaySessionState { Day = day, OpenUtc = done.OpenUtc, Variance = done.Variance, Minutes = done.Minutes });
            if (s.IntradaySessions.Count > KeptSessions) s.IntradaySessions.RemoveAt(0);
            changed = true;
        }

        if (s.IntradayNext is null && calendar.Sessions(today) is { } current && IntradayVariance.SlotOf(current, now) is var k and >= 0
            && !(s.IntradayLastScored?.Forecast is { } last && last.Day == today && last.Slot >= k))
        {
            var start = current.OpenUtc.AddMinutes(k * IntradayVariance.SlotMinutes);
            var completed = s.IntradaySessions.Where(x => x.Day < today)
                .Select(x => new SessionSlots(symbol, x.Day, x.OpenUtc, x.Variance, x.Minutes)).ToList();
            var partial = IntradayVariance.Compute(symbol, current, byDay[today], start);
            var through = (completed.Count, completed.Count > 0 ? completed[^1].Day : DateOnly.MinValue);
            if (_fitThrough != through)
            {
                _fit = IntradayHarModel.Prepare(completed);
                _fitThrough = through;
            }
            if (IntradayHarModel.ForecastSlot(_fit, completed, partial, k) is { } f)
            {
                s.IntradayNext = new IntradayForecastDto(symbol, today, k, start, start.AddMinutes(IntradayVariance.SlotMinutes), now, f.Method,
                    f.Variance, f.SeasonalHar, f.PreviousSlot);
                changed = true;
            }
        }
        return changed;
    }

    /// <summary>
    /// The minute bars per trading day in time order, in arrays rented from the shared pool and returned on dispose. The
    /// bars arrive in time order, so one pass without a sort. A boundary can read a whole session of bars, and with a
    /// replay's minute-per-trade sessions the grouping and sorting copies were most of the pipeline's allocations
    /// (docs/performance.md); the segments handed out are read within <see cref="Advance"/> only.
    /// </summary>
    private sealed class DayBars : IDisposable
    {
        private sealed class Day
        {
            public Bar[] Items = ArrayPool<Bar>.Shared.Rent(64);
            public int Count;
        }

        private readonly Dictionary<DateOnly, Day> _days = [];

        public DayBars(IEnumerable<Bar> bars)
        {
            Day? current = null;
            var sorted = true;
            foreach (var bar in bars)
            {
                if (current is null || current.Items[0].Date != bar.Date)
                {
                    if (!_days.TryGetValue(bar.Date, out current)) _days[bar.Date] = current = new Day();
                }
                if (current.Count == current.Items.Length)
                {
                    var larger = ArrayPool<Bar>.Shared.Rent(current.Count * 2);
                    Array.Copy(current.Items, larger, current.Count);
                    ArrayPool<Bar>.Shared.Return(current.Items);
                    current.Items = larger;
                }
                if (current.Count > 0 && current.Items[current.Count - 1].Start > bar.Start) sorted = false;
                current.Items[current.Count++] = bar;
            }
            if (sorted) return;
            foreach (var day in _days.Values)
            {
                var ordered = day.Items.Take(day.Count).OrderBy(b => b.Start).ToArray(); // stable, as the bars' own order
                ordered.CopyTo(day.Items, 0);
            }
        }

        public IEnumerable<DateOnly> Days => _days.Keys;

        public ArraySegment<Bar> this[DateOnly day] => _days.TryGetValue(day, out var d) ? new(d.Items, 0, d.Count) : ArraySegment<Bar>.Empty;

        public void Dispose()
        {
            foreach (var day in _days.Values) ArrayPool<Bar>.Shared.Return(day.Items);
            _days.Clear();
        }
    }

    public static IntradaySnapshot Snapshot(TickerState s)
    {
        var t = s.IntradayTotals;
        double? Mean(double sum) => t.Scored == 0 ? null : sum / t.Scored;
        return new IntradaySnapshot(s.IntradayNext, s.IntradayLastScored, t.Scored, Mean(t.QlikeSum), Mean(t.QlikeSeasonalHarSum),
            Mean(t.QlikePreviousSlotSum), t.SkippedZeroVariance);
    }

    /// <summary>The next slot boundary (a slot start or the close) after <paramref name="now"/>.</summary>
    private DateTime NextBoundary(DateTime now)
    {
        var day = calendar.TradingDay(now);
        for (var i = 0; i < 10; i++, day = calendar.NextTradingDay(day))
        {
            if (calendar.Sessions(day) is not { } session || now >= session.CloseUtc) continue;
            if (now < session.OpenUtc) return session.OpenUtc;
            var next = session.OpenUtc.AddMinutes((IntradayVariance.SlotOf(session, now) + 1) * IntradayVariance.SlotMinutes);
            return next < session.CloseUtc ? next : session.CloseUtc;
        }
        return now.AddHours(1);
    }
}

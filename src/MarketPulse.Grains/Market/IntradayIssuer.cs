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
        var byDay = minuteBarsSince(since).GroupBy(b => b.Date).ToDictionary(g => g.Key, g => g.OrderBy(b => b.Start).ToList());
        var changed = false;

        if (s.IntradayNext is { } open && now >= open.SlotEndUtc)
        {
            var slots = IntradayVariance.Compute(symbol, calendar.Sessions(open.Day)!.Value, byDay.GetValueOrDefault(open.Day) ?? [], open.SlotEndUtc);
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

        foreach (var (day, bars) in byDay.Where(d => d.Key > lastStored).OrderBy(d => d.Key))
        {
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
            var partial = IntradayVariance.Compute(symbol, current, byDay.GetValueOrDefault(today) ?? [], start);
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

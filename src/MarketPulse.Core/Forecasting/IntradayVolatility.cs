using MarketPulse.Core.Market;

namespace MarketPulse.Core.Forecasting;

/// <summary>
/// One regular session's realised variance per 30-minute slot (slot 0 starts at the open, 09:30 New York): the sum of
/// the squared 1-minute log returns whose minute falls in the slot, and how many minutes were seen there.
/// A full day has 13 slots, a half day (13:00 close) 7.
/// </summary>
public sealed record SessionSlots(string Symbol, DateOnly Day, DateTime OpenUtc, double[] Variance, int[] Minutes)
{
    public int Count => Variance.Length;
    public bool IsFull => Variance.Length == IntradayVariance.SlotsPerDay;
    public DateTime SlotStartUtc(int slot) => OpenUtc.AddMinutes(slot * IntradayVariance.SlotMinutes);
}

/// <summary>
/// The intraday realised measure: 30-minute realised variance from 1-minute bars.
/// <list type="bullet">
/// <item>Only regular-session minutes count (09:30 ≤ start &lt; close); pre- and after-market bars are ignored.</item>
/// <item>Each minute's return is ln(close / previous seen close in the session). The session's first seen minute has
/// no previous close inside the session: its return is ln(close / open) of that minute, so the overnight gap is left
/// out (it is not a 30-minute move) and only the first minute's own range of prices counts.</item>
/// <item>A missing minute (no trade) is not filled: the next seen minute's return spans the gap and is put in the slot
/// of that later minute, so no price change is lost or counted twice; <see cref="SessionSlots.Minutes"/> says how
/// many minutes each slot had.</item>
/// </list>
/// </summary>
public static class IntradayVariance
{
    public const int SlotMinutes = 30;
    public const int SlotsPerDay = 13;

    /// <summary>
    /// Floor of a 30-minute variance before a log or a ratio is taken (0.001 % volatility per slot, squared): a slot
    /// without a price change has no variance to speak of.
    /// </summary>
    public const double Floor = 1e-10;

    public static int SlotCount(TradingSessions session) => (int)((session.CloseUtc - session.OpenUtc).TotalMinutes / SlotMinutes);

    /// <summary>The slot an instant falls in, or −1 outside the regular session.</summary>
    public static int SlotOf(TradingSessions session, DateTime utc) =>
        utc < session.OpenUtc || utc >= session.CloseUtc ? -1 : (int)((utc - session.OpenUtc).Ticks / TimeSpan.FromMinutes(SlotMinutes).Ticks);

    /// <summary>
    /// The slot variances of one session from its 1-minute bars (time order; bars out of order or with a
    /// non-positive price are skipped). Only bars that end by <paramref name="untilUtc"/> (default: the close) count,
    /// so a live caller can compute the slots that have ended.
    /// </summary>
    public static SessionSlots Compute(string symbol, TradingSessions session, IEnumerable<Bar> minutes, DateTime? untilUtc = null)
    {
        var n = SlotCount(session);
        var variance = new double[n];
        var seen = new int[n];
        var until = untilUtc ?? session.CloseUtc;
        var previousClose = double.NaN;
        var last = DateTime.MinValue;
        foreach (var bar in minutes)
        {
            var k = SlotOf(session, bar.Start);
            if (k < 0 || bar.End > until || bar.Start <= last || !(bar.Close > 0 && bar.Open > 0)) continue;
            last = bar.Start;
            var r = double.IsNaN(previousClose) ? Math.Log(bar.Close / bar.Open) : Math.Log(bar.Close / previousClose);
            variance[k] += r * r;
            seen[k]++;
            previousClose = bar.Close;
        }
        return new SessionSlots(symbol, session.Day, session.OpenUtc, variance, seen);
    }
}

/// <summary>
/// The intraday seasonal profile: the mean share of each 30-minute slot in its day's realised variance, over full
/// days (13 slots, each with a price change). Whoever calls it decides which days it sees; the forecaster and the
/// evaluation pass days strictly before the forecast's day only.
/// </summary>
public static class IntradayProfile
{
    /// <summary>The shares (summing to 1), or null when no usable full day is given.</summary>
    public static double[]? Estimate(IEnumerable<SessionSlots> days)
    {
        var sum = new double[IntradayVariance.SlotsPerDay];
        var count = 0;
        foreach (var d in days)
        {
            if (!d.IsFull || d.Variance.Any(v => !(v > 0))) continue;
            var total = d.Variance.Sum();
            for (var k = 0; k < sum.Length; k++) sum[k] += d.Variance[k] / total;
            count++;
        }
        if (count == 0) return null;
        for (var k = 0; k < sum.Length; k++) sum[k] /= count;
        return sum;
    }

    /// <summary>The seasonal factor of a slot: its share times 13, so that a day shaped like the profile has mean factor 1.</summary>
    public static double Factor(double[] profile, int slot) => profile[slot] * IntradayVariance.SlotsPerDay;
}

/// <summary>
/// The inputs of a forecast for one slot, as of the slot's start, in deseasonalised units (slot variance divided by
/// its seasonal factor): the previous slot, the mean of the last 13 slots (about a day, reaching into the previous
/// session), and the previous session's mean; plus the previous slot's raw variance for the naive baseline.
/// </summary>
public readonly record struct IntradayLags(double PreviousSlot, double LastThirteen, double PreviousDay, double PreviousSlotVariance)
{
    /// <summary>The regressors of the HAR model: the logs of the three deseasonalised terms (floored).</summary>
    public double[] Regressors() =>
        [Math.Log(Math.Max(PreviousSlot, IntradayVariance.Floor)), Math.Log(Math.Max(LastThirteen, IntradayVariance.Floor)),
            Math.Log(Math.Max(PreviousDay, IntradayVariance.Floor))];

    /// <summary>
    /// The lags for slot <paramref name="slot"/> of the last session in <paramref name="sessions"/> (one symbol, oldest
    /// first), using that session's slots before <paramref name="slot"/> and the sessions before it. Null unless the
    /// previous session is the calendar's previous trading day (the history restarts after a gap in the data).
    /// </summary>
    public static IntradayLags? For(IReadOnlyList<SessionSlots> sessions, int slot, double[] profile, ExchangeCalendar? calendar = null)
    {
        calendar ??= ExchangeCalendar.UsEquities;
        if (sessions.Count < 2) return null;
        var today = sessions[^1];
        var yesterday = sessions[^2];
        if (calendar.NextTradingDay(yesterday.Day) != today.Day || slot < 0 || slot >= today.Count) return null;

        double X(SessionSlots s, int k) => s.Variance[k] / IntradayProfile.Factor(profile, Math.Min(k, profile.Length - 1));
        var previousDay = 0.0;
        for (var k = 0; k < yesterday.Count; k++) previousDay += X(yesterday, k);
        previousDay /= yesterday.Count;

        // Walk back over up to 13 slots: today's earlier slots, then the previous sessions' (consecutive ones only).
        double sum = 0;
        int taken = 0;
        double previous = double.NaN, previousRaw = double.NaN;
        var index = sessions.Count - 1;
        var k0 = slot - 1;
        while (taken < IntradayVariance.SlotsPerDay)
        {
            if (k0 < 0)
            {
                if (index == 0 || (index < sessions.Count - 1 && calendar.NextTradingDay(sessions[index - 1].Day) != sessions[index].Day)) break;
                index--;
                k0 = sessions[index].Count - 1;
                continue;
            }
            var s = sessions[index];
            if (taken == 0)
            {
                previous = X(s, k0);
                previousRaw = s.Variance[k0];
            }
            sum += X(s, k0);
            taken++;
            k0--;
        }
        return new IntradayLags(previous, sum / taken, previousDay, previousRaw);
    }
}

/// <summary>
/// The next-30-minutes variance forecasts: the HAR model on deseasonalised slot variance, and the two baselines it is
/// judged against.
/// <list type="bullet">
/// <item><b>Model</b>: ln x̂ = b + β₁ ln x_prev + β₂ ln x̄_13 + β₃ ln x̄_day, x = slot variance / seasonal factor, least
/// squares (ridge λ = 10⁻³ on standardised columns, as the daily model) pooled over symbols, one intercept; the
/// forecast is factor × exp(ln x̂) × the smearing factor (mean exp of the training residuals), a mean not a median.</item>
/// <item><b>Seasonal HAR</b> (baseline, nothing fitted but the profile): factor × (x_prev + x̄_13 + x̄_day) / 3, the three
/// HAR horizons with equal weights.</item>
/// <item><b>Previous slot</b> (naive baseline): the previous slot's raw variance.</item>
/// </list>
/// </summary>
public sealed record IntradayHarModel(double[] Profile, double Intercept, double[] Coefficients, double Smearing, int Rows)
{
    public const double Lambda = 1e-3;

    /// <summary>Fewer training rows than this (about eight symbol-days of slots) and no model is fitted.</summary>
    public const int MinimumRows = 100;

    /// <summary>
    /// Fits on every slot of <paramref name="histories"/> (per symbol, oldest first) with a positive variance and lags, deseasonalised with
    /// <paramref name="profile"/>; null when fewer than <see cref="MinimumRows"/> rows. The caller passes only sessions
    /// that ended before the forecasts it will make.
    /// </summary>
    public static IntradayHarModel? Fit(IEnumerable<IReadOnlyList<SessionSlots>> histories, double[] profile)
    {
        var x = new List<double[]>();
        var y = new List<double>();
        foreach (var history in histories)
        {
            var all = history.ToArray();
            for (var i = 1; i < all.Length; i++)
            {
                var prefix = new ArraySegment<SessionSlots>(all, 0, i + 1);
                var day = all[i];
                for (var k = 0; k < day.Count; k++)
                {
                    // Slots without a price change have no variance to fit a log to; they are not scored either.
                    if (!(day.Variance[k] > 0)) continue;
                    if (IntradayLags.For(prefix, k, profile) is not { } lags) break;
                    x.Add(lags.Regressors());
                    y.Add(Math.Log(Math.Max(day.Variance[k] / IntradayProfile.Factor(profile, k), IntradayVariance.Floor)));
                }
            }
        }
        if (x.Count < MinimumRows) return null;
        var (b, beta) = RidgeRegression.Fit(x, y, Lambda);
        var smear = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            var fit = b;
            for (var k = 0; k < beta.Length; k++) fit += beta[k] * x[i][k];
            smear += Math.Exp(y[i] - fit);
        }
        return new IntradayHarModel(profile, b, beta, smear / x.Count, x.Count);
    }

    /// <summary>The model's variance forecast for <paramref name="slot"/>.</summary>
    public double Forecast(IntradayLags lags, int slot)
    {
        var r = lags.Regressors();
        var log = Intercept;
        for (var k = 0; k < r.Length; k++) log += Coefficients[k] * r[k];
        return IntradayProfile.Factor(Profile, slot) * Math.Exp(log) * Smearing;
    }

    /// <summary>The seasonal-HAR baseline's variance forecast (no regression).</summary>
    public static double SeasonalHar(double[] profile, IntradayLags lags, int slot) =>
        Math.Max(IntradayProfile.Factor(profile, slot) * (lags.PreviousSlot + lags.LastThirteen + lags.PreviousDay) / 3, IntradayVariance.Floor);

    /// <summary>The naive baseline: the previous slot's variance.</summary>
    public static double PreviousSlot(IntradayLags lags) => Math.Max(lags.PreviousSlotVariance, IntradayVariance.Floor);

    /// <summary>
    /// The three forecasts for <paramref name="slot"/> of <paramref name="today"/> (its slots before it filled) for one
    /// symbol, as the live ticker issues them: the profile and the model from <paramref name="completed"/>, the
    /// symbol's sessions before today (the model is fitted on them alone, so it needs about nine of them). Null when
    /// there is no profile or no lags yet.
    /// </summary>
    public static IntradayForecast? ForecastSlot(IReadOnlyList<SessionSlots> completed, SessionSlots today, int slot) =>
        ForecastSlot(Prepare(completed), completed, today, slot);

    /// <summary>
    /// The profile and the model from a symbol's completed sessions: the part of <see cref="ForecastSlot(IReadOnlyList{SessionSlots}, SessionSlots, int)"/>
    /// that changes only when a session completes, so a live caller computes it once per session, not at each of its slots.
    /// Null without a profile.
    /// </summary>
    public static IntradayFit? Prepare(IReadOnlyList<SessionSlots> completed) =>
        IntradayProfile.Estimate(completed) is { } profile ? new IntradayFit(profile, Fit([completed], profile)) : null;

    /// <summary>As <see cref="ForecastSlot(IReadOnlyList{SessionSlots}, SessionSlots, int)"/>, with <paramref name="fit"/> = <see cref="Prepare"/>(<paramref name="completed"/>).</summary>
    public static IntradayForecast? ForecastSlot(IntradayFit? fit, IReadOnlyList<SessionSlots> completed, SessionSlots today, int slot)
    {
        if (completed.Any(s => s.Day >= today.Day)) throw new ArgumentException("completed sessions must be before today", nameof(completed));
        if (fit is null) return null;
        if (IntradayLags.For([.. completed, today], slot, fit.Profile) is not { } lags) return null;
        return new IntradayForecast(fit.Model?.Forecast(lags, slot), SeasonalHar(fit.Profile, lags, slot), PreviousSlot(lags));
    }
}

/// <summary>A symbol's seasonal profile and its fitted model (null until it can be fitted), from its completed sessions.</summary>
public sealed record IntradayFit(double[] Profile, IntradayHarModel? Model);

/// <summary>A slot's forecasts: the model's (null until it can be fitted) and the two baselines'.</summary>
public readonly record struct IntradayForecast(double? Model, double SeasonalHar, double PreviousSlot)
{
    /// <summary>What is issued: the model's forecast, or seasonal HAR's while there is no model.</summary>
    public double Variance => Model ?? SeasonalHar;
    public string Method => Model is null ? "seasonal-har" : "intraday-har";
}

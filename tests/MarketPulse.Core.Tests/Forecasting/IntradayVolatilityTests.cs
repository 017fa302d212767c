using MarketPulse.Core.Forecasting;
using MarketPulse.Core.Market;

namespace MarketPulse.Core.Tests.Forecasting;

public class IntradayVolatilityTests
{
    private static readonly ExchangeCalendar Calendar = ExchangeCalendar.UsEquities;

    private static TradingSessions Session(DateOnly day) => Calendar.Sessions(day)!.Value;

    private static Bar Minute(TradingSessions s, int minute, double open, double close) =>
        new(s.OpenUtc.AddMinutes(minute), TimeSpan.FromMinutes(1), s.Day, open, Math.Max(open, close), Math.Min(open, close), close, 100, 1);

    [Fact]
    public void Slot_variance_sums_squared_minute_log_returns_leaves_out_the_overnight_gap_and_spans_missing_minutes()
    {
        var s = Session(new DateOnly(2013, 10, 7));   // a full day: 09:30–16:00 New York, 13 slots
        var bars = new List<Bar>
        {
            new(s.OpenUtc.AddMinutes(-5), TimeSpan.FromMinutes(1), s.Day, 90, 90, 90, 90, 100, 1),   // pre-market: ignored
            Minute(s, 0, 100, 101),        // first minute: ln(101/100), the gap from the previous close is not counted
            Minute(s, 1, 101, 102),        // ln(102/101)
            // minutes 2..30 missing
            Minute(s, 31, 103, 104),       // slot 1: ln(104/102) spans the gap, counted once, in the slot of its minute
            Minute(s, 389, 104, 103),      // 15:59, last slot
            new(s.CloseUtc, TimeSpan.FromMinutes(1), s.Day, 50, 50, 50, 50, 100, 1),                // after hours: ignored
        };
        var slots = IntradayVariance.Compute("X", s, bars);

        Assert.Equal(13, slots.Count);
        Assert.True(slots.IsFull);
        Assert.Equal(Sq(Math.Log(1.01)) + Sq(Math.Log(102 / 101.0)), slots.Variance[0], 15);
        Assert.Equal(Sq(Math.Log(104 / 102.0)), slots.Variance[1], 15);
        Assert.Equal(Sq(Math.Log(103 / 104.0)), slots.Variance[12], 15);
        Assert.Equal([2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], slots.Minutes);
        Assert.All(slots.Variance[2..12], v => Assert.Equal(0, v));
        Assert.Equal(s.OpenUtc.AddMinutes(30), slots.SlotStartUtc(1));

        // Live: only the minutes that have ended by the given instant count.
        var partial = IntradayVariance.Compute("X", s, bars, s.OpenUtc.AddMinutes(30));
        Assert.Equal(slots.Variance[0], partial.Variance[0], 15);
        Assert.Equal(0, partial.Variance[1]);
    }

    [Fact]
    public void A_half_day_has_seven_slots()
    {
        var s = Session(new DateOnly(2015, 12, 24));
        Assert.Equal(7, IntradayVariance.SlotCount(s));
        Assert.False(IntradayVariance.Compute("X", s, []).IsFull);
    }

    [Fact]
    public void The_seasonal_profile_is_the_mean_share_of_each_slot_and_sees_only_the_days_it_is_given()
    {
        var d1 = Full("A", new DateOnly(2013, 10, 7), k => k == 0 ? 4.0 : 1.0);     // shares 4/16 and 1/16
        var d2 = Full("A", new DateOnly(2013, 10, 8), _ => 1.0);                    // 1/13 each
        var profile = IntradayProfile.Estimate([d1, d2])!;
        Assert.Equal(1, profile.Sum(), 12);
        Assert.Equal((4 / 16.0 + 1 / 13.0) / 2, profile[0], 12);
        Assert.Equal((1 / 16.0 + 1 / 13.0) / 2, profile[5], 12);
        // A day with a slot without variance, or a half day, does not enter it; with nothing usable there is no profile.
        var gappy = Full("A", new DateOnly(2013, 10, 9), k => k == 3 ? 0 : 9.0);
        Assert.Equal(profile, IntradayProfile.Estimate([d1, d2, gappy]));
        Assert.Null(IntradayProfile.Estimate([gappy]));
    }

    [Fact]
    public void Lags_use_only_slots_before_the_forecast_and_restart_after_a_gap_in_the_data()
    {
        var flat = Enumerable.Repeat(1 / 13.0, 13).ToArray();
        var monday = Full("A", new DateOnly(2013, 10, 7), k => 1 + k);
        var tuesday = Full("A", new DateOnly(2013, 10, 8), k => 100 + k);
        var lags = IntradayLags.For([monday, tuesday], 3, flat)!.Value;
        Assert.Equal(102, lags.PreviousSlot, 12);
        Assert.Equal(102, lags.PreviousSlotVariance, 12);
        Assert.Equal(7, lags.PreviousDay, 12);                                             // mean of 1..13
        Assert.Equal((100 + 101 + 102 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13) / 13.0, lags.LastThirteen, 12);

        // The forecast of slot 3 does not change whatever slots 3.. of the day hold.
        var tuesdayLater = tuesday with { Variance = [.. tuesday.Variance[..3], .. Enumerable.Repeat(1e6, 10)] };
        Assert.Equal(lags, IntradayLags.For([monday, tuesdayLater], 3, flat));

        // Slot 0 leans on the previous session; the day after a gap has no history.
        Assert.Equal(13, IntradayLags.For([monday, tuesday], 0, flat)!.Value.PreviousSlot, 12);
        Assert.Null(IntradayLags.For([monday, Full("A", new DateOnly(2013, 10, 9), _ => 1)], 0, flat));
        Assert.Null(IntradayLags.For([tuesday], 5, flat));
        // Deseasonalised: a slot twice as heavy as average in the profile counts half.
        var heavyFirst = flat.ToArray();
        heavyFirst[2] = 2 / 13.0;
        Assert.Equal(51, IntradayLags.For([monday, tuesday], 3, heavyFirst)!.Value.PreviousSlot, 12);
    }

    [Fact]
    public void The_model_needs_enough_earlier_slots_and_fits_every_slot_with_history_and_variance()
    {
        var (history, profile) = Simulated(symbols: 3, days: 4, seed: 5);
        // One day per symbol: no slot has a previous session, so nothing to fit.
        Assert.Null(IntradayHarModel.Fit(history.Select(h => (IReadOnlyList<SessionSlots>)h.Take(1).ToList()), profile));
        var model = IntradayHarModel.Fit(history, profile)!;
        Assert.Equal(3 * 3 * 13, model.Rows);   // the first day of each symbol only supplies lags
        Assert.True(model.Smearing > 1, "the mean of a log-normal-ish variance lies above exp of its mean log");
    }

    [Fact]
    public void On_persistent_volatility_with_a_u_shape_the_model_beats_the_naive_previous_slot_and_does_not_lose_to_seasonal_har()
    {
        // Simulated: a U-shaped seasonal pattern times a persistent (AR(1) in logs) level, times noise. The fit sees the
        // first 20 days; it is scored on the last 10.
        var (history, _) = Simulated(symbols: 4, days: 30, seed: 7);
        double model = 0, seasonal = 0, naive = 0;
        var n = 0;
        for (var d = 20; d < 30; d++)
        {
            var past = history.Select(h => (IReadOnlyList<SessionSlots>)h.Take(d).ToList()).ToList();
            var profile = IntradayProfile.Estimate(past.SelectMany(h => h))!;
            var fit = IntradayHarModel.Fit(past, profile)!;
            foreach (var h in history)
            {
                var prefix = h.Take(d + 1).ToList();
                for (var k = 0; k < 13; k++)
                {
                    var lags = IntradayLags.For(prefix, k, profile)!.Value;
                    var realized = prefix[^1].Variance[k];
                    model += RealizedMeasures.Qlike(realized, fit.Forecast(lags, k));
                    seasonal += RealizedMeasures.Qlike(realized, IntradayHarModel.SeasonalHar(profile, lags, k));
                    naive += RealizedMeasures.Qlike(realized, IntradayHarModel.PreviousSlot(lags));
                    n++;
                }
            }
        }
        Assert.Equal(4 * 10 * 13, n);
        Assert.True(model < naive * 0.8, $"model {model / n:F4} vs previous slot {naive / n:F4}");
        Assert.True(model <= seasonal * 1.02, $"model {model / n:F4} vs seasonal HAR {seasonal / n:F4}");
        // The seasonal profile matters: the naive forecast of the open from the close is far off.
        Assert.True(seasonal < naive, $"seasonal {seasonal / n:F4} vs previous slot {naive / n:F4}");
    }

    [Fact]
    public void A_live_slot_forecast_uses_the_model_once_the_symbol_has_enough_sessions_and_seasonal_har_before()
    {
        var (history, _) = Simulated(symbols: 1, days: 12, seed: 3);
        var sessions = history[0];
        var today = sessions[^1] with { Variance = [.. sessions[^1].Variance[..4], .. new double[9]] };
        var early = IntradayHarModel.ForecastSlot(sessions.Take(3).ToList(), sessions[3], 4)!.Value;
        Assert.Null(early.Model);
        Assert.Equal("seasonal-har", early.Method);
        Assert.Equal(early.SeasonalHar, early.Variance);
        var late = IntradayHarModel.ForecastSlot(sessions.Take(11).ToList(), today, 4)!.Value;
        Assert.Equal("intraday-har", late.Method);
        Assert.Equal(late.Model!.Value, late.Variance);
        Assert.True(late.Variance > 0);
        // Today's later slots do not enter it; today's own session may not be passed as completed.
        Assert.Equal(late, IntradayHarModel.ForecastSlot(sessions.Take(11).ToList(), sessions[^1], 4));
        Assert.Throws<ArgumentException>(() => IntradayHarModel.ForecastSlot(sessions, today, 4));
    }

    [Fact]
    public void Forecasts_are_positive_even_after_a_slot_without_variance()
    {
        var flat = Enumerable.Repeat(1 / 13.0, 13).ToArray();
        var quiet = Full("A", new DateOnly(2013, 10, 7), _ => 0);
        var lags = IntradayLags.For([quiet, Full("A", new DateOnly(2013, 10, 8), _ => 0)], 1, flat)!.Value;
        Assert.True(IntradayHarModel.PreviousSlot(lags) > 0);
        Assert.True(IntradayHarModel.SeasonalHar(flat, lags, 1) > 0);
    }

    private static double Sq(double x) => x * x;

    private static SessionSlots Full(string symbol, DateOnly day, Func<int, double> variance) =>
        new(symbol, day, Session(day).OpenUtc, Enumerable.Range(0, 13).Select(variance).ToArray(), Enumerable.Repeat(30, 13).ToArray());

    private static (List<List<SessionSlots>> History, double[] Profile) Simulated(int symbols, int days, int seed)
    {
        var random = new Random(seed);
        var shape = Enumerable.Range(0, 13).Select(k => 1 + 2.5 * Math.Pow((k - 6) / 6.0, 2)).ToArray();
        var profile = shape.Select(v => v / shape.Sum()).ToArray();
        var history = new List<List<SessionSlots>>();
        for (var s = 0; s < symbols; s++)
        {
            var list = new List<SessionSlots>();
            var level = 0.0;
            var day = new DateOnly(2013, 10, 1);
            for (var d = 0; d < days; d++)
            {
                var v = new double[13];
                for (var k = 0; k < 13; k++)
                {
                    level = 0.9 * level + 0.45 * Normal(random);
                    // Chi-square(4)/4 noise around the latent variance, as a sum of squared returns would give.
                    var noise = Enumerable.Range(0, 4).Sum(_ => Sq(Normal(random))) / 4;
                    v[k] = 1e-5 * shape[k] * Math.Exp(level) * noise;
                }
                list.Add(new SessionSlots($"S{s}", day, Session(day).OpenUtc, v, Enumerable.Repeat(30, 13).ToArray()));
                day = Calendar.NextTradingDay(day);
            }
            history.Add(list);
        }
        return (history, profile);
    }

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}

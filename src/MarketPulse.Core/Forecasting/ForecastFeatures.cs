namespace MarketPulse.Core.Forecasting;

/// <summary>One trading day of a symbol: split/dividend-adjusted open, high, low, close and the day's volume.</summary>
public readonly record struct DailyOhlcv(DateOnly Date, double Open, double High, double Low, double Close, double Volume);

/// <summary>A post about the symbol: when it was published and its (lexicon) polarity in [−1, 1].</summary>
public readonly record struct PostObservation(DateTime TimeUtc, double Polarity);

/// <summary>
/// The market's realised variance on one day: the mean over the symbols that traded it of ln GK variance, and of the
/// symbol's sector (NaN where unknown).
/// </summary>
public readonly record struct MarketVariance(double MeanLogVariance, double SectorMeanLogVariance);

/// <summary>
/// The inputs of the next-day volatility and volume forecasts, computed at the prediction time of the target day
/// (00:00 UTC of it) from the daily bars before the target day and the posts before that instant only.
/// </summary>
/// <remarks>
/// Every candidate input is computed here, in a fixed order (<see cref="Names"/>); a model names the ones it uses, so
/// that training, the backtest and the live grains read one definition. Windows are chosen so that a live sentiment
/// grain (which keeps about six days of posts) can supply them.
/// </remarks>
public static class ForecastFeatures
{
    /// <summary>The daily bars the features need at least (22 days of variance plus the return before the first).</summary>
    public const int MinimumHistory = 23;

    /// <summary>Days averaged for the ticker's long-run variance and volume level.</summary>
    public const int AnchorDays = 250;

    /// <summary>Posts with |polarity| at least this are "extreme".</summary>
    public const double ExtremePolarity = 0.5;

    public static readonly string[] Names =
    [
        "lv_d", "lv_w", "lv_m", "lv_q",            // ln GK variance: basis day, 5- and 22-day means, 250-day level
        "lr2", "neg_ret", "lgap2", "neg_ret_w",    // ln r², min(r, 0) of the basis day, ln gap², 5-day sum of negative returns
        "mkt_lv", "sec_lv",                        // market and sector mean ln GK variance on the basis day
        "lvol_d", "lvol_w", "lvol_m", "lvol_q",    // ln volume: basis day, 5- and 22-day means, 250-day level
        "posts_1d", "posts_5d", "sent_1d", "sent_ext_1d", "sent_sd_1d", "sent_5d", // text activity and tone
        "monday", "friday", "after_holiday",
        "lv_fc",                                   // the variance model's own ln forecast (filled by ForecastModel, for the volume model)
        "lvl_w", "lvl_m",                          // ln of the mean GK variance (level, not log) over 5 and 22 days: spikes weigh in
        "half_day", "opex", "quad_witching",       // the target's exchange calendar: early close, monthly options expiry, quarterly expiry
    ];

    /// <summary>The slot of the variance forecast, filled in after the variance model ran.</summary>
    public static readonly int VarianceForecastIndex = Array.IndexOf(Names, "lv_fc");

    public static int Count => Names.Length;

    public static int IndexOf(string name)
    {
        var i = Array.IndexOf(Names, name);
        return i >= 0 ? i : throw new ArgumentException($"unknown forecast feature '{name}'", nameof(name));
    }

    /// <summary>00:00 UTC of the target day: the forecasts' prediction time, the same as the direction calls'.</summary>
    public static DateTime PredictionTimeUtc(DateOnly target) => target.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>
    /// Computes every feature for <paramref name="target"/> into <paramref name="features"/> (length <see cref="Count"/>).
    /// </summary>
    /// <param name="bars">The symbol's daily bars in date order; only those dated before <paramref name="target"/> are read.</param>
    /// <param name="posts">The symbol's posts in time order; only those before the prediction time are read.</param>
    /// <param name="market">The market's variance on the basis day (the last bar before the target); null: the symbol's own.</param>
    /// <returns>False when there are fewer than <see cref="MinimumHistory"/> usable bars before the target.</returns>
    public static bool TryCompute(IReadOnlyList<DailyOhlcv> bars, DateOnly target, IReadOnlyList<PostObservation> posts,
        MarketVariance? market, Span<double> features)
    {
        if (features.Length != Count) throw new ArgumentException($"need {Count} slots", nameof(features));
        var end = UpperBound(bars, target); // bars[0..end) are before the target
        if (end < MinimumHistory) return false;
        var start = Math.Max(0, end - AnchorDays - 1);

        // ln GK variance and ln volume of each usable day, newest last.
        Span<double> lv = stackalloc double[end - start];
        Span<double> lvol = stackalloc double[end - start];
        for (var i = start; i < end; i++)
        {
            var b = bars[i];
            var gk = RealizedMeasures.GarmanKlass(b.Open, b.High, b.Low, b.Close);
            lv[i - start] = RealizedMeasures.LogVariance(double.IsNaN(gk) ? 0 : gk);
            lvol[i - start] = Math.Log(Math.Max(b.Volume, 1));
        }
        var n = lv.Length;
        features[0] = lv[n - 1];
        features[1] = Mean(lv[(n - 5)..]);
        features[2] = Mean(lv[(n - 22)..]);
        features[3] = Mean(lv[Math.Max(0, n - AnchorDays)..]);

        var basis = bars[end - 1];
        var previous = bars[end - 2];
        var r = RealizedMeasures.LogReturn(previous.Close, basis.Close);
        if (double.IsNaN(r)) r = 0;
        features[4] = RealizedMeasures.LogVariance(r * r);
        features[5] = Math.Min(r, 0);
        var gap = basis.Open > 0 && previous.Close > 0 ? Math.Log(basis.Open / previous.Close) : 0;
        features[6] = RealizedMeasures.LogVariance(gap * gap);
        var negWeek = 0.0;
        for (var i = Math.Max(1, end - 5); i < end; i++)
        {
            var ri = RealizedMeasures.LogReturn(bars[i - 1].Close, bars[i].Close);
            if (ri < 0) negWeek += ri;
        }
        features[7] = negWeek;
        features[8] = market is { } m && double.IsFinite(m.MeanLogVariance) ? m.MeanLogVariance : features[0];
        features[9] = market is { } s && double.IsFinite(s.SectorMeanLogVariance) ? s.SectorMeanLogVariance : features[8];

        features[10] = lvol[n - 1];
        features[11] = Mean(lvol[(n - 5)..]);
        features[12] = Mean(lvol[(n - 22)..]);
        features[13] = Mean(lvol[Math.Max(0, n - AnchorDays)..]);

        // Posts: the basis day's calendar day (UTC) up to the prediction time (a weekend's included), and the 5 days before it.
        var cut = PredictionTimeUtc(target);
        var dayStart = basis.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var recentDays = Math.Max(1, (cut - dayStart).TotalDays);
        var recent = Summarize(posts, dayStart, cut);
        var week = Summarize(posts, cut.AddDays(-5), cut);
        features[14] = Math.Log(1 + recent.Count / recentDays);
        features[15] = Math.Log(1 + week.Count / 5.0);
        features[16] = recent.Mean;
        features[17] = recent.Count == 0 ? 0 : recent.Extreme / (double)recent.Count;
        features[18] = recent.StandardDeviation;
        features[19] = week.Mean;

        features[20] = target.DayOfWeek == DayOfWeek.Monday ? 1 : 0;
        features[21] = target.DayOfWeek == DayOfWeek.Friday ? 1 : 0;
        // A weekday holiday between the basis day and the target (a Monday target after a Friday is the normal weekend).
        var calendarGap = target.DayNumber - basis.Date.DayNumber;
        features[22] = calendarGap > (target.DayOfWeek == DayOfWeek.Monday ? 3 : 1) ? 1 : 0;
        features[23] = double.NaN;
        features[24] = LogMeanLevel(lv[(n - 5)..]);
        features[25] = LogMeanLevel(lv[(n - 22)..]);
        var thirdFriday = target.DayOfWeek == DayOfWeek.Friday && target.Day is >= 15 and <= 21;
        features[26] = Market.ExchangeCalendar.UsEquities.IsHalfDay(target) ? 1 : 0;
        features[27] = thirdFriday ? 1 : 0;
        features[28] = thirdFriday && target.Month % 3 == 0 ? 1 : 0;
        return true;
    }

    /// <summary>The number of bars dated before <paramref name="target"/> (bars are in date order).</summary>
    public static int UpperBound(IReadOnlyList<DailyOhlcv> bars, DateOnly target)
    {
        int lo = 0, hi = bars.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (bars[mid].Date < target) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private readonly record struct PostSummary(int Count, double Mean, int Extreme, double StandardDeviation);

    private static PostSummary Summarize(IReadOnlyList<PostObservation> posts, DateTime from, DateTime to)
    {
        // Posts are in time order: find the first at/after from by binary search, then walk to 'to'.
        int lo = 0, hi = posts.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (posts[mid].TimeUtc < from) lo = mid + 1; else hi = mid;
        }
        int count = 0, extreme = 0;
        double sum = 0, sumSq = 0;
        for (var i = lo; i < posts.Count && posts[i].TimeUtc < to; i++)
        {
            var p = posts[i].Polarity;
            count++;
            sum += p;
            sumSq += p * p;
            if (Math.Abs(p) >= ExtremePolarity) extreme++;
        }
        if (count == 0) return default;
        var mean = sum / count;
        var variance = count > 1 ? Math.Max(0, (sumSq - count * mean * mean) / (count - 1)) : 0;
        return new PostSummary(count, mean, extreme, Math.Sqrt(variance));
    }

    private static double LogMeanLevel(ReadOnlySpan<double> logs)
    {
        var s = 0.0;
        foreach (var v in logs) s += Math.Exp(v);
        return Math.Log(s / logs.Length);
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        var s = 0.0;
        foreach (var v in values) s += v;
        return s / values.Length;
    }
}

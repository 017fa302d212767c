using MarketPulse.Core.Indicators;
using MarketPulse.Core.Market;

namespace MarketPulse.Ml.Price;

/// <summary>One split- and dividend-adjusted daily bar.</summary>
public readonly record struct DayBar(DateOnly Date, double Open, double High, double Low, double Close, double Volume);

/// <summary>One scored text about the ticker: when it was posted and its sentiment polarity in [-1, 1].</summary>
public readonly record struct TextObservation(DateTime TimeUtc, double Polarity, double SignalPolarity)
{
    /// <summary>A text whose sentiment signal uses the same score as the price features.</summary>
    public TextObservation(DateTime timeUtc, double polarity) : this(timeUtc, polarity, polarity) { }
}

/// <summary>The whole market's and the ticker's sector's average log return on one trading day.</summary>
public readonly record struct MarketDay(double MarketReturn1, double MarketReturn5, double SectorReturn1);

/// <summary>
/// Everything the price model may see when it predicts the move of <see cref="Target"/>: bars strictly before the target
/// day, texts posted before the prediction time (<see cref="PriceFeatures.PredictionTimeUtc"/>: 00:00 UTC of the target
/// day), and the market context of the days of those bars.
/// </summary>
public sealed record PriceInputs(
    DateOnly Target,
    IReadOnlyList<DayBar> Bars,
    IReadOnlyList<TextObservation> Texts,
    Func<DateOnly, MarketDay?> Market,
    int Sector);

/// <summary>
/// The one feature computation shared by training, evaluation and live serving. Pure and causal: it reads only bars
/// dated before the target day (the last one is the basis day), texts posted in the 5 calendar days before the target
/// day — StockNet's window, which ends at the prediction time <see cref="PredictionTimeUtc"/> (00:00 UTC of the target
/// day) and so includes the basis day's after-hours posts and a weekend before a Monday — and the market context of bar
/// days.
/// Indicators always run over exactly the last <see cref="HistoryDays"/> bars, so the values do not depend on how much
/// history a caller happens to hold.
/// </summary>
public static class PriceFeatures
{
    public const int HistoryDays = 60;
    public const int SequenceDays = 20;
    public const int TextWindowDays = 5;

    public static readonly string[] Names =
    [
        "ret_1d", "ret_1d_lag1", "ret_1d_lag2", "ret_5d", "ret_10d", "ret_20d",
        "rsi14", "macd_hist", "bollinger_pctb", "vol_20d", "vol_5d_over_20d", "atr14", "volume_vs_20d", "volume_change_1d",
        "body", "range", "close_location", "from_max_20d", "from_min_20d",
        "text_polarity_5d", "text_count_5d", "text_count_change", "text_positive_share", "text_negative_share",
        "text_polarity_24h", "text_count_24h",
        "market_ret_1d", "market_ret_5d", "sector_ret_1d", "excess_ret_1d", "sector",
    ];

    /// <summary>Indices of the text-derived features (zeroed for the price-only model).</summary>
    public static readonly int[] TextFeatureIndices = [19, 20, 21, 22, 23, 24, 25];

    public static readonly string[] SequenceNames =
        ["ret_1d", "body", "range", "log_volume_rel", "market_ret_1d", "text_polarity_day", "text_count_day"];

    public static int Count => Names.Length;
    public static int SequenceWidth => SequenceNames.Length;

    /// <summary>The bars the features may read: those dated before the target, at most the last <see cref="HistoryDays"/>.</summary>
    public static ReadOnlySpan<DayBar> Usable(IReadOnlyList<DayBar> bars, DateOnly target, Span<DayBar> buffer)
    {
        var end = bars.Count;
        while (end > 0 && bars[end - 1].Date >= target) end--;
        var start = Math.Max(0, end - HistoryDays);
        for (var i = start; i < end; i++) buffer[i - start] = bars[i];
        return buffer[..(end - start)];
    }

    /// <summary>The basis day's close (the end of that day's bar; per-day text rows of the sequence end at closes).</summary>
    public static DateTime Cutoff(DayBar basis) => ExchangeCalendar.UsEquities.CloseUtc(basis.Date);

    /// <summary>
    /// The one prediction time for target day <paramref name="target"/>: 00:00 UTC of that day, where StockNet's text
    /// window (tweet files by UTC date, the 5 calendar days before the target) ends. The prediction is issued then (live
    /// and in the backtest) and may read every text before it; it is still before the target day's pre-market opens.
    /// </summary>
    public static DateTime PredictionTimeUtc(DateOnly target) => target.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    /// <summary>Start of the text window: midnight UTC five calendar days before the target day.</summary>
    public static DateTime TextWindowStart(DateOnly target) => PredictionTimeUtc(target).AddDays(-TextWindowDays);

    /// <returns>False when there is no bar before the target day (nothing to predict from).</returns>
    public static bool TryCompute(PriceInputs inputs, Span<float> features)
    {
        if (features.Length != Count) throw new ArgumentException($"expected {Count} features", nameof(features));
        Span<DayBar> buffer = stackalloc DayBar[HistoryDays];
        var bars = Usable(inputs.Bars, inputs.Target, buffer);
        if (bars.Length == 0) return false;
        var n = bars.Length;
        var d = bars[n - 1];

        features.Clear();
        features[0] = (float)LogRet(bars, n - 1, 1);
        features[1] = (float)LogRet(bars, n - 2, 1);
        features[2] = (float)LogRet(bars, n - 3, 1);
        features[3] = (float)LogRet(bars, n - 1, 5);
        features[4] = (float)LogRet(bars, n - 1, 10);
        features[5] = (float)LogRet(bars, n - 1, 20);

        var rsi = new RelativeStrengthIndex(14);
        var macd = new MovingAverageConvergenceDivergence();
        var bands = new BollingerBands(20, 2);
        var vol20 = new RealizedVolatility(20);
        var vol5 = new RealizedVolatility(5);
        var atr = new AverageTrueRange(14);
        foreach (var b in bars)
        {
            rsi.Update(b.Close);
            macd.Update(b.Close);
            bands.Update(b.Close);
            vol20.Update(b.Close);
            vol5.Update(b.Close);
            atr.Update(b.High, b.Low, b.Close, b.Volume);
        }
        features[6] = F(rsi.IsReady ? (rsi.Current - 50) / 50 : 0);
        features[7] = F(macd.IsReady ? macd.Histogram / d.Close : 0);
        features[8] = F(bands.IsReady ? bands.PercentB - 0.5 : 0);
        features[9] = F(vol20.IsReady ? vol20.Current : 0);
        features[10] = F(vol20.IsReady && vol5.IsReady && vol20.Current > 0 && vol5.Current > 0 ? Math.Log(vol5.Current / vol20.Current) : 0);
        features[11] = F(atr.IsReady ? atr.Current / d.Close : 0);

        double volSum = 0;
        var volCount = 0;
        for (var i = Math.Max(0, n - 20); i < n; i++) { volSum += d.Volume > 0 ? bars[i].Volume : 0; volCount++; }
        features[12] = F(volSum > 0 && d.Volume > 0 ? Math.Log(d.Volume / (volSum / volCount)) : 0);
        features[13] = F(n > 1 && d.Volume > 0 && bars[n - 2].Volume > 0 ? Math.Log(d.Volume / bars[n - 2].Volume) : 0);
        features[14] = F(d.Open > 0 ? d.Close / d.Open - 1 : 0);
        features[15] = F(d.Close > 0 ? (d.High - d.Low) / d.Close : 0);
        features[16] = F(d.High > d.Low ? (d.Close - d.Low) / (d.High - d.Low) - 0.5 : 0);
        double max = double.MinValue, min = double.MaxValue;
        for (var i = Math.Max(0, n - 20); i < n; i++) { max = Math.Max(max, bars[i].Close); min = Math.Min(min, bars[i].Close); }
        features[17] = F(d.Close / max - 1);
        features[18] = F(d.Close / min - 1);

        var cutoff = PredictionTimeUtc(inputs.Target);
        var start = TextWindowStart(inputs.Target);
        var text = Summarize(inputs.Texts, start, cutoff);
        var previous = Summarize(inputs.Texts, start.AddDays(-TextWindowDays), start);
        var day = Summarize(inputs.Texts, cutoff.AddHours(-24) > start ? cutoff.AddHours(-24) : start, cutoff);
        features[19] = F(text.Mean);
        features[20] = F(Math.Log(1 + text.Count));
        features[21] = F(Math.Log(1 + text.Count) - Math.Log(1 + previous.Count));
        features[22] = F(text.Count > 0 ? text.Positive / (double)text.Count : 0);
        features[23] = F(text.Count > 0 ? text.Negative / (double)text.Count : 0);
        features[24] = F(day.Mean);
        features[25] = F(Math.Log(1 + day.Count));

        var market = inputs.Market(d.Date);
        features[26] = F(market?.MarketReturn1 ?? 0);
        features[27] = F(market?.MarketReturn5 ?? 0);
        features[28] = F(market?.SectorReturn1 ?? 0);
        features[29] = F(market is { } m ? LogRet(bars, n - 1, 1) - m.MarketReturn1 : 0);
        features[30] = inputs.Sector;
        return true;
    }

    /// <summary>
    /// The deep model's input: one row per day for the last <see cref="SequenceDays"/> bars before the target, oldest
    /// first, left-padded with zeros when there is less history. Text per day = posts between the previous bar's close and this bar's close.
    /// </summary>
    public static bool TryComputeSequence(PriceInputs inputs, Span<float> sequence)
    {
        if (sequence.Length != SequenceDays * SequenceWidth) throw new ArgumentException("wrong sequence size", nameof(sequence));
        Span<DayBar> buffer = stackalloc DayBar[HistoryDays];
        var bars = Usable(inputs.Bars, inputs.Target, buffer);
        sequence.Clear();
        if (bars.Length == 0) return false;
        var n = bars.Length;
        double logVolSum = 0;
        var logVolCount = 0;
        for (var i = Math.Max(0, n - SequenceDays); i < n; i++)
            if (bars[i].Volume > 0) { logVolSum += Math.Log(bars[i].Volume); logVolCount++; }
        var logVolMean = logVolCount > 0 ? logVolSum / logVolCount : 0;
        var windowStart = TextWindowStart(inputs.Target);
        var rows = Math.Min(SequenceDays, n);
        for (var k = 0; k < rows; k++)
        {
            var i = n - rows + k;
            var b = bars[i];
            var row = sequence.Slice((SequenceDays - rows + k) * SequenceWidth, SequenceWidth);
            row[0] = F(LogRet(bars, i, 1));
            row[1] = F(b.Open > 0 ? b.Close / b.Open - 1 : 0);
            row[2] = F(b.Close > 0 ? (b.High - b.Low) / b.Close : 0);
            row[3] = F(b.Volume > 0 && logVolCount > 0 ? Math.Log(b.Volume) - logVolMean : 0);
            row[4] = F(inputs.Market(b.Date)?.MarketReturn1 ?? 0);
            var to = i == n - 1 ? PredictionTimeUtc(inputs.Target) : Cutoff(b);
            var from = i > 0 ? Cutoff(bars[i - 1]) : to.AddDays(-1);
            // The 5-day text window of the protocol bounds the sequence's text too.
            if (from < windowStart) from = windowStart;
            var t = from < to ? Summarize(inputs.Texts, from, to) : default;
            row[5] = F(t.Mean);
            row[6] = F(Math.Log(1 + t.Count));
        }
        return true;
    }

    public readonly record struct TextSummary(int Count, double Mean, int Positive, int Negative);

    /// <summary>Texts with <paramref name="from"/> ≤ time &lt; <paramref name="to"/>; <paramref name="texts"/> must be sorted by time.</summary>
    public static TextSummary Summarize(IReadOnlyList<TextObservation> texts, DateTime from, DateTime to)
    {
        var i = LowerBound(texts, from);
        int count = 0, pos = 0, neg = 0;
        double sum = 0;
        for (; i < texts.Count && texts[i].TimeUtc < to; i++)
        {
            var p = texts[i].Polarity;
            count++;
            sum += p;
            if (p >= 0.05) pos++;
            else if (p <= -0.05) neg++;
        }
        return new TextSummary(count, count > 0 ? sum / count : 0, pos, neg);
    }

    private static int LowerBound(IReadOnlyList<TextObservation> texts, DateTime from)
    {
        int lo = 0, hi = texts.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (texts[mid].TimeUtc < from) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static double LogRet(ReadOnlySpan<DayBar> bars, int at, int lag)
    {
        if (at - lag < 0 || at >= bars.Length) return 0;
        var a = bars[at - lag].Close;
        var b = bars[at].Close;
        return a > 0 && b > 0 ? Math.Log(b / a) : 0;
    }

    private static float F(double v) => double.IsFinite(v) ? (float)v : 0f;
}

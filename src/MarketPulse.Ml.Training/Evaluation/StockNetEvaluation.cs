using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Core.Ensemble;
using MarketPulse.Core.Evaluation;
using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Price;

namespace MarketPulse.Ml.Training.Evaluation;

public sealed record SignalResult(
    [property: JsonPropertyName("n")] long N,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("mcc")] double Mcc,
    [property: JsonPropertyName("brier")] double Brier,
    [property: JsonPropertyName("accuracy_ci95")] double[] AccuracyCi95)
{
    /// <summary>95 % interval of the accuracy from resampling whole target days (<see cref="ClusterBootstrap"/>).</summary>
    [JsonPropertyName("accuracy_ci95_days")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double[]? AccuracyCi95Days { get; init; }

    /// <summary>95 % interval of the MCC from resampling whole target days.</summary>
    [JsonPropertyName("mcc_ci95_days")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double[]? MccCi95Days { get; init; }

    /// <summary>The accuracy's interval is binomial (every call independent): too narrow where calls fail together.</summary>
    public static SignalResult From(BinaryMetrics m)
    {
        var acc = m.Count == 0 ? 0 : m.Accuracy;
        var half = m.Count == 0 ? 0 : 1.96 * Math.Sqrt(acc * (1 - acc) / m.Count);
        return new SignalResult(m.Count, Round(acc), Round(m.Mcc), Round(m.Count == 0 ? 0 : m.Brier), [Round(acc - half), Round(acc + half)]);
    }

    /// <summary><see cref="From(BinaryMetrics)"/> plus day-clustered intervals over the calls' per-day confusion counts.</summary>
    public static SignalResult From(BinaryMetrics m, IReadOnlyList<Confusion> days)
    {
        if (m.Count == 0) return From(m);
        var (accuracy, mcc) = ClusterBootstrap.Intervals(days);
        return From(m) with { AccuracyCi95Days = [Round(accuracy.Low), Round(accuracy.High)], MccCi95Days = [Round(mcc.Low), Round(mcc.High)] };
    }

    /// <summary>The 4 decimals every number of the eval JSON is given to.</summary>
    public static double Round(double v) => Math.Round(v, 4);
}

/// <summary>
/// Signal A against signal B on the samples both called: the differences of accuracy and MCC with 95 % intervals from
/// resampling whole target days (paired), and how often a resample did not favour A.
/// </summary>
public sealed record SignalComparison(
    [property: JsonPropertyName("n")] long N,
    [property: JsonPropertyName("accuracy_diff")] double AccuracyDifference,
    [property: JsonPropertyName("accuracy_diff_ci95_days")] double[] AccuracyDifferenceCi95,
    [property: JsonPropertyName("mcc_diff")] double MccDifference,
    [property: JsonPropertyName("mcc_diff_ci95_days")] double[] MccDifferenceCi95,
    [property: JsonPropertyName("mcc_share_not_better")] double MccShareNotBetter)
{
    public static SignalComparison From(IReadOnlyList<(Confusion A, Confusion B)> days)
    {
        var (accuracy, mcc) = ClusterBootstrap.Difference(days);
        static double R(double v) => SignalResult.Round(v);
        return new SignalComparison(days.Sum(d => d.A.Count), R(accuracy.Estimate), [R(accuracy.Low), R(accuracy.High)],
            R(mcc.Estimate), [R(mcc.Low), R(mcc.High)], R(mcc.ShareAtOrBelowZero));
    }
}

/// <summary>The price models of a backtest by target day (one model for the whole period, or a walk-forward's refits), and their name.</summary>
public sealed record PriceModelSchedule(Func<DateOnly, PriceModel> Price, Func<DateOnly, PriceModel>? PriceOnly, string Version);

/// <summary>One day's calls in the backtest (for comparing with the live grains); NaN where a signal abstained.</summary>
public readonly record struct BacktestCall(string Symbol, DateOnly Basis, DateOnly Target, double Price, double Sentiment, double Persistence,
    double Ensemble, double EnsembleHedge = double.NaN);

/// <summary>The design's §4 result of <c>eval stocknet</c> (top level = the ensemble, the service's answer), plus context.</summary>
public sealed record StockNetEvalResult(
    [property: JsonPropertyName("n")] long N,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("mcc")] double Mcc,
    [property: JsonPropertyName("brier")] double Brier,
    [property: JsonPropertyName("by_signal")] Dictionary<string, SignalResult> BySignal,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("samples")] int Samples,
    [property: JsonPropertyName("rise_fraction")] double RiseFraction,
    [property: JsonPropertyName("price_model")] string PriceModel,
    [property: JsonPropertyName("price_inference_us")] double PriceInferenceMicroseconds,
    [property: JsonPropertyName("ensemble_weights")] Dictionary<string, double> EnsembleWeights)
{
    // ensemble_weights: mean share |cₖ| / Σ|c| of each expert in the stacking model at the scored samples.
    /// <summary>Mean per-ticker Hedge weights at the scored samples (the <c>ensemble_hedge</c> baseline).</summary>
    [JsonPropertyName("hedge_weights")] public Dictionary<string, double>? HedgeWeights { get; init; }

    /// <summary>The pooled stacker at the end of the run: bias, coefficient per expert, outcomes it was fitted on.</summary>
    [JsonPropertyName("stacking")] public Dictionary<string, double>? Stacking { get; init; }

    [JsonPropertyName("sentiment_scorer")] public string? SentimentScorer { get; init; }

    /// <summary>Tweet lines read, distinct posts, posts kept, ticker texts, and the pipeline's drops per reason (as the live source counts them).</summary>
    [JsonPropertyName("texts")] public Dictionary<string, long>? Texts { get; init; }

    /// <summary>Distinct target days among the scored samples: the number of clusters the <c>_days</c> intervals resample.</summary>
    [JsonPropertyName("days")] public int Days { get; init; }

    /// <summary>
    /// Paired, day-clustered comparisons "A-B" (<see cref="StockNetEvaluation.Comparisons"/>): does the text help the price
    /// model, does the ensemble add to the price model, does the stacker beat the Hedge mix.
    /// </summary>
    [JsonPropertyName("comparisons")] public Dictionary<string, SignalComparison>? Comparisons { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>
/// The causal StockNet backtest. It walks the trading days in time order, and on each day the tickers in symbol order,
/// exactly as the live grains do: at each ticker's close of day d the predictions issued for d are scored against the
/// realised move (updating that ticker's Hedge weights and handing the outcome to the market-wide
/// <see cref="LogisticStacking"/>); then, at the prediction time of the next trading day t
/// (<see cref="PriceFeatures.PredictionTimeUtc"/>, 00:00 UTC of t), each signal's prediction for t is issued from data
/// before that time only. The stacker used for the predictions made after day d is fitted on outcomes of days before d. Metrics count only
/// the StockNet samples (target days in [from, to) outside the −0.5 %..0.55 % band). Hedge weights and the stacker start
/// from their priors (or a given state) at <c>from</c>: nothing learnt before the evaluated period reaches them.
/// </summary>
public static class StockNetEvaluation
{
    public const string Price = Signals.Price;
    public const string PriceOnly = "price_only";
    public const string Sentiment = Signals.Sentiment;

    /// <summary>The persistence baseline (<see cref="Signals.Persistence"/> live), under its name in the published JSON.</summary>
    public const string Persistence = "yesterday";

    public const string AlwaysRise = "always_rise";
    public const string Ensemble = Signals.Ensemble;
    public const string EnsembleHedge = Signals.EnsembleHedge;

    /// <summary>The pairs reported in <see cref="StockNetEvalResult.Comparisons"/>, each as (A, B).</summary>
    public static readonly (string A, string B)[] Comparisons = [(Price, PriceOnly), (Ensemble, Price), (Ensemble, EnsembleHedge), (Price, Persistence)];

    /// <summary>The live ensemble's experts, in weight order (<see cref="Signals.Experts"/>), under their names in this JSON.</summary>
    public static readonly string[] Experts = [Price, Sentiment, Persistence];

    public static readonly TimeSpan SentimentHalfLife = TimeSpan.FromHours(24);
    public static readonly TimeSpan SentimentWindow = TimeSpan.FromDays(5);

    /// <summary>A symbol's cursor into its bars and its <see cref="SignalBook"/>: the live ensemble grain's daily cycle.</summary>
    private sealed class SymbolState(string symbol)
    {
        public SignalBook Book { get; } = new(symbol, Experts, EnsembleHedge, Ensemble);
        public int Next;
    }

    /// <param name="stacking">Start state of the pooled stacker (the live pool's, for parity checks); null: the prior.</param>
    /// <param name="options">Stacking settings (null: the service's <see cref="SignalMix.StackingDefaults"/>).</param>
    public static StockNetEvalResult Run(StockNetData data, PriceModel price, PriceModel? priceOnly, DateOnly from, DateOnly to,
        TextWriter progress, CancellationToken ct = default, Action<BacktestCall>? onCall = null, StackingState? stacking = null,
        StackingOptions? options = null) =>
        Run(data, new PriceModelSchedule(_ => price, priceOnly is null ? null : _ => priceOnly, price.Version), from, to, progress, ct, onCall,
            stacking, options);

    /// <summary>
    /// The backtest with the price models chosen per target day (a walk-forward's monthly refits): the call for target
    /// day t comes from <c>schedule.Price(t)</c>, which must have been trained on data before t only.
    /// </summary>
    public static StockNetEvalResult Run(StockNetData data, PriceModelSchedule schedule, DateOnly from, DateOnly to,
        TextWriter progress, CancellationToken ct = default, Action<BacktestCall>? onCall = null, StackingState? stacking = null,
        StackingOptions? options = null)
    {
        var samples = data.Samples(from, to);
        var labels = samples.ToDictionary(s => (s.Symbol, s.Target), s => s.Up);
        var names = new[] { Ensemble, EnsembleHedge, Price, PriceOnly, Sentiment, Persistence, AlwaysRise };
        var metrics = names.ToDictionary(n => n, _ => new BinaryMetrics());
        var scored = new ScoredCalls(names);
        var weightSums = new double[Experts.Length];
        var hedgeSums = new double[Experts.Length];
        var weightCount = 0;
        var inference = new Stopwatch();
        long predictions = 0;
        var stacker = new LogisticStacking(options ?? SignalMix.StackingDefaults, stacking);
        var states = data.Symbols.ToDictionary(s => s, s => new SymbolState(s), StringComparer.Ordinal);

        // Every day any ticker closes, in time order; on each, the tickers that close that day in symbol order.
        var days = data.Symbols.SelectMany(s => data.Bars(s).Select(b => b.Date)).Where(d => d < to).Distinct().Order().ToList();
        var dayCount = 0;
        var closed = new List<(string Symbol, int Index)>(data.Symbols.Count);
        foreach (var day in days)
        {
            ct.ThrowIfCancellationRequested();
            // At each ticker's close of this day (16:00 New York): score the calls issued for this day.
            closed.Clear();
            foreach (var symbol in data.Symbols)
            {
                var bars = data.Bars(symbol);
                var st = states[symbol];
                // The ticker's bar of this day, if it traded (bars are in date order; the cursor only moves forward).
                if (st.Next >= bars.Count || bars[st.Next].Date != day) continue;
                var i = st.Next++;
                closed.Add((symbol, i));

                // This close: score the calls issued for this day (flat days teach nothing), as the ensemble grain does.
                double? previousClose = i >= 1 ? bars[i - 1].Close : null;
                if (st.Book.Close(day, bars[i].Close, previousClose)?.Outcome is { } outcome) stacker.Add(outcome);
            }

            // Later, at the prediction time of the next trading day t (00:00 UTC of t, after every close of this day):
            // each signal's call for t, from data before that time. The stacker reads outcomes of days before this one
            // only, and each ticker's Hedge weights already include this day's outcome — as live.
            foreach (var (symbol, i) in closed)
            {
                var bars = data.Bars(symbol);
                var st = states[symbol];
                // The backtest knows t: the next bar.
                if (i + 1 >= bars.Count) continue;
                var t = bars[i + 1].Date;
                if (t < from || t >= to) continue;
                var d = bars[i];
                var inputs = data.Inputs(symbol, t);
                inference.Start();
                var pPrice = schedule.Price(t).Predict(inputs)?.ProbabilityUp ?? double.NaN;
                inference.Stop();
                predictions++;
                var pPriceOnly = schedule.PriceOnly?.Invoke(t).Predict(inputs)?.ProbabilityUp ?? double.NaN;
                var texts = data.Texts(symbol);
                var cutoff = PriceFeatures.PredictionTimeUtc(t);
                var (polarity, _) = DecayingAverage.Compute(texts, x => x.TimeUtc, x => x.SignalPolarity, cutoff, SentimentHalfLife, SentimentWindow);
                var posts = PriceFeatures.Summarize(texts, cutoff - SentimentWindow, cutoff).Count;
                var pSentiment = SignalMix.Sentiment(polarity, posts);
                var pPersistence = st.Book.Persistence;
                var model = stacker.ModelFor(d.Date);
                var issued = st.Book.Issue(d.Date, [pPrice, pSentiment, pPersistence], model);
                var (pHedge, pEnsemble) = (issued.Hedge, issued.Ensemble);
                onCall?.Invoke(new BacktestCall(symbol, d.Date, t, pPrice, pSentiment, pPersistence, pEnsemble, pHedge));

                if (labels.TryGetValue((symbol, t), out var up))
                {
                    double[] calls = [pEnsemble, pHedge, pPrice, pPriceOnly, pSentiment, pPersistence, SignalMix.AlwaysRise];
                    for (var k = 0; k < names.Length; k++) Add(metrics[names[k]], calls[k], up);
                    scored.Add(t, up, calls);
                    var shares = LogisticStacking.CoefficientShares(model);
                    for (var k = 0; k < Experts.Length; k++)
                    {
                        weightSums[k] += shares[k];
                        hedgeSums[k] += st.Book.Hedge.Weights[k];
                    }
                    weightCount++;
                }
            }
            if (++dayCount % 100 == 0 || dayCount == days.Count) progress.WriteLine($"evaluated {dayCount}/{days.Count} days");
        }
        if (schedule.PriceOnly is null) metrics.Remove(PriceOnly);

        var ens = metrics[Ensemble];
        var rise = samples.Count == 0 ? 0 : samples.Count(s => s.Up) / (double)samples.Count;
        var final = stacker.Current;
        Dictionary<string, double> Mean(double[] sums) => Experts.Select((e, k) => (e, w: weightCount == 0 ? double.NaN : sums[k] / weightCount))
            .ToDictionary(x => x.e, x => Math.Round(x.w, 4));
        return new StockNetEvalResult(ens.Count, Math.Round(ens.Count == 0 ? 0 : ens.Accuracy, 4), Math.Round(ens.Mcc, 4),
            Math.Round(ens.Count == 0 ? 0 : ens.Brier, 4),
            metrics.ToDictionary(kv => kv.Key, kv => scored.Result(kv.Key, kv.Value)),
            from.ToString("yyyy-MM-dd"), to.ToString("yyyy-MM-dd"), samples.Count, Math.Round(rise, 4), schedule.Version,
            predictions == 0 ? 0 : Math.Round(inference.Elapsed.TotalMicroseconds / predictions, 1),
            weightCount == 0
                ? Experts.Select((e, k) => (e, k)).ToDictionary(x => x.e, x => Math.Round(LogisticStacking.CoefficientShares(final)[x.k], 4))
                : Mean(weightSums))
        {
            HedgeWeights = weightCount == 0 ? null : Mean(hedgeSums),
            Stacking = new Dictionary<string, double> { ["bias"] = Math.Round(final.Bias, 4) }
                .Concat(Experts.Select((e, k) => KeyValuePair.Create(e, Math.Round(final.Coefficients[k], 4))))
                .Append(KeyValuePair.Create("outcomes", (double)final.Outcomes))
                .ToDictionary(kv => kv.Key, kv => kv.Value),
            SentimentScorer = data.SignalScorer,
            Texts = new Dictionary<string, long> { ["lines"] = data.TweetsRead, ["posts"] = data.Posts, ["kept"] = data.TweetCount, ["ticker_texts"] = data.TickerTexts }
                .Concat(data.TextDrops.Select(kv => KeyValuePair.Create(kv.Key, (long)kv.Value)))
                .ToDictionary(kv => kv.Key, kv => kv.Value),
            Days = scored.Days,
            Comparisons = Comparisons.Where(c => metrics.ContainsKey(c.A) && metrics.ContainsKey(c.B) && scored.Count > 0)
                .ToDictionary(c => $"{c.A}-{c.B}", c => scored.Compare(c.A, c.B)),
        };
    }

    private static void Add(BinaryMetrics m, double p, bool up)
    {
        if (!double.IsNaN(p)) m.Add(p, up);
    }
}

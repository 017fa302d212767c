using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Core.Ensemble;
using MarketPulse.Core.Evaluation;
using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Price;

namespace MarketPulse.Ml.Evaluation;

public sealed record SignalResult(
    [property: JsonPropertyName("n")] long N,
    [property: JsonPropertyName("accuracy")] double Accuracy,
    [property: JsonPropertyName("mcc")] double Mcc,
    [property: JsonPropertyName("brier")] double Brier,
    [property: JsonPropertyName("accuracy_ci95")] double[] AccuracyCi95)
{
    public static SignalResult From(BinaryMetrics m)
    {
        var acc = m.Count == 0 ? 0 : m.Accuracy;
        var half = m.Count == 0 ? 0 : 1.96 * Math.Sqrt(acc * (1 - acc) / m.Count);
        return new SignalResult(m.Count, R(acc), R(m.Mcc), R(m.Count == 0 ? 0 : m.Brier), [R(acc - half), R(acc + half)]);
    }

    private static double R(double v) => Math.Round(v, 4);
}

/// <summary>One day's calls in the backtest (for comparing with the live grains); NaN where a signal abstained.</summary>
public readonly record struct BacktestCall(string Symbol, DateOnly Basis, DateOnly Target, double Price, double Sentiment, double Persistence, double Ensemble);

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
    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>
/// The causal StockNet backtest. Per symbol it walks the trading days in order exactly as the live ensemble does: at the
/// close of day d it issues each signal's prediction for the next trading day t (from data before t only), and at t's
/// close it scores them and updates the Hedge weights from realised, non-flat outcomes. Metrics count only the StockNet
/// samples (target days in [from, to) outside the −0.5 %..0.55 % band). The Hedge weights start uniform at
/// <c>from</c>: nothing learnt before the evaluated period (in-sample for the model) reaches the weights.
/// </summary>
public static class StockNetEvaluation
{
    public const string Price = "price";
    public const string PriceOnly = "price_only";
    public const string Sentiment = "sentiment";
    public const string Persistence = "yesterday";
    public const string AlwaysRise = "always_rise";
    public const string Ensemble = "ensemble";

    /// <summary>The live ensemble's experts, in weight order (<c>EnsembleGrain.Experts</c>).</summary>
    public static readonly string[] Experts = [Price, Sentiment, Persistence];

    public static readonly TimeSpan SentimentHalfLife = TimeSpan.FromHours(24);
    public static readonly TimeSpan SentimentWindow = TimeSpan.FromDays(5);

    public static StockNetEvalResult Run(StockNetData data, PriceModel price, PriceModel? priceOnly, DateOnly from, DateOnly to,
        TextWriter progress, CancellationToken ct = default, Action<BacktestCall>? onCall = null)
    {
        var samples = data.Samples(from, to);
        var labels = samples.ToDictionary(s => (s.Symbol, s.Target), s => s.Up);
        var names = new[] { Ensemble, Price, PriceOnly, Sentiment, Persistence, AlwaysRise };
        var metrics = names.ToDictionary(n => n, _ => new BinaryMetrics());
        var weightSums = new double[Experts.Length];
        var weightCount = 0;
        var inference = new Stopwatch();
        long predictions = 0;
        var done = 0;
        var p = new double[Experts.Length];
        var losses = new double[Experts.Length];
        foreach (var symbol in data.Symbols)
        {
            ct.ThrowIfCancellationRequested();
            var bars = data.Bars(symbol);
            var texts = data.Texts(symbol);
            var hedge = new HedgeWeights(Experts.Length);
            for (var i = 1; i < bars.Count; i++)
            {
                var t = bars[i].Date;
                if (t < from) continue;
                if (t >= to) break;
                var d = bars[i - 1];
                var inputs = data.Inputs(symbol, t);
                inference.Start();
                var pPrice = price.Predict(inputs)?.ProbabilityUp ?? double.NaN;
                inference.Stop();
                predictions++;
                var pPriceOnly = priceOnly?.Predict(inputs)?.ProbabilityUp ?? double.NaN;
                var cutoff = PriceFeatures.Cutoff(d);
                var (polarity, _) = DecayingAverage.Compute(texts, x => x.TimeUtc, x => x.SignalPolarity, cutoff, SentimentHalfLife, SentimentWindow);
                var posts = PriceFeatures.Summarize(texts, cutoff - SentimentWindow, cutoff).Count;
                var pSentiment = SignalMix.Sentiment(polarity, posts);
                double? dayReturn = i >= 2 && bars[i - 2].Close > 0 ? d.Close / bars[i - 2].Close - 1 : null;
                var pPersistence = SignalMix.Persistence(dayReturn);
                p[0] = pPrice; p[1] = pSentiment; p[2] = pPersistence;
                var pEnsemble = SignalMix.Combine(hedge, p, null);
                onCall?.Invoke(new BacktestCall(symbol, d.Date, t, pPrice, pSentiment, pPersistence, pEnsemble));

                if (labels.TryGetValue((symbol, t), out var up))
                {
                    Add(metrics[Ensemble], pEnsemble, up);
                    Add(metrics[Price], pPrice, up);
                    Add(metrics[PriceOnly], pPriceOnly, up);
                    Add(metrics[Sentiment], pSentiment, up);
                    Add(metrics[Persistence], pPersistence, up);
                    Add(metrics[AlwaysRise], SignalMix.AlwaysRise, up);
                    for (var k = 0; k < Experts.Length; k++) weightSums[k] += hedge.Weights[k];
                    weightCount++;
                }

                // t's close: score against the realised move, as EnsembleGrain does (flat days teach nothing).
                var realized = d.Close > 0 ? bars[i].Close / d.Close - 1 : 0;
                if (realized == 0) continue;
                var wentUp = realized > 0;
                for (var k = 0; k < Experts.Length; k++)
                    losses[k] = double.IsNaN(p[k]) ? double.NaN : (p[k] - (wentUp ? 1 : 0)) * (p[k] - (wentUp ? 1 : 0));
                hedge.Update(losses);
            }
            if (++done % 22 == 0 || done == data.Symbols.Count) progress.WriteLine($"evaluated {done}/{data.Symbols.Count} symbols");
        }
        if (priceOnly is null) metrics.Remove(PriceOnly);
        var ens = metrics[Ensemble];
        var rise = samples.Count == 0 ? 0 : samples.Count(s => s.Up) / (double)samples.Count;
        return new StockNetEvalResult(ens.Count, Math.Round(ens.Count == 0 ? 0 : ens.Accuracy, 4), Math.Round(ens.Mcc, 4),
            Math.Round(ens.Count == 0 ? 0 : ens.Brier, 4),
            metrics.ToDictionary(kv => kv.Key, kv => SignalResult.From(kv.Value)),
            from.ToString("yyyy-MM-dd"), to.ToString("yyyy-MM-dd"), samples.Count, Math.Round(rise, 4), price.Version,
            predictions == 0 ? 0 : Math.Round(inference.Elapsed.TotalMicroseconds / predictions, 1),
            Experts.Select((e, k) => (e, w: weightCount == 0 ? 1.0 / Experts.Length : weightSums[k] / weightCount))
                .ToDictionary(x => x.e, x => Math.Round(x.w, 4)));
    }

    private static void Add(BinaryMetrics m, double p, bool up)
    {
        if (!double.IsNaN(p)) m.Add(p, up);
    }
}

using System.Collections.Concurrent;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Forecasting;
using MarketPulse.Core.Market;
using MarketPulse.Grains.Sentiment;
using MarketPulse.Ml.Price;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Ensemble;

/// <summary>
/// The trained price model in the live service: one shared ONNX Runtime session (a DI singleton), fed by
/// <see cref="PriceFeatures"/> exactly as in training and backtests. Inputs at the prediction time of the next trading
/// day (00:00 UTC of it): the ticker's daily bars, the sentiment grain's posts before that time (scored with the VADER
/// lexicon, as in training), and the market context of the tickers that closed the basis day in this silo
/// (<see cref="MarketBoard"/>). The target day is the exchange's next trading day (holidays skipped).
/// </summary>
public sealed class LivePriceModel(PriceModel? model, PostPolarity polarity, ILogger<LivePriceModel> logger)
{
    public const int TopFeatures = 5;
    /// <summary>Enough posts for the 10-day look-back of the text features for any realistic ticker.</summary>
    public const int PostsToRead = 5000;

    public PriceModel? Model { get; } = model;
    public string? Version => Model?.Version;
    public MarketBoard Board { get; } = new();

    /// <summary>
    /// At a daily close: the ticker's returns go on the <see cref="Board"/>, so that at the next prediction time the market
    /// context of the day includes every ticker that has closed it in this silo by then; and the posts the sentiment grain
    /// holds now are remembered for the call for <paramref name="target"/> (the grain keeps about six days, counted from
    /// its newest post, and the features look back ten: a replay may deliver a whole day of newer posts before that call).
    /// </summary>
    public async Task RecordCloseAsync(IGrainFactory grains, string symbol, IReadOnlyList<BarDto> dailyBars, DateOnly target)
    {
        if (Model is null || dailyBars.Count == 0) return;
        Board.Report(symbol, Model.Card.SectorOf(symbol), Recent(dailyBars));
        var posts = await grains.GetGrain<ISentimentGrain>(symbol).GetPostsAsync(PostsToRead);
        Remember(symbol, posts, LookBackStart(target), before: null);
    }

    /// <summary>The oldest post time any feature for <paramref name="target"/> reads: two 5-day windows before it.</summary>
    private static DateTime LookBackStart(DateOnly target) => PriceFeatures.TextWindowStart(target).AddDays(-PriceFeatures.TextWindowDays);

    /// <summary>
    /// The prediction for <paramref name="target"/> issued at <paramref name="issuedAtUtc"/> (its prediction time,
    /// <see cref="PriceFeatures.PredictionTimeUtc"/>): bars before the target day and the posts before that time.
    /// </summary>
    /// <returns>Null without a model or before the first bar; the caller then keeps its rule-based signal.</returns>
    /// <param name="posts">The sentiment grain's posts when the caller has them already (one read serves the forecasts too).</param>
    public async Task<SignalPrediction?> PredictAsync(IGrainFactory grains, string symbol, IReadOnlyList<BarDto> dailyBars,
        DateOnly basisDay, DateOnly target, DateTime issuedAtUtc, IReadOnlyList<ScoredPost>? posts = null)
    {
        if (Model is null || dailyBars.Count == 0) return null;
        var bars = Recent(dailyBars);
        var sector = Model.Card.SectorOf(symbol);
        posts ??= await grains.GetGrain<ISentimentGrain>(symbol).GetPostsAsync(PostsToRead);
        var texts = Remember(symbol, posts, LookBackStart(target), issuedAtUtc);
        try
        {
            var prediction = Model.Predict(new PriceInputs(target, bars, texts, day => Board.Market(day, sector), sector), TopFeatures);
            if (prediction is null) return null;
            return new SignalPrediction(Signals.Price, "model", prediction.ModelVersion, issuedAtUtc, prediction.Horizon, prediction.Direction,
                prediction.ProbabilityUp, basisDay,
                prediction.TopContributions.Select(c => new FeatureContributionDto(c.Feature, c.Value, c.Contribution)).ToList());
        }
        catch (Exception ex) when (ex is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidDataException)
        {
            EnsembleLog.PriceModelFailed(logger, ex, symbol, basisDay);
            return null;
        }
    }

    private static List<DayBar> Recent(IReadOnlyList<BarDto> dailyBars)
    {
        var start = Math.Max(0, dailyBars.Count - PriceFeatures.HistoryDays);
        var bars = new List<DayBar>(dailyBars.Count - start);
        for (var i = start; i < dailyBars.Count; i++)
        {
            var b = dailyBars[i];
            bars.Add(new DayBar(b.TradingDay, b.Open, b.High, b.Low, b.Close, b.Volume));
        }
        return bars;
    }

    private readonly ConcurrentDictionary<string, Dictionary<string, TextObservation>> _texts = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds the posts from <paramref name="from"/> on, scored with the lexicon the model was trained on, to what was seen
    /// before and drops older ones; returns those before <paramref name="before"/> in time order (none when it is null).
    /// The sentiment grain keeps only about six days of posts, the features look back ten (two 5-day windows), so the posts
    /// seen at earlier closes and calls are kept here.
    /// </summary>
    private List<TextObservation> Remember(string symbol, IReadOnlyList<ScoredPost> posts, DateTime from, DateTime? before)
    {
        var known = _texts.GetOrAdd(symbol, _ => new Dictionary<string, TextObservation>(StringComparer.Ordinal));
        lock (known)
        {
            foreach (var p in posts)
                if (p.Time >= from && !known.ContainsKey(p.Source + "\u0001" + p.Id))
                    known[p.Source + "\u0001" + p.Id] = new TextObservation(p.Time, polarity.Of(p));
            foreach (var stale in known.Where(kv => kv.Value.TimeUtc < from).Select(kv => kv.Key).ToList()) known.Remove(stale);
            return before is { } b ? [.. known.Values.Where(t => t.TimeUtc < b).OrderBy(t => t.TimeUtc)] : [];
        }
    }
}

/// <summary>
/// Cross-ticker context for the price features: each ticker reports its log returns as its days close; the market and
/// sector averages of a day are over the tickers that have reported that day so far in this silo. (The backtest averages
/// over all tickers of the day, all of which have closed by then; live, tickers that close later in the same instant
/// are missed. Kept for 30 days.)
/// </summary>
public sealed class MarketBoard
{
    private readonly ConcurrentDictionary<DateOnly, ConcurrentDictionary<string, (int Sector, double Ret1, double? Ret5, double LogVariance)>> _days = new();

    public void Report(string symbol, int sector, IReadOnlyList<DayBar> bars)
    {
        for (var i = Math.Max(1, bars.Count - PriceFeatures.SequenceDays); i < bars.Count; i++)
        {
            if (bars[i].Close <= 0 || bars[i - 1].Close <= 0) continue;
            double? r5 = i >= 5 && bars[i - 5].Close > 0 ? Math.Log(bars[i].Close / bars[i - 5].Close) : null;
            var gk = RealizedMeasures.GarmanKlass(bars[i].Open, bars[i].High, bars[i].Low, bars[i].Close);
            _days.GetOrAdd(bars[i].Date, _ => new())[symbol] = (sector, Math.Log(bars[i].Close / bars[i - 1].Close), r5,
                double.IsNaN(gk) ? double.NaN : RealizedMeasures.LogVariance(gk));
        }
        if (bars.Count > 0 && _days.Count > 40)
            foreach (var old in _days.Keys.Where(d => d < bars[^1].Date.AddDays(-30))) _days.TryRemove(old, out _);
    }

    /// <summary>The mean ln Garman–Klass variance of the day over the tickers that reported it, and of the sector's (the forecasts' market inputs).</summary>
    public MarketVariance? Variance(DateOnly day, int sector)
    {
        if (!_days.TryGetValue(day, out var entries) || entries.IsEmpty) return null;
        var all = entries.Values.Where(e => !double.IsNaN(e.LogVariance)).ToList();
        if (all.Count == 0) return null;
        var inSector = all.Where(e => e.Sector == sector && sector >= 0).ToList();
        return new MarketVariance(all.Average(e => e.LogVariance), inSector.Count > 0 ? inSector.Average(e => e.LogVariance) : double.NaN);
    }

    public MarketDay? Market(DateOnly day, int sector)
    {
        if (!_days.TryGetValue(day, out var entries) || entries.IsEmpty) return null;
        var all = entries.Values.ToList();
        var r5 = all.Where(e => e.Ret5 is not null).Select(e => e.Ret5!.Value).ToList();
        var inSector = all.Where(e => e.Sector == sector && sector >= 0).Select(e => e.Ret1).ToList();
        var m1 = all.Average(e => e.Ret1);
        return new MarketDay(m1, r5.Count > 0 ? r5.Average() : 0, inSector.Count > 0 ? inSector.Average() : m1);
    }
}

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
/// lexicon, as in training), and the market context of the tickers that have closed the bars' days
/// (<see cref="IMarketBoardGrain"/>). The target day is the exchange's next trading day (holidays skipped). It holds no
/// per-symbol state: the posts a ticker has seen are that ticker grain's <see cref="PostMemory"/>.
/// </summary>
public sealed class LivePriceModel(PriceModel? model, PostPolarity polarity, ILogger<LivePriceModel> logger)
{
    public const int TopFeatures = 5;
    /// <summary>Enough posts for the 10-day look-back of the text features for any realistic ticker.</summary>
    public const int PostsToRead = 5000;

    public PriceModel? Model { get; } = model;
    public string? Version => Model?.Version;

    /// <summary>
    /// At a daily close: the ticker's returns go on the market board, so that at the next prediction time the market
    /// context of the day includes every ticker that has closed it by then; and the posts the sentiment grain holds now
    /// are remembered for the call for <paramref name="target"/> (the grain keeps about six days, counted from its newest
    /// post, and the features look back ten: a replay may deliver a whole day of newer posts before that call).
    /// </summary>
    public async Task RecordCloseAsync(IMarketBoardGrain board, ISentimentGrain sentiment, string symbol, IReadOnlyList<BarDto> dailyBars,
        DateOnly target, PostMemory memory)
    {
        if (Model is null || dailyBars.Count == 0) return;
        await board.ReportAsync(symbol, Model.Card.SectorOf(symbol), MarketBoard.Returns(Recent(dailyBars)));
        var posts = await sentiment.GetPostsAsync(PostsToRead);
        memory.Remember(posts, polarity, LookBackStart(target), before: null);
    }

    /// <summary>The market context of the days of the bars the features read (null without a model), for the price model and the forecasts.</summary>
    public async Task<MarketView?> MarketAsync(IMarketBoardGrain board, string symbol, IReadOnlyList<BarDto> dailyBars)
    {
        if (Model is null || dailyBars.Count == 0) return null;
        var first = dailyBars[Math.Max(0, dailyBars.Count - PriceFeatures.HistoryDays)].TradingDay;
        var days = await board.GetAsync(Model.Card.SectorOf(symbol), first, dailyBars[^1].TradingDay);
        return new MarketView(days.ToDictionary(d => d.Day));
    }

    /// <summary>The oldest post time any feature for <paramref name="target"/> reads: two 5-day windows before it.</summary>
    private static DateTime LookBackStart(DateOnly target) => PriceFeatures.TextWindowStart(target).AddDays(-PriceFeatures.TextWindowDays);

    /// <summary>
    /// The prediction for <paramref name="target"/> issued at <paramref name="issuedAtUtc"/> (its prediction time,
    /// <see cref="PriceFeatures.PredictionTimeUtc"/>): bars before the target day and the posts before that time.
    /// </summary>
    /// <returns>Null without a model or before the first bar; the caller then keeps its rule-based signal.</returns>
    /// <param name="posts">The sentiment grain's posts when the caller has them already (one read serves the forecasts too).</param>
    public async Task<SignalPrediction?> PredictAsync(ISentimentGrain sentiment, string symbol, IReadOnlyList<BarDto> dailyBars,
        DateOnly basisDay, DateOnly target, DateTime issuedAtUtc, PostMemory memory, MarketView? market, IReadOnlyList<ScoredPost>? posts = null)
    {
        if (Model is null || dailyBars.Count == 0) return null;
        var bars = Recent(dailyBars);
        var sector = Model.Card.SectorOf(symbol);
        posts ??= await sentiment.GetPostsAsync(PostsToRead);
        var texts = memory.Remember(posts, polarity, LookBackStart(target), issuedAtUtc);
        try
        {
            var prediction = Model.Predict(new PriceInputs(target, bars, texts, day => market?.Market(day), sector), TopFeatures);
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
}

/// <summary>
/// The posts one ticker's price model has seen, scored with the lexicon the model was trained on. The sentiment grain
/// keeps only about six days of posts and the features look back ten (two 5-day windows), so the posts seen at earlier
/// closes and calls are kept here; the ticker grain holds it (not persisted: after a reactivation the first calls see
/// fewer old posts, as after a silo start).
/// </summary>
public sealed class PostMemory
{
    private readonly Dictionary<(string Source, string Id), TextObservation> _known = [];

    public int Count => _known.Count;

    /// <summary>
    /// Adds the posts from <paramref name="from"/> on to what was seen before and drops older ones; returns those before
    /// <paramref name="before"/> in time order (none when it is null).
    /// </summary>
    public List<TextObservation> Remember(IReadOnlyList<ScoredPost> posts, PostPolarity polarity, DateTime from, DateTime? before)
    {
        foreach (var p in posts)
            if (p.Time >= from) _known.TryAdd((p.Source, p.Id), new TextObservation(p.Time, polarity.Of(p)));
        foreach (var stale in _known.Where(kv => kv.Value.TimeUtc < from).Select(kv => kv.Key).ToList()) _known.Remove(stale);
        return before is { } b ? [.. _known.Values.Where(t => t.TimeUtc < b).OrderBy(t => t.TimeUtc)] : [];
    }
}

/// <summary>
/// Cross-ticker context for the price features and the forecasts: each ticker reports its recent daily returns as its
/// days close; the market and sector averages of a day are over the tickers that have reported that day so far. (The
/// backtest averages over all tickers of the day, all of which have closed by then; live, tickers that close later in
/// the same instant are missed. Kept for 30 days.) A plain object: <see cref="MarketBoardGrain"/> holds the one board
/// of the cluster.
/// </summary>
public sealed class MarketBoard
{
    private readonly Dictionary<DateOnly, Dictionary<string, (int Sector, double Ret1, double? Ret5, double LogVariance)>> _days = [];

    /// <summary>
    /// The context of a day per sector as last computed, until a report changes the day: every ticker reads about 30
    /// days at each of its calls, and only the newest of them changes as tickers close it.
    /// </summary>
    private readonly Dictionary<DateOnly, Dictionary<int, MarketContextDay>> _answers = [];

    /// <summary>The returns of the last <see cref="PriceFeatures.SequenceDays"/> days of <paramref name="bars"/>, as a ticker reports them.</summary>
    public static List<MarketReturn> Returns(IReadOnlyList<DayBar> bars)
    {
        var returns = new List<MarketReturn>(PriceFeatures.SequenceDays);
        for (var i = Math.Max(1, bars.Count - PriceFeatures.SequenceDays); i < bars.Count; i++)
        {
            if (bars[i].Close <= 0 || bars[i - 1].Close <= 0) continue;
            double? r5 = i >= 5 && bars[i - 5].Close > 0 ? Math.Log(bars[i].Close / bars[i - 5].Close) : null;
            var gk = RealizedMeasures.GarmanKlass(bars[i].Open, bars[i].High, bars[i].Low, bars[i].Close);
            returns.Add(new MarketReturn(bars[i].Date, Math.Log(bars[i].Close / bars[i - 1].Close), r5,
                double.IsNaN(gk) ? double.NaN : RealizedMeasures.LogVariance(gk)));
        }
        return returns;
    }

    public void Report(string symbol, int sector, IReadOnlyList<MarketReturn> returns)
    {
        foreach (var r in returns)
        {
            if (!_days.TryGetValue(r.Day, out var day)) _days[r.Day] = day = new(StringComparer.Ordinal);
            var entry = (sector, r.Ret1, r.Ret5, r.LogVariance);
            // A ticker reports its last days at every close: most reports repeat what the board has, and keep its answers.
            if (day.TryGetValue(symbol, out var known) && known.Equals(entry)) continue;
            day[symbol] = entry;
            _answers.Remove(r.Day);
        }
        if (returns.Count > 0 && _days.Count > 40)
            foreach (var old in _days.Keys.Where(d => d < returns[^1].Day.AddDays(-30)).ToList())
            {
                _days.Remove(old);
                _answers.Remove(old);
            }
    }

    /// <summary>The mean ln Garman–Klass variance of the day over the tickers that reported it, and of the sector's (the forecasts' market inputs).</summary>
    public MarketVariance? Variance(DateOnly day, int sector)
    {
        if (!_days.TryGetValue(day, out var entries) || entries.Count == 0) return null;
        var all = entries.Values.Where(e => !double.IsNaN(e.LogVariance)).ToList();
        if (all.Count == 0) return null;
        var inSector = all.Where(e => e.Sector == sector && sector >= 0).ToList();
        return new MarketVariance(all.Average(e => e.LogVariance), inSector.Count > 0 ? inSector.Average(e => e.LogVariance) : double.NaN);
    }

    public MarketDay? Market(DateOnly day, int sector)
    {
        if (!_days.TryGetValue(day, out var entries) || entries.Count == 0) return null;
        var all = entries.Values.ToList();
        var r5 = all.Where(e => e.Ret5 is not null).Select(e => e.Ret5!.Value).ToList();
        var inSector = all.Where(e => e.Sector == sector && sector >= 0).Select(e => e.Ret1).ToList();
        var m1 = all.Average(e => e.Ret1);
        return new MarketDay(m1, r5.Count > 0 ? r5.Average() : 0, inSector.Count > 0 ? inSector.Average() : m1);
    }

    /// <summary>The context of the days in [<paramref name="from"/>, <paramref name="to"/>] that have reports, for one sector.</summary>
    public List<MarketContextDay> Context(int sector, DateOnly from, DateOnly to) =>
        [.. _days.Keys.Where(d => d >= from && d <= to).Order().Select(d => ContextOf(d, sector))];

    private MarketContextDay ContextOf(DateOnly day, int sector)
    {
        if (!_answers.TryGetValue(day, out var bySector)) _answers[day] = bySector = [];
        if (!bySector.TryGetValue(sector, out var answer)) bySector[sector] = answer = new MarketContextDay(day, Market(day, sector), Variance(day, sector));
        return answer;
    }
}

/// <summary>A ticker's view of the market context of the days its features read (from one read of the board).</summary>
public sealed class MarketView(IReadOnlyDictionary<DateOnly, MarketContextDay> days)
{
    public MarketDay? Market(DateOnly day) => days.TryGetValue(day, out var d) ? d.Market : null;
    public MarketVariance? Variance(DateOnly day) => days.TryGetValue(day, out var d) ? d.Variance : null;
}

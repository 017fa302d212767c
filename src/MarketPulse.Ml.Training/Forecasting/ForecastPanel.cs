using MarketPulse.Core.Forecasting;
using MarketPulse.Ml.Forecasting;
using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Ml.Training.Forecasting;

/// <summary>
/// One (symbol, target day) of the forecasting panel: every <see cref="ForecastFeatures"/> input as of the prediction
/// time, and what the target day then realised (Garman–Klass variance, close-to-close log return, ln volume; NaN where
/// the day has none).
/// </summary>
public sealed record ForecastSample(string Symbol, DateOnly Target, double[] Features, double RealizedVariance, double RealizedReturn,
    double LogVolume)
{
    /// <summary>The five-day target (mean Garman–Klass variance of the target day and the four sessions after it); null
    /// where those sessions are not all in the data.</summary>
    public HorizonVariance? FiveDay { get; init; }
}

/// <summary>
/// The daily bars, posts and market-wide variance of a StockNet-layout directory, laid out for the volatility and volume
/// forecasts: the same inputs for training, the walk-forward and <c>eval forecasts</c>.
/// </summary>
public sealed class ForecastPanel
{
    private readonly Dictionary<string, List<DailyOhlcv>> _bars = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PostObservation>> _posts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sectors = new(StringComparer.Ordinal);
    private readonly Dictionary<DateOnly, double> _market = [];
    private readonly Dictionary<(DateOnly, int), double> _sectorMarket = [];

    public IReadOnlyList<string> Symbols { get; private init; } = [];

    public IReadOnlyList<DailyOhlcv> Bars(string symbol) => _bars.GetValueOrDefault(symbol) ?? [];
    public IReadOnlyList<PostObservation> Posts(string symbol) => _posts.GetValueOrDefault(symbol) ?? [];

    /// <summary>The bars and the posts' lexicon polarities of a loaded StockNet directory (the price model's text scorer).</summary>
    public static ForecastPanel From(StockNetData data)
    {
        var panel = new ForecastPanel { Symbols = data.Symbols };
        foreach (var symbol in data.Symbols)
        {
            panel._bars[symbol] = data.Bars(symbol).Select(b => new DailyOhlcv(b.Date, b.Open, b.High, b.Low, b.Close, b.Volume)).ToList();
            panel._posts[symbol] = data.Texts(symbol).Select(t => new PostObservation(t.TimeUtc, t.Polarity)).ToList();
            panel._sectors[symbol] = data.Sector(symbol);
        }
        panel.BuildMarket();
        return panel;
    }

    /// <summary>The market's (and the symbol's sector's) mean ln variance on <paramref name="day"/>; null when nothing traded.</summary>
    public MarketVariance? Market(DateOnly day, int sector) =>
        _market.TryGetValue(day, out var m)
            ? new MarketVariance(m, sector >= 0 && _sectorMarket.TryGetValue((day, sector), out var s) ? s : double.NaN)
            : null;

    /// <summary>Every feature of <paramref name="symbol"/> for <paramref name="target"/>; false with too little history.</summary>
    public bool TryFeatures(string symbol, DateOnly target, Span<double> features)
    {
        var bars = Bars(symbol);
        var end = ForecastFeatures.UpperBound(bars, target);
        MarketVariance? market = end > 0 ? Market(bars[end - 1].Date, _sectors.GetValueOrDefault(symbol, -1)) : null;
        return ForecastFeatures.TryCompute(bars, target, Posts(symbol), market, features);
    }

    /// <summary>
    /// The samples whose target day is in [<paramref name="from"/>, <paramref name="to"/>), in (day, symbol) order: every
    /// traded day of every symbol with enough history before it.
    /// </summary>
    public List<ForecastSample> Samples(DateOnly from, DateOnly to)
    {
        var samples = new List<ForecastSample>();
        foreach (var symbol in Symbols)
        {
            var bars = Bars(symbol);
            var calendar = MarketPulse.Core.Market.ExchangeCalendar.ForSymbol(symbol);
            for (var i = ForecastFeatures.MinimumHistory; i < bars.Count; i++)
            {
                var b = bars[i];
                if (b.Date < from || b.Date >= to) continue;
                var features = new double[ForecastFeatures.Count];
                if (!TryFeatures(symbol, b.Date, features)) continue;
                samples.Add(new ForecastSample(symbol, b.Date, features,
                    RealizedMeasures.GarmanKlass(b.Open, b.High, b.Low, b.Close),
                    RealizedMeasures.LogReturn(bars[i - 1].Close, b.Close),
                    b.Volume > 0 ? Math.Log(b.Volume) : double.NaN)
                {
                    FiveDay = HorizonTargets.MeanVariance(bars, i, HorizonTargets.FiveDays, calendar),
                });
            }
        }
        samples.Sort((a, b) => a.Target != b.Target ? a.Target.CompareTo(b.Target) : string.CompareOrdinal(a.Symbol, b.Symbol));
        return samples;
    }

    private void BuildMarket()
    {
        var sums = new Dictionary<DateOnly, (double S, int N)>();
        var sectorSums = new Dictionary<(DateOnly, int), (double S, int N)>();
        foreach (var symbol in Symbols)
        {
            var sector = _sectors[symbol];
            foreach (var b in _bars[symbol])
            {
                var gk = RealizedMeasures.GarmanKlass(b.Open, b.High, b.Low, b.Close);
                if (double.IsNaN(gk)) continue;
                var lv = RealizedMeasures.LogVariance(gk);
                var acc = sums.GetValueOrDefault(b.Date);
                sums[b.Date] = (acc.S + lv, acc.N + 1);
                if (sector < 0) continue;
                var s = sectorSums.GetValueOrDefault((b.Date, sector));
                sectorSums[(b.Date, sector)] = (s.S + lv, s.N + 1);
            }
        }
        foreach (var (day, acc) in sums) _market[day] = acc.S / acc.N;
        foreach (var (key, acc) in sectorSums) _sectorMarket[key] = acc.S / acc.N;
    }
}

using System.Globalization;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Sentiment;
using MarketPulse.Core.Text;
using MarketPulse.Ingestion.StockNet;
using MarketPulse.Ingestion.Validation;
using MarketPulse.Ml.Price;

namespace MarketPulse.Ml.Training.Evaluation;

/// <summary>One StockNet sample: the target day's movement (from <c>price/preprocessed</c>) and its protocol label.</summary>
public readonly record struct StockNetSample(string Symbol, DateOnly Target, double Movement, bool Up);

/// <summary>
/// A StockNet-layout directory in memory: adjusted daily bars from <c>price/raw</c>, movement labels from
/// <c>price/preprocessed</c>, tweets from <c>tweet/preprocessed</c> put through the live text source's checks and
/// scored with the shipped sentiment scorer, and the market context per day. Bad rows are counted per reason, never
/// thrown or silently dropped.
/// </summary>
/// <remarks>
/// The tweets go through exactly what a live replay of the directory does to them (<c>ReplayTimeline.LoadStockNet</c>
/// → <c>TextSourceGrain</c>): a tweet filed under several tickers merged into one post for all of them
/// (<see cref="StockNetReader.MergeCopies"/>), all symbols' tweets in one global time order (stable: symbol order, then
/// file order), and the text sources' own <see cref="TextIntake"/> over one <see cref="TextPipeline"/> with the service's
/// default options (retweets, near-duplicates, language and spam dropped; text normalised). The kept, normalised text is what gets scored, as the
/// live price model re-scores the sentiment grain's (normalised) posts. Drops are counted in
/// <see cref="TextDrops"/> per reason.
/// </remarks>
public sealed class StockNetData
{
    /// <summary>StockNet's label band: −0.5 % ≤ movement &lt; 0.55 % is neither rise nor fall and is dropped.</summary>
    public const double FallBelow = -0.005;
    public const double RiseFrom = 0.0055;

    private readonly Dictionary<string, List<DayBar>> _bars = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DateOnly Date, double Movement)>> _movements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TextObservation>> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sectors = new(StringComparer.Ordinal);
    private readonly Dictionary<DateOnly, (double Ret1, double Ret5)> _market = [];
    private readonly Dictionary<(DateOnly, int), double> _sectorMarket = [];

    public IReadOnlyList<string> Symbols { get; private set; } = [];
    public Dictionary<string, int> Rejections { get; } = new(StringComparer.Ordinal);
    /// <summary>Tweets the live text source would drop, per reason (<see cref="TextDropReasons"/>, <c>RejectReasons</c>).</summary>
    public Dictionary<string, int> TextDrops { get; } = new(StringComparer.Ordinal);
    /// <summary>Posts kept by the text pipeline (a tweet filed under several tickers is one post).</summary>
    public int TweetCount { get; private set; }
    /// <summary>Tweet lines read from the files (a tweet filed under several tickers counts once per ticker).</summary>
    public int TweetsRead { get; private set; }
    /// <summary>Distinct posts after merging the copies of a tweet filed under several tickers.</summary>
    public int Posts { get; private set; }
    /// <summary>Kept posts × their tickers: the texts the tickers see.</summary>
    public int TickerTexts { get; private set; }
    /// <summary>The scorer behind <see cref="TextObservation.SignalPolarity"/> (the sentiment signal's texts).</summary>
    public string SignalScorer { get; private set; } = "";

    public IReadOnlyList<DayBar> Bars(string symbol) => _bars.GetValueOrDefault(symbol) ?? [];
    public IReadOnlyList<TextObservation> Texts(string symbol) => _texts.GetValueOrDefault(symbol) ?? [];
    public int Sector(string symbol) => _sectors.GetValueOrDefault(symbol, -1);

    public MarketDay? Market(DateOnly day, int sector) =>
        _market.TryGetValue(day, out var m)
            ? new MarketDay(m.Ret1, m.Ret5, _sectorMarket.TryGetValue((day, sector), out var s) ? s : m.Ret1)
            : null;

    /// <summary>The model's inputs for one target day of one symbol.</summary>
    public PriceInputs Inputs(string symbol, DateOnly target)
    {
        var sector = Sector(symbol);
        return new PriceInputs(target, Bars(symbol), Texts(symbol), day => Market(day, sector), sector);
    }

    /// <param name="scorer">The scorer of the price model's text features (the shipped lexicon, as in training and live).</param>
    /// <param name="sectorOf">Sector id of a symbol (the model's own map, so unseen directories agree with training); −1 unknown.</param>
    /// <param name="textsFrom">Tweets before this day are not read (they cannot reach any feature of a later evaluation).</param>
    /// <param name="signalScorer">
    /// The scorer of the sentiment <i>signal</i> (the live sentiment grain refines every post with the production
    /// transformer); null: <paramref name="scorer"/>.
    /// </param>
    public static StockNetData Load(string directory, ISentimentScorer scorer, Func<string, int> sectorOf,
        DateOnly? textsFrom = null, DateOnly? textsTo = null, TextWriter? progress = null, IBatchSentimentScorer? signalScorer = null)
    {
        RequireLayout(directory);
        var data = new StockNetData();
        var reader = new StockNetReader(directory);
        reader.RowRejected += (_, _, reason) => data.Reject(reason);
        data.Symbols = reader.Symbols();
        var posts = new List<TextPost>();
        foreach (var symbol in data.Symbols)
        {
            data._sectors[symbol] = sectorOf(symbol);
            data._bars[symbol] = reader.ReadPrices(symbol)
                .Select(b => new DayBar(b.Date, (double)b.Open, (double)b.High, (double)b.Low, (double)b.Close, (double)b.Volume))
                .ToList();
            data._movements[symbol] = data.ReadMovements(directory, symbol, data._bars[symbol]);
            posts.AddRange(reader.ReadTweets(symbol, textsFrom, textsTo));
        }
        data.FilterAndScore(posts, scorer, signalScorer);
        data.BuildMarket();
        progress?.WriteLine($"loaded {data.Symbols.Count} symbols, {data._bars.Values.Sum(b => b.Count)} daily bars from {directory}; tweets: {data.TweetsRead} lines,"
            + $" {data.Posts} distinct posts, {data.TweetCount} kept by the text pipeline ({data.TickerTexts} ticker texts)"
            + (data.TextDrops.Count == 0 ? "" : "; dropped: " + string.Join(", ", data.TextDrops.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} × {kv.Value}")))
            + (data.Rejections.Count == 0 ? "" : "; rejected rows: " + string.Join(", ", data.Rejections.Select(kv => $"{kv.Key} × {kv.Value}"))));
        return data;
    }

    /// <summary>The live text source's validator and pipeline over all tweets in the replay's global time order.</summary>
    private void FilterAndScore(List<TextPost> posts, ISentimentScorer scorer, IBatchSentimentScorer? signalScorer)
    {
        TweetsRead = posts.Count;
        SignalScorer = (signalScorer ?? scorer).Name;
        // Copies of one tweet under several tickers become one post (as the replay does); then a stable sort by time,
        // like the replay's OrderBy: ties keep symbol order, then file order.
        var ordered = StockNetReader.MergeCopies(posts).OrderBy(p => p.Time).ToList();
        Posts = ordered.Count;
        var keptPosts = 0;
        var intake = new TextIntake(new TextPipeline());
        var kept = new List<(string Symbol, DateTime Time, string Text)>();
        foreach (var raw in ordered)
        {
            var reason = intake.Admit(raw, out var post);
            if (reason is not null)
            {
                TextDrops[reason] = TextDrops.GetValueOrDefault(reason) + 1;
                continue;
            }
            keptPosts++;
            foreach (var symbol in post!.Symbols) kept.Add((symbol, post.Time, post.Text));
        }
        var signal = new double[kept.Count];
        if (signalScorer is not null)
        {
            const int batch = 64;
            for (var i = 0; i < kept.Count; i += batch)
            {
                var scores = signalScorer.ScoreBatch(kept.GetRange(i, Math.Min(batch, kept.Count - i)).ConvertAll(k => k.Text));
                for (var j = 0; j < scores.Length; j++) signal[i + j] = scores[j].Polarity;
            }
        }
        for (var i = 0; i < kept.Count; i++)
        {
            var (symbol, time, text) = kept[i];
            if (!_texts.TryGetValue(symbol, out var list)) _texts[symbol] = list = [];
            var polarity = scorer.Score(text).Polarity;
            list.Add(new TextObservation(time, polarity, signalScorer is null ? polarity : signal[i]));
        }
        foreach (var list in _texts.Values) list.Sort((a, b) => a.TimeUtc.CompareTo(b.TimeUtc));
        TweetCount = keptPosts;
        TickerTexts = kept.Count;
    }

    /// <summary>Fails with a clear message when the directory does not have the StockNet layout.</summary>
    public static void RequireLayout(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
            throw new InvalidDataException($"directory '{directory}' does not exist");
        if (!Directory.Exists(Path.Combine(directory, "price", "raw")))
            throw new InvalidDataException($"'{directory}' is not a StockNet-layout directory: no price/raw/ folder");
        if (!Directory.EnumerateFiles(Path.Combine(directory, "price", "raw"), "*.csv").Any())
            throw new InvalidDataException($"'{directory}': price/raw has no <TICKER>.csv files");
    }

    /// <summary>The StockNet samples whose target day is in [from, to), with the protocol's label filter.</summary>
    public List<StockNetSample> Samples(DateOnly from, DateOnly to)
    {
        var samples = new List<StockNetSample>();
        foreach (var symbol in Symbols)
            foreach (var (date, mv) in _movements[symbol])
            {
                if (date < from || date >= to) continue;
                if (mv >= RiseFrom) samples.Add(new StockNetSample(symbol, date, mv, true));
                else if (mv < FallBelow) samples.Add(new StockNetSample(symbol, date, mv, false));
            }
        samples.Sort((a, b) => a.Target != b.Target ? a.Target.CompareTo(b.Target) : string.CompareOrdinal(a.Symbol, b.Symbol));
        return samples;
    }

    /// <summary>
    /// Movement labels from <c>price/preprocessed/&lt;T&gt;.txt</c>, the protocol's own numbers. Where that file is absent
    /// (e.g. the shipped sample), the same definition — AdjClose_t / AdjClose_t−1 − 1, rounded to 6 decimals as in the
    /// preprocessed files — is applied to the raw bars.
    /// </summary>
    private List<(DateOnly, double)> ReadMovements(string directory, string symbol, List<DayBar> bars)
    {
        var path = Path.Combine(directory, "price", "preprocessed", symbol + ".txt");
        var rows = new List<(DateOnly, double)>();
        if (!File.Exists(path))
        {
            for (var i = 1; i < bars.Count; i++)
                if (bars[i - 1].Close > 0) rows.Add((bars[i].Date, Math.Round(bars[i].Close / bars[i - 1].Close - 1, 6)));
            return rows;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            if (f.Length < 2 || !DateOnly.TryParseExact(f[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !double.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var mv) || !double.IsFinite(mv))
            {
                Reject("preprocessed: malformed row");
                continue;
            }
            rows.Add((date, mv));
        }
        rows.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return rows;
    }

    private void Reject(string reason) => Rejections[reason] = Rejections.GetValueOrDefault(reason) + 1;

    /// <summary>Average log returns per day over all symbols (and per sector) that traded on that day and the bars before.</summary>
    private void BuildMarket()
    {
        var sums = new Dictionary<DateOnly, (double S1, double S5, int N1, int N5)>();
        var sectorSums = new Dictionary<(DateOnly, int), (double S, int N)>();
        foreach (var symbol in Symbols)
        {
            var bars = _bars[symbol];
            var sector = _sectors[symbol];
            for (var i = 1; i < bars.Count; i++)
            {
                if (bars[i].Close <= 0 || bars[i - 1].Close <= 0) continue;
                var r1 = Math.Log(bars[i].Close / bars[i - 1].Close);
                var acc = sums.GetValueOrDefault(bars[i].Date);
                acc.S1 += r1; acc.N1++;
                if (i >= 5 && bars[i - 5].Close > 0) { acc.S5 += Math.Log(bars[i].Close / bars[i - 5].Close); acc.N5++; }
                sums[bars[i].Date] = acc;
                if (sector >= 0)
                {
                    var s = sectorSums.GetValueOrDefault((bars[i].Date, sector));
                    sectorSums[(bars[i].Date, sector)] = (s.S + r1, s.N + 1);
                }
            }
        }
        foreach (var (day, acc) in sums)
            _market[day] = (acc.S1 / acc.N1, acc.N5 > 0 ? acc.S5 / acc.N5 : 0);
        foreach (var (key, s) in sectorSums) _sectorMarket[key] = s.S / s.N;
    }
}

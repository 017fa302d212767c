using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Core.Market;

namespace MarketPulse.Ingestion.StockNet;

/// <summary>
/// Reads the StockNet data layout (Xu &amp; Cohen 2018): <c>price/raw/&lt;T&gt;.csv</c> (Yahoo daily) and
/// <c>tweet/preprocessed/&lt;T&gt;/&lt;yyyy-MM-dd&gt;</c> (JSON lines of token lists).
/// Bad rows are skipped and reported through <see cref="RowRejected"/>, never thrown.
/// </summary>
public sealed class StockNetReader(string root)
{
    public const string Source = "stocknet";

    public string Root { get; } = root;

    /// <summary>(file, line number, reason) for each row that could not be used.</summary>
    public event Action<string, int, string>? RowRejected;

    public IReadOnlyList<string> Symbols()
    {
        var dir = Path.Combine(Root, "price", "raw");
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"no StockNet price directory at {dir}");
        return Directory.EnumerateFiles(dir, "*.csv").Select(f => Path.GetFileNameWithoutExtension(f).ToUpperInvariant()).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Daily bars from the Yahoo CSV, split- and dividend-adjusted (every price scaled by AdjClose/Close,
    /// which is what StockNet's movement labels are computed from).
    /// </summary>
    public IEnumerable<DailyBar> ReadPrices(string symbol, DateOnly? from = null, DateOnly? to = null)
    {
        var path = Path.Combine(Root, "price", "raw", symbol + ".csv");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null || !header.StartsWith("Date,Open,High,Low,Close,Adj Close,Volume", StringComparison.Ordinal))
        {
            RowRejected?.Invoke(path, 1, "header: expected Date,Open,High,Low,Close,Adj Close,Volume");
            yield break;
        }
        var lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            var f = line.Split(',');
            if (f.Length < 7
                || !DateOnly.TryParseExact(f[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !TryDec(f[1], out var open) || !TryDec(f[2], out var high) || !TryDec(f[3], out var low)
                || !TryDec(f[4], out var close) || !TryDec(f[5], out var adj) || !TryDec(f[6], out var volume)
                || close <= 0)
            {
                RowRejected?.Invoke(path, lineNo, "row: malformed or non-positive close");
                continue;
            }
            if (from is { } a && date < a) continue;
            if (to is { } b && date >= b) continue;
            var k = adj / close;
            yield return new DailyBar(symbol, date, R(open * k), R(high * k), R(low * k), R(adj), volume, Source);
        }
    }

    /// <summary>Tweets for one symbol, in file order per day. The text is the preprocessed tokens joined by spaces.</summary>
    public IEnumerable<TextPost> ReadTweets(string symbol, DateOnly? from = null, DateOnly? to = null)
    {
        var dir = Path.Combine(Root, "tweet", "preprocessed", symbol);
        if (!Directory.Exists(dir)) yield break;
        foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
        {
            if (!DateOnly.TryParseExact(Path.GetFileName(file), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) continue;
            if (from is { } a && day < a.AddDays(-1)) continue;
            if (to is { } b && day > b) continue;
            var lineNo = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNo++;
                var post = ParseTweet(symbol, line, file, lineNo);
                if (post is null) continue;
                var d = DateOnly.FromDateTime(post.Time);
                if (from is { } f && d < f) continue;
                if (to is { } t && d >= t) continue;
                yield return post;
            }
        }
    }

    /// <summary>
    /// One post per tweet: StockNet files a tweet that names several tickers under each of them (same text, author and
    /// time, hence the same id); the copies are merged into the first one, with every ticker as its symbols, so a text
    /// source accepts it once and attributes it to all of them. Order of first appearance is kept.
    /// </summary>
    public static List<TextPost> MergeCopies(IEnumerable<TextPost> posts)
    {
        var merged = new List<TextPost>();
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var post in posts)
        {
            if (!at.TryGetValue(post.Id, out var i))
            {
                at[post.Id] = merged.Count;
                merged.Add(post);
                continue;
            }
            var first = merged[i];
            var extra = (post.Symbols ?? []).Where(s => !(first.Symbols ?? []).Contains(s, StringComparer.Ordinal)).ToList();
            if (extra.Count > 0) merged[i] = first with { Symbols = [.. first.Symbols ?? [], .. extra] };
        }
        return merged;
    }

    private TextPost? ParseTweet(string symbol, string line, string file, int lineNo)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("text", out var tokens) || tokens.ValueKind != JsonValueKind.Array
                || !root.TryGetProperty("created_at", out var created) || created.GetString() is not { } createdText
                || !DateTimeOffset.TryParseExact(createdText, "ddd MMM dd HH:mm:ss zzz yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                RowRejected?.Invoke(file, lineNo, "tweet: missing text or created_at");
                return null;
            }
            var text = string.Join(' ', tokens.EnumerateArray().Select(t => t.GetString()));
            var user = root.TryGetProperty("user_id_str", out var u) ? u.GetString() : null;
            // The preprocessed files carry no tweet id; a content hash gives a stable one so re-replays de-duplicate.
            var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{createdText}|{user}|{text}")))[..20];
            return new TextPost(Source, id, time.UtcDateTime, text, [symbol], user);
        }
        catch (JsonException)
        {
            RowRejected?.Invoke(file, lineNo, "tweet: not JSON");
            return null;
        }
    }

    private static bool TryDec(string s, out decimal v) => decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v);

    private static decimal R(decimal v) => Math.Round(v, 6);

    /// <summary>End-of-day bars are stamped at the exchange's regular close, when they become known.</summary>
    public static DateTime BarTime(DailyBar bar) => ExchangeCalendar.UsEquities.CloseUtc(bar.Date);
}

using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Ingestion.Lean;
using MarketPulse.Ingestion.StockNet;

namespace MarketPulse.Ingestion.Replay;

/// <summary>One item of a replay timeline: a daily bar, a trade or a text post, at the instant it became known.</summary>
public readonly record struct ReplayEvent(DateTime Time, DailyBar? Bar, TextPost? Post, MarketTick? Tick = null);

/// <summary>A data row a replay skipped: where it was and why (the replay counts these per reason and logs each reason once).</summary>
public readonly record struct ReplayRowRejection(string File, long Line, string Reason);

public static class ReplayTimeline
{
    /// <summary>The data-set layouts a replay can read.</summary>
    public enum Format { StockNet, LeanTicks }

    /// <summary>Loads a StockNet-layout directory into one time-ordered timeline (bars at the close, posts at their time).</summary>
    public static List<ReplayEvent> LoadStockNet(StockNetReader reader, IReadOnlyCollection<string>? symbols = null, DateOnly? from = null, DateOnly? to = null)
    {
        var events = new List<ReplayEvent>();
        var posts = new List<TextPost>();
        foreach (var symbol in symbols ?? reader.Symbols())
        {
            events.AddRange(reader.ReadPrices(symbol, from, to).Select(b => new ReplayEvent(StockNetReader.BarTime(b), b, null)));
            posts.AddRange(reader.ReadTweets(symbol, from, to));
        }
        // A tweet filed under several tickers is one post for all of them (StockNetData does the same for backtests).
        events.AddRange(StockNetReader.MergeCopies(posts).Select(p => new ReplayEvent(p.Time, null, p)));
        // Stable sort keeps each file's order for equal times.
        return [.. events.OrderBy(e => e.Time)];
    }

    /// <summary>
    /// Recognises a data directory: StockNet (<c>price/raw</c>) or LEAN tick data (<c>equity/usa/tick</c>, also under
    /// <c>Data/</c>). Returns null with a reason when it is neither.
    /// </summary>
    public static Format? Detect(string path, out string? reason)
    {
        reason = null;
        if (!Directory.Exists(path))
        {
            reason = $"{path} does not exist";
            return null;
        }
        if (Directory.Exists(Path.Combine(path, "price", "raw"))) return Format.StockNet;
        if (LeanTickTimeline.FindTickRoot(path) is not null) return Format.LeanTicks;
        reason = $"{path} is neither a StockNet directory (price/raw) nor LEAN data (equity/usa/tick)";
        return null;
    }

    /// <summary>
    /// The time-ordered events of a data directory, streamed where the format allows it (LEAN tick days are merged
    /// file by file, never loaded whole). Each skipped row is reported through <paramref name="onRejected"/>.
    /// </summary>
    public static IEnumerable<ReplayEvent> Open(string path, IReadOnlyCollection<string>? symbols, Action<ReplayRowRejection> onRejected,
        DateOnly? from = null, DateOnly? to = null)
    {
        switch (Detect(path, out var reason))
        {
            case Format.StockNet:
                var reader = new StockNetReader(path);
                reader.RowRejected += (file, line, why) => onRejected(new ReplayRowRejection(file, line, why));
                return LoadStockNet(reader, symbols, from, to);
            case Format.LeanTicks:
                return LeanTickTimeline.Read(LeanTickTimeline.FindTickRoot(path)!, symbols, onRejected, from, to);
            default:
                throw new DirectoryNotFoundException(reason);
        }
    }
}

using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Ingestion.StockNet;

namespace MarketPulse.Ingestion.Replay;

/// <summary>One item of a replay timeline: a daily bar or a text post, at the instant it became known.</summary>
public readonly record struct ReplayEvent(DateTime Time, DailyBar? Bar, TextPost? Post);

public static class ReplayTimeline
{
    /// <summary>Loads a StockNet-layout directory into one time-ordered timeline (bars at the close, posts at their time).</summary>
    public static List<ReplayEvent> LoadStockNet(StockNetReader reader, IReadOnlyCollection<string>? symbols = null, DateOnly? from = null, DateOnly? to = null)
    {
        var events = new List<ReplayEvent>();
        foreach (var symbol in symbols ?? reader.Symbols())
        {
            events.AddRange(reader.ReadPrices(symbol, from, to).Select(b => new ReplayEvent(StockNetReader.BarTime(b), b, null)));
            events.AddRange(reader.ReadTweets(symbol, from, to).Select(p => new ReplayEvent(p.Time, null, p)));
        }
        // Stable sort keeps each file's order for equal times.
        return [.. events.OrderBy(e => e.Time)];
    }
}

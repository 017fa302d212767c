using MarketPulse.Abstractions.Market;
using MarketPulse.Core.Market;
using MarketPulse.Ingestion.Lean;

namespace MarketPulse.Ingestion.Replay;

/// <summary>
/// LEAN trade-tick days (<c>tick/&lt;sym&gt;/YYYYMMDD_trade.zip</c>) as one time-ordered stream: each symbol's days are
/// read one after the other and the symbols merged by time, so memory holds one pending tick per symbol, not a file.
/// Prices stay raw (as traded): factor-file adjustment is for joining long histories, not for replaying a day.
/// Ticks the vendor marked suspicious (LEAN leaves them out of its own bars) are skipped and reported like bad rows.
/// Where the data set has the symbol's daily file, the <c>dailyWarmUpBars</c> end-of-day bars before its first tick day
/// come first (raw, like the ticks, at their close), so the daily indicators are defined when the tick days close.
/// </summary>
public static class LeanTickTimeline
{
    public const string Source = "lean";
    public const string Suspicious = "suspicious: flagged by the data vendor";
    public const string UnreadableFile = "file: not a readable LEAN zip (skipped whole)";
    public const string CorruptFile = "file: compressed data corrupt (rest of the file skipped)";

    /// <summary>The <c>tick</c> folder under <paramref name="path"/> (given as the LEAN root, its <c>Data</c>, or <c>equity/usa</c>).</summary>
    public static string? FindTickRoot(string path)
    {
        foreach (var candidate in new[] { Path.Combine(path, "Data", "equity", "usa", "tick"), Path.Combine(path, "equity", "usa", "tick"),
                     Path.Combine(path, "usa", "tick"), Path.Combine(path, "tick") })
        {
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <param name="from">First trading day (inclusive); <paramref name="to"/> is exclusive.</param>
    public static IEnumerable<ReplayEvent> Read(string tickRoot, IReadOnlyCollection<string>? symbols, Action<ReplayRowRejection> onRejected,
        DateOnly? from = null, DateOnly? to = null, int dailyWarmUpBars = 60)
    {
        var wanted = symbols?.Select(s => s.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var streams = Directory.EnumerateDirectories(tickRoot)
            .Select(d => (Symbol: Path.GetFileName(d).ToUpperInvariant(), Dir: d))
            .Where(x => wanted is null || wanted.Contains(x.Symbol))
            .OrderBy(x => x.Symbol, StringComparer.Ordinal)
            .Select(x => SymbolEvents(x.Symbol, x.Dir, onRejected, from, to, dailyWarmUpBars).GetEnumerator())
            .ToList();
        var queue = new PriorityQueue<IEnumerator<ReplayEvent>, (DateTime, int)>();
        try
        {
            for (var i = 0; i < streams.Count; i++)
                if (streams[i].MoveNext()) queue.Enqueue(streams[i], (streams[i].Current.Time, i));
            while (queue.TryDequeue(out var e, out var key))
            {
                yield return e.Current;
                if (e.MoveNext()) queue.Enqueue(e, (e.Current.Time, key.Item2));
            }
        }
        finally
        {
            foreach (var s in streams) s.Dispose();
        }
    }

    private static IEnumerable<ReplayEvent> SymbolEvents(string symbol, string dir, Action<ReplayRowRejection> onRejected, DateOnly? from, DateOnly? to,
        int dailyWarmUpBars)
    {
        var days = new List<(DateOnly Day, string File)>();
        foreach (var f in Directory.EnumerateFiles(dir, "*_trade.zip").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(f);
            if (name.Length >= 8 && DateOnly.TryParseExact(name[..8], "yyyyMMdd", out var day) && (from is null || day >= from) && (to is null || day < to))
                days.Add((day, f));
        }
        if (days.Count == 0) yield break;

        var dailyZip = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(dir)!)!, "daily", symbol.ToLowerInvariant() + ".zip");
        if (dailyWarmUpBars > 0 && File.Exists(dailyZip))
        {
            // Streamed: only the last N bars before the first tick day are kept.
            var history = new Queue<DailyBar>(dailyWarmUpBars + 1);
            using (var daily = LeanDailyBarReader.Open(dailyZip, r => onRejected(new ReplayRowRejection(r.File, r.Line, r.Reason))))
            {
                while (daily.TryRead(out var bar) && bar.Date < days[0].Day)
                {
                    history.Enqueue(bar);
                    if (history.Count > dailyWarmUpBars) history.Dequeue();
                }
            }
            foreach (var bar in history) yield return new ReplayEvent(ExchangeCalendar.UsEquities.CloseUtc(bar.Date), bar, null);
        }

        long sequence = 0;
        foreach (var (_, file) in days)
        {
            // A file that cannot be opened or inflated is reported like a bad row and the replay goes on with the next.
            LeanTickTradeReader reader;
            try
            {
                reader = LeanTickTradeReader.Open(file, r => onRejected(new ReplayRowRejection(r.File, r.Line, r.Reason)));
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                onRejected(new ReplayRowRejection(file, 0, UnreadableFile));
                continue;
            }
            using (reader)
            {
                while (true)
                {
                    LeanTradeTick t;
                    try
                    {
                        if (!reader.TryRead(out t)) break;
                    }
                    catch (Exception ex) when (ex is InvalidDataException or IOException)
                    {
                        onRejected(new ReplayRowRejection(file, reader.LineNumber, CorruptFile));
                        break;
                    }
                    if (t.Suspicious)
                    {
                        onRejected(new ReplayRowRejection(file, reader.LineNumber, Suspicious));
                        continue;
                    }
                    yield return new ReplayEvent(t.TimeUtc, null, null, t.ToMarketTick(symbol, ++sequence));
                }
            }
        }
    }
}

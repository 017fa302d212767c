using System.Globalization;
using MarketPulse.Core.Market;

namespace MarketPulse.Ingestion.Lean;

/// <summary>
/// Streams LEAN equity minute (or second) trade bars — <c>ms since New York midnight,open,high,low,close,volume</c>,
/// prices in deci-cents — as <see cref="Bar"/>s with UTC starts. Rows that do not parse or are not a consistent
/// bar (low above high, open/close outside the range, negative volume, time outside the day) are skipped and
/// reported through the rejection callback.
/// </summary>
public sealed class LeanMinuteTradeBarReader : IDisposable
{
    private readonly LeanRows _rows;
    private readonly NewYorkClock _clock;
    private readonly TimeSpan _interval;

    /// <param name="csv">The uncompressed CSV; the reader owns and disposes it.</param>
    public LeanMinuteTradeBarReader(Stream csv, string fileName, DateOnly tradingDay, Action<LeanRowRejection> onRejected, TimeSpan? interval = null)
        : this(csv, fileName, tradingDay, onRejected, interval, null) { }

    private LeanMinuteTradeBarReader(Stream csv, string fileName, DateOnly tradingDay, Action<LeanRowRejection> onRejected, TimeSpan? interval, LeanZipEntry? zip)
    {
        _rows = new LeanRows(csv, fileName, onRejected, zip);
        TradingDay = tradingDay;
        _clock = new NewYorkClock(tradingDay);
        _interval = interval ?? TimeSpan.FromMinutes(1);
    }

    /// <summary>Opens <c>…/minute/&lt;sym&gt;/YYYYMMDD_trade.zip</c>; the trading day comes from the file name.</summary>
    public static LeanMinuteTradeBarReader Open(string zipPath, Action<LeanRowRejection> onRejected)
    {
        var day = DateOnly.ParseExact(Path.GetFileName(zipPath)[..8], "yyyyMMdd", CultureInfo.InvariantCulture);
        var zip = LeanZipEntry.Open(zipPath);
        return new LeanMinuteTradeBarReader(zip.Stream, zipPath, day, onRejected, null, zip);
    }

    public DateOnly TradingDay { get; }
    public long BytesRead => _rows.BytesRead;
    public long Rejected => _rows.Rejected;

    public bool TryRead(out Bar bar)
    {
        while (_rows.TryNext(out var line))
        {
            var fields = new LeanFields(line);
            if (!fields.TryNextInt64(out var ms) || !fields.TryNextInt64(out var open) || !fields.TryNextInt64(out var high)
                || !fields.TryNextInt64(out var low) || !fields.TryNextInt64(out var close) || !fields.TryNextInt64(out var volume))
            {
                Reject("expected 6 integer fields: ms,open,high,low,close,volume");
                continue;
            }
            if (!fields.IsAtEnd)
            {
                Reject("more than 6 fields");
                continue;
            }
            var reason = LeanBarCheck.Problem(open, high, low, close, volume);
            var start = default(DateTime);
            if (reason is null && (ms < 0 || ms >= 86_400_000)) reason = "time outside the trading day";
            if (reason is null && !_clock.TryToUtc(ms * TimeSpan.TicksPerMillisecond, out start)) reason = "local time does not exist (DST switch)";
            if (reason is not null)
            {
                Reject(reason);
                continue;
            }
            bar = new Bar(start, _interval, TradingDay, open / 10000.0, high / 10000.0, low / 10000.0, close / 10000.0, volume, 0);
            return true;
        }
        bar = default;
        return false;
    }

    public IEnumerable<Bar> ReadAll()
    {
        while (TryRead(out var bar)) yield return bar;
    }

    private void Reject(string reason) => _rows.Reject(reason);

    public void Dispose() => _rows.Dispose();
}

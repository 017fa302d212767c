using System.Buffers.Text;
using System.Globalization;

namespace MarketPulse.Ingestion.Lean;

/// <summary>
/// Streams LEAN equity trade ticks — <c>ms[.fraction] since New York midnight,price,size,exchange,saleCondition(hex),suspicious</c>,
/// prices in deci-cents. Rows that do not parse, or have a non-positive price or size, are skipped and reported.
/// </summary>
public sealed class LeanTickTradeReader : IDisposable
{
    private readonly LeanRows _rows;
    private readonly NewYorkClock _clock;

    /// <param name="csv">The uncompressed CSV; the reader owns and disposes it.</param>
    public LeanTickTradeReader(Stream csv, string fileName, DateOnly tradingDay, Action<LeanRowRejection> onRejected)
        : this(csv, fileName, tradingDay, onRejected, null) { }

    private LeanTickTradeReader(Stream csv, string fileName, DateOnly tradingDay, Action<LeanRowRejection> onRejected, LeanZipEntry? zip)
    {
        _rows = new LeanRows(csv, fileName, onRejected, zip);
        TradingDay = tradingDay;
        _clock = new NewYorkClock(tradingDay);
    }

    /// <summary>Opens <c>…/tick/&lt;sym&gt;/YYYYMMDD_trade.zip</c>; the trading day comes from the file name.</summary>
    public static LeanTickTradeReader Open(string zipPath, Action<LeanRowRejection> onRejected)
    {
        var day = DateOnly.ParseExact(Path.GetFileName(zipPath)[..8], "yyyyMMdd", CultureInfo.InvariantCulture);
        var zip = LeanZipEntry.Open(zipPath);
        return new LeanTickTradeReader(zip.Stream, zipPath, day, onRejected, zip);
    }

    public DateOnly TradingDay { get; }
    public long BytesRead => _rows.BytesRead;
    public long Rejected => _rows.Rejected;

    /// <summary>1-based number of the line last read.</summary>
    public long LineNumber => _rows.LineNumber;

    public bool TryRead(out LeanTradeTick tick)
    {
        while (_rows.TryNext(out var line))
        {
            var fields = new LeanFields(line);
            if (!fields.TryNextMillisecondsAsTicks(out var sinceMidnight))
            {
                Reject("bad time: expected milliseconds since midnight");
                continue;
            }
            if (!fields.TryNextInt64(out var price) || !fields.TryNextInt64(out var size))
            {
                Reject("expected integer price and size");
                continue;
            }
            if (!fields.TryNext(out var exchange) || exchange.Length != 1 || !char.IsAsciiLetter((char)exchange[0]))
            {
                Reject("expected a one-letter exchange code");
                continue;
            }
            if (!fields.TryNext(out var condition) || !Utf8Parser.TryParse(condition, out uint flags, out var used, 'X') || used != condition.Length || condition.IsEmpty)
            {
                Reject("expected hexadecimal sale-condition flags");
                continue;
            }
            if (!fields.TryNext(out var suspicious) || suspicious.Length != 1 || (suspicious[0] != (byte)'0' && suspicious[0] != (byte)'1'))
            {
                Reject("expected suspicious flag 0 or 1");
                continue;
            }
            if (!fields.IsAtEnd)
            {
                Reject("more than 6 fields");
                continue;
            }
            if (price <= 0 || size <= 0)
            {
                Reject("non-positive price or size");
                continue;
            }
            if (sinceMidnight >= TimeSpan.TicksPerDay)
            {
                Reject("time outside the trading day");
                continue;
            }
            if (!_clock.TryToUtc(sinceMidnight, out var utc))
            {
                Reject("local time does not exist (DST switch)");
                continue;
            }
            // decimal(lo, mid, hi, negative, scale 4) is the deci-cent integer read as dollars, without a division.
            tick = new LeanTradeTick(utc, new decimal((int)price, (int)(price >> 32), 0, false, 4), size,
                (char)exchange[0], flags, suspicious[0] == (byte)'1');
            return true;
        }
        tick = default;
        return false;
    }

    public IEnumerable<LeanTradeTick> ReadAll()
    {
        while (TryRead(out var tick)) yield return tick;
    }

    private void Reject(string reason) => _rows.Reject(reason);

    public void Dispose() => _rows.Dispose();
}

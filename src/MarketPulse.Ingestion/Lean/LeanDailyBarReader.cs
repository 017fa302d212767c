using System.Buffers.Text;
using MarketPulse.Abstractions.Market;

namespace MarketPulse.Ingestion.Lean;

/// <summary>
/// Streams a LEAN equity daily file — <c>YYYYMMDD HH:MM,open,high,low,close,volume</c>, raw (unadjusted) deci-cent
/// prices — as <see cref="DailyBar"/>s. With a <see cref="LeanFactorFile"/> the prices are split- and
/// dividend-adjusted (× price scale factor) and the volume split-adjusted (÷ split factor), as LEAN's "Adjusted"
/// normalisation does; without one they stay raw. Bad rows are skipped and reported.
/// </summary>
public sealed class LeanDailyBarReader : IDisposable
{
    private readonly LeanRows _rows;
    private readonly LeanFactorFile? _factors;
    private readonly string _source;

    /// <param name="csv">The uncompressed CSV; the reader owns and disposes it.</param>
    public LeanDailyBarReader(Stream csv, string fileName, string symbol, Action<LeanRowRejection> onRejected, LeanFactorFile? factors = null)
        : this(csv, fileName, symbol, onRejected, factors, null) { }

    private LeanDailyBarReader(Stream csv, string fileName, string symbol, Action<LeanRowRejection> onRejected, LeanFactorFile? factors, LeanZipEntry? zip)
    {
        _rows = new LeanRows(csv, fileName, onRejected, zip);
        _factors = factors;
        Symbol = symbol;
        _source = factors is null ? "lean" : "lean-adjusted";
    }

    /// <summary>Opens <c>…/daily/&lt;sym&gt;.zip</c>; the symbol (upper-cased) comes from the file name.</summary>
    public static LeanDailyBarReader Open(string zipPath, Action<LeanRowRejection> onRejected, LeanFactorFile? factors = null)
    {
        var zip = LeanZipEntry.Open(zipPath);
        return new LeanDailyBarReader(zip.Stream, zipPath, Path.GetFileNameWithoutExtension(zipPath).ToUpperInvariant(), onRejected, factors, zip);
    }

    public string Symbol { get; }
    public long Rejected => _rows.Rejected;

    public bool TryRead(out DailyBar bar)
    {
        while (_rows.TryNext(out var line))
        {
            var fields = new LeanFields(line);
            if (!fields.TryNext(out var stamp) || !TryParseDay(stamp, out var day))
            {
                Reject("expected a 'YYYYMMDD HH:MM' date");
                continue;
            }
            if (!fields.TryNextInt64(out var open) || !fields.TryNextInt64(out var high) || !fields.TryNextInt64(out var low)
                || !fields.TryNextInt64(out var close) || !fields.TryNextInt64(out var volume))
            {
                Reject("expected 5 integer fields after the date: open,high,low,close,volume");
                continue;
            }
            if (!fields.IsAtEnd)
            {
                Reject("more than 6 fields");
                continue;
            }
            if (LeanBarCheck.Problem(open, high, low, close, volume) is { } reason)
            {
                Reject(reason);
                continue;
            }
            decimal scale = 1, split = 1;
            if (_factors is not null)
            {
                scale = _factors.PriceScaleFactor(day);
                split = _factors.SplitFactor(day);
            }
            bar = new DailyBar(Symbol, day, DeciCents(open) * scale, DeciCents(high) * scale, DeciCents(low) * scale,
                DeciCents(close) * scale, volume / split, _source);
            return true;
        }
        bar = null!;
        return false;
    }

    public IEnumerable<DailyBar> ReadAll()
    {
        while (TryRead(out var bar)) yield return bar;
    }

    internal static decimal DeciCents(long value) => (decimal)value / 10000m;

    private static bool TryParseDay(ReadOnlySpan<byte> stamp, out DateOnly day)
    {
        day = default;
        if (stamp.Length < 8 || !Utf8Parser.TryParse(stamp[..8], out int yyyymmdd, out var used) || used != 8) return false;
        int y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;
        if (y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m)) return false;
        day = new DateOnly(y, m, d);
        return true;
    }

    private void Reject(string reason) => _rows.Reject(reason);

    public void Dispose() => _rows.Dispose();
}

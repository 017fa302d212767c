using System.Globalization;

namespace MarketPulse.Ingestion.Lean;

/// <summary>
/// A LEAN factor file (<c>YYYYMMDD,priceFactor,splitFactor,referencePrice</c>, ascending). A row's factors apply to
/// every day up to and including its date that no earlier row covers, so a day takes the first row dated on or
/// after it (LEAN's own lookup); days after the last row take 1. Bad rows are reported and skipped.
/// </summary>
public sealed class LeanFactorFile
{
    private readonly DateOnly[] _dates;
    private readonly decimal[] _priceFactors;
    private readonly decimal[] _splitFactors;

    private LeanFactorFile(List<(DateOnly Date, decimal Price, decimal Split)> rows)
    {
        _dates = rows.Select(r => r.Date).ToArray();
        _priceFactors = rows.Select(r => r.Price).ToArray();
        _splitFactors = rows.Select(r => r.Split).ToArray();
    }

    public int Count => _dates.Length;

    public static LeanFactorFile Load(string path, Action<LeanRowRejection> onRejected)
    {
        ArgumentNullException.ThrowIfNull(onRejected);
        var rows = new List<(DateOnly, decimal, decimal)>();
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length < 3
                || !DateOnly.TryParseExact(f[0], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !decimal.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var price) || price <= 0
                || !decimal.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var split) || split <= 0)
            {
                onRejected(new LeanRowRejection(path, lineNumber, "expected YYYYMMDD,positive price factor,positive split factor"));
                continue;
            }
            if (rows.Count > 0 && date <= rows[^1].Item1)
            {
                onRejected(new LeanRowRejection(path, lineNumber, "date not after the previous row"));
                continue;
            }
            rows.Add((date, price, split));
        }
        return new LeanFactorFile(rows);
    }

    /// <summary>Price factor × split factor: multiply a raw price of <paramref name="day"/> by it to adjust it.</summary>
    public decimal PriceScaleFactor(DateOnly day)
    {
        var i = RowFor(day);
        return i < 0 ? 1m : _priceFactors[i] * _splitFactors[i];
    }

    public decimal SplitFactor(DateOnly day)
    {
        var i = RowFor(day);
        return i < 0 ? 1m : _splitFactors[i];
    }

    private int RowFor(DateOnly day)
    {
        var i = Array.BinarySearch(_dates, day);
        if (i < 0) i = ~i;
        return i < _dates.Length ? i : -1;
    }
}

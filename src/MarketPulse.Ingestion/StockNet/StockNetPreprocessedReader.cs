using System.Globalization;

namespace MarketPulse.Ingestion.StockNet;

/// <summary>
/// One row of StockNet's <c>price/preprocessed/&lt;T&gt;.txt</c>: the authors' price features for a day. Checked against the
/// raw Yahoo file on every AAPL row (tests): <see cref="Movement"/> = AdjClose_t / AdjClose_{t−1} − 1; <see cref="Open"/>,
/// <see cref="High"/>, <see cref="Low"/> = X_t / AdjClose_{t−1} − 1 (raw price over the previous <em>adjusted</em> close);
/// <see cref="CloseChange"/> is the absolute change AdjClose_t − AdjClose_{t−1} (a quirk of the release, kept as is). The
/// data set's PROVENANCE says "Close_{t−1}"; that only holds on rows where no dividend separates Close from AdjClose.
/// </summary>
public readonly record struct StockNetPriceFeatures(DateOnly Date, double Movement, double Open, double High, double Low, double CloseChange, double Volume);

/// <summary>
/// Streams a StockNet preprocessed price file (TAB separated, dates descending as released) line by line. Rows that do
/// not parse are skipped and reported with file, line and reason; nothing is thrown for a bad row.
/// </summary>
public static class StockNetPreprocessedReader
{
    public static IEnumerable<StockNetPriceFeatures> Read(string path, Action<string, int, string> onRejected)
    {
        using var reader = new StreamReader(path);
        var lineNo = 0;
        DateOnly? previous = null;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            if (f.Length != 7)
            {
                onRejected(path, lineNo, $"row: expected 7 tab-separated fields, found {f.Length}");
                continue;
            }
            if (!DateOnly.TryParseExact(f[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                onRejected(path, lineNo, "date: expected YYYY-MM-DD");
                continue;
            }
            var v = new double[6];
            var ok = true;
            for (var i = 0; i < 6 && ok; i++)
                ok = double.TryParse(f[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) && double.IsFinite(v[i]);
            if (!ok || v[5] < 0)
            {
                onRejected(path, lineNo, "row: a feature is not a finite number, or volume < 0");
                continue;
            }
            if (previous is { } p && date >= p)
            {
                onRejected(path, lineNo, "date: not before the previous row (the file is in descending date order)");
                continue;
            }
            previous = date;
            yield return new StockNetPriceFeatures(date, v[0], v[1], v[2], v[3], v[4], v[5]);
        }
    }
}

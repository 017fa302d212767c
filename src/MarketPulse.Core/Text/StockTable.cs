namespace MarketPulse.Core.Text;

public sealed record StockListing(string Sector, string Symbol, string Company);

/// <summary>
/// The StockNet stock list (TAB-separated "Sector, Symbol, Company" with a header row; symbols written as "$AAPL").
/// The full 88-stock table is in ../shared/data/stocknet/StockTable; the repository ships the sample tickers'
/// rows in data/sample/stocknet/StockTable.
/// </summary>
public sealed class StockTable
{
    private StockTable(IReadOnlyList<StockListing> listings) => Listings = listings;

    public IReadOnlyList<StockListing> Listings { get; }

    public static StockTable Load(TextReader reader)
    {
        var listings = new List<StockListing>();
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var parts = line.Split('\t');
            if (parts.Length != 3)
                throw new FormatException($"StockTable line {lineNo}: expected 'Sector<TAB>Symbol<TAB>Company', got {parts.Length} field(s)");
            if (lineNo == 1 && parts[1].Trim().Equals("Symbol", StringComparison.OrdinalIgnoreCase)) continue;
            var symbol = parts[1].Trim().TrimStart('$').ToUpperInvariant();
            var company = string.Join(' ', parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (symbol.Length == 0 || company.Length == 0)
                throw new FormatException($"StockTable line {lineNo}: empty symbol or company");
            listings.Add(new StockListing(parts[0].Trim(), symbol, company));
        }
        return new StockTable(listings);
    }

    public static StockTable Load(string path)
    {
        using var reader = new StreamReader(path);
        return Load(reader);
    }
}

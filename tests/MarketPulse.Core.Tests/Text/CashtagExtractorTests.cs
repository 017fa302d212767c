using MarketPulse.Core.Text;

namespace MarketPulse.Core.Tests.Text;

public sealed class CashtagExtractorTests
{
    private static readonly StockTable Sample = StockTable.Load(RepoPaths.Sample("stocknet", "StockTable"));

    [Theory]
    [InlineData("$AAPL and $msft up, $aapl again", new[] { "AAPL", "MSFT" })]
    [InlineData("$BRK.B and $RDS-B.", new[] { "BRK.B", "RDS-B" })]
    [InlineData("paid $100 or US$5 or $$ or $TOOLONG", new string[0])]
    [InlineData("($GOOG),$JPM!", new[] { "GOOG", "JPM" })]
    public void Finds_cashtags(string text, string[] expected) => Assert.Equal(expected, new CashtagExtractor().Extract(text));

    [Fact]
    public void Sample_table_holds_the_sample_tickers()
    {
        Assert.Equal(["XOM", "AAPL", "JNJ", "AMZN", "JPM", "GE", "GOOG", "MSFT"], Sample.Listings.Select(l => l.Symbol));
        Assert.Equal("General Electric Company", Sample.Listings.Single(l => l.Symbol == "GE").Company);
    }

    [Theory]
    [InlineData("Apple beats, Microsoft misses", new[] { "AAPL", "MSFT" })]
    [InlineData("Exxon Mobil and JPMorgan Chase report", new[] { "XOM", "JPM" })]
    [InlineData("Johnson & Johnson recalls; Amazon.com Inc. and Amazon", new[] { "JNJ", "AMZN" })]
    [InlineData("General Electric sells unit to $XOM", new[] { "GE", "XOM" })]
    [InlineData("an apple a day; Applesauce", new string[0])]
    public void Maps_company_names_to_tickers(string text, string[] expected) =>
        Assert.Equal(expected, new CashtagExtractor(Sample).Extract(text));

    [Theory]
    [InlineData("APPLE INC", "AAPL")]
    [InlineData("MICROSOFT CORP", "MSFT")]
    [InlineData("EXXON MOBIL CORP", "XOM")]
    [InlineData("JPMORGAN CHASE & CO", "JPM")]
    [InlineData("JOHNSON & JOHNSON", "JNJ")]
    [InlineData("AMAZON COM INC", null)]                 // EDGAR writes "AMAZON COM INC": not a table name; configure its CIK
    [InlineData("Amazon.com, Inc.", "AMZN")]
    [InlineData("GENERAL ELECTRIC CO /NY/", "GE")]       // EDGAR's state-of-incorporation tag
    [InlineData("APPLE HOSPITALITY REIT, INC.", null)]   // a different company that starts with the same word
    [InlineData("ACME WIDGETS HOLDINGS CORP", null)]
    public void Finds_the_ticker_of_a_filer_name_in_any_case(string name, string? expected) =>
        Assert.Equal(expected, new CashtagExtractor(Sample).SymbolForCompany(name));

    [Fact]
    public void Extra_aliases_cover_names_the_table_lacks() =>
        Assert.Equal(["GOOG"], new CashtagExtractor(Sample, new Dictionary<string, string> { ["Google"] = "$goog" }).Extract("Google I/O"));

    [Theory]
    [InlineData("Amazon.com  Inc.", new[] { "Amazon.com Inc.", "Amazon.com", "Amazon" })]
    [InlineData("JPMorgan Chase & Co.", new[] { "JPMorgan Chase & Co.", "JPMorgan Chase" })]
    public void Derives_aliases_without_corporate_suffixes(string company, string[] expected) =>
        Assert.Equal(expected, CashtagExtractor.AliasesOf(company.Replace("  ", " ")).Distinct());

    [SharedDataFact("stocknet")]
    public void Loads_the_full_stocknet_table()
    {
        var table = StockTable.Load(SharedData.Path("stocknet", "StockTable"));
        Assert.Equal(88, table.Listings.Count);
        Assert.Equal(["CVX", "RDS-B"], new CashtagExtractor(table).Extract("Chevron and Royal Dutch Shell"));
    }

    [Fact]
    public void Rejects_malformed_rows()
    {
        var ex = Assert.Throws<FormatException>(() => StockTable.Load(new StringReader("Sector\tSymbol\tCompany\nTech\t$AAPL")));
        Assert.Contains("line 2", ex.Message);
    }
}

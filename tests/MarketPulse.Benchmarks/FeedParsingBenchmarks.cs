using System.Text;
using BenchmarkDotNet.Attributes;
using MarketPulse.Core.Text;
using MarketPulse.Ingestion.Text.Live;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketPulse.Benchmarks;

/// <summary>
/// The CPU side of an RSS poll: one EDGAR "latest 8-K filings" Atom page of 100 entries (the maximum the SEC serves per
/// page; entries cycle through the test responses' filers with distinct accession numbers) parsed by SyndicationFeed
/// into posts, filers resolved to tickers through the sample stock table. Items/s = 100 / mean.
/// </summary>
[MemoryDiagnoser]
public class FeedParsingBenchmarks
{
    private RssFeedSource _source = null!;
    private byte[] _page = [];

    [GlobalSetup]
    public void Setup()
    {
        var root = Path.GetDirectoryName(RepoPaths.Models)!;
        var extractor = new CashtagExtractor(StockTable.Load(Path.Combine(root, "data", "sample", "stocknet", "StockTable")));
        var settings = new RssSourceSettings { UserAgent = "MarketPulse bench admin@example.com" };
        _source = new RssFeedSource(new RssFeedSettings { Name = "sec-8k", Url = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom" },
            settings, new HttpClient(), new HostRateLimits(settings.RequestsPerSecondByHost, 1), extractor.SymbolForCompany,
            (_, _, _) => throw new InvalidOperationException(), NullLogger.Instance);
        string[] filers = ["APPLE INC (0000320193)", "MICROSOFT CORP (0000789019)", "EXXON MOBIL CORP (0000034088)", "ACME WIDGETS HOLDINGS CORP (0001999999)"];
        var xml = new StringBuilder("""<?xml version="1.0" encoding="ISO-8859-1" ?><feed xmlns="http://www.w3.org/2005/Atom"><title>Latest Filings</title><id>https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent</id><updated>2024-05-02T16:35:12-04:00</updated>""");
        for (var i = 0; i < 100; i++)
            xml.Append($"""
                <entry><title>8-K - {filers[i % filers.Length]} (Filer)</title>
                <link rel="alternate" type="text/html" href="https://www.sec.gov/Archives/edgar/data/{i}/0000950170-24-{i:D6}-index.htm"/>
                <summary type="html"> &lt;b&gt;Filed:&lt;/b&gt; 2024-05-02 &lt;b&gt;AccNo:&lt;/b&gt; 0000950170-24-{i:D6} &lt;b&gt;Size:&lt;/b&gt; 45 KB&lt;br&gt;Item 2.02: Results of Operations and Financial Condition&lt;br&gt;Item 9.01: Financial Statements and Exhibits</summary>
                <updated>2024-05-02T16:{i % 60:D2}:37-04:00</updated>
                <category scheme="https://www.sec.gov/" label="form type" term="8-K"/>
                <id>urn:tag:sec.gov,2008:accession-number=0000950170-24-{i:D6}</id></entry>
                """);
        xml.Append("</feed>");
        _page = Encoding.Latin1.GetBytes(xml.ToString());
        if (_source.Parse(_page, DateTime.UtcNow).Posts.Count(p => p.Symbols.Count == 1) != 75) throw new InvalidOperationException("setup: expected 75 resolved filers");
    }

    [Benchmark(OperationsPerInvoke = 100)]
    public int ParseEdgarPage() => _source.Parse(_page, DateTime.UtcNow).Posts.Count;
}

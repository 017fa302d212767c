using MarketPulse.Ingestion.Text;
using MarketPulse.Ingestion.Validation;

namespace MarketPulse.Ingestion.Tests.Text;

public sealed class BenzingaCsvReaderTests
{
    [SharedDataFact("news_benzinga")]
    public void Reads_every_headline_of_the_shared_file_and_reports_the_broken_rows()
    {
        var rejected = new List<BenzingaRowRejection>();
        var posts = BenzingaCsvReader.Read(SharedData.Path("news_benzinga", "analyst_ratings_processed.csv"), rejected.Add).ToList();
        // 9,999 lines hold 9,993 CSV records (quoted titles with line breaks); PROVENANCE.md's "2 rows with an empty date"
        // are two headlines cut in two by a stray line break: 4 records of 2 and 3 fields, each reported.
        Assert.Equal(9_993, posts.Count + rejected.Count);
        Assert.Equal(["csv: 2 fields, expected 4", "csv: 3 fields, expected 4", "csv: 2 fields, expected 4", "csv: 3 fields, expected 4"],
            rejected.Select(r => r.Reason));
        var quoted = posts.Single(p => p.Id == "4");
        Assert.Equal("B of A Securities Maintains Neutral on Agilent Technologies, Raises Price Target to $88", quoted.Text);
        Assert.Equal(new DateTime(2020, 5, 22, 15, 38, 0, DateTimeKind.Utc), quoted.Time); // 11:38 EDT
        Assert.Equal(["A"], quoted.Symbols);
        Assert.Equal(37, posts.Select(p => p.Symbols[0]).Distinct().Count());
    }

    [Fact]
    public void Bad_rows_are_reported_by_line_and_reason_and_a_foreign_file_is_refused()
    {
        var csv = ",title,date,stock\n1,Good headline,2020-06-05 10:30:00-04:00,A\n2,,2020-06-05 10:30:00-04:00,A\n3,No date,,A\n4,Bad ticker,2020-06-05 10:30:00-04:00,$$$\n5,\"unclosed,2020,A\n";
        var rejected = new List<BenzingaRowRejection>();
        var posts = BenzingaCsvReader.Read(new StringReader(csv), rejected.Add).ToList();
        Assert.Equal(["1"], posts.Select(p => p.Id));
        Assert.Equal([RejectReasons.Text, RejectReasons.Time, RejectReasons.Symbol], rejected.Take(3).Select(r => r.Reason));
        Assert.Equal([3L, 4L, 5L], rejected.Take(3).Select(r => r.Line));
        Assert.Equal(4, rejected.Count);
        Assert.Throws<InvalidDataException>(() => BenzingaCsvReader.Read(new StringReader("a,b,c\n1,2,3\n"), _ => { }).ToList());
    }
}

using MarketPulse.Core.Text;

namespace MarketPulse.Core.Tests.Text;

public sealed class TextPipelineTests
{
    private static readonly StockTable Sample = StockTable.Load(RepoPaths.Sample("stocknet", "StockTable"));

    private static TextPipeline New() => new(new CashtagExtractor(Sample));

    [Fact]
    public void Normalises_and_finds_tickers_from_cashtags_and_company_names()
    {
        var pipeline = New();
        var company = Sample.Listings[0];
        var v = pipeline.Process($"&quot;Strong quarter&quot; for {company.Company} https://t.co/x @trader $MSFT", "alice");
        Assert.Null(v.DropReason);
        Assert.Equal($"\"Strong quarter\" for {company.Company} URL AT_USER $MSFT", v.Text);
        Assert.Equal([company.Symbol, "MSFT"], v.Symbols);
    }

    [Fact]
    public void Given_symbols_win_over_what_the_text_names()
    {
        var v = New().Process("$AAPL is moving", null, ["GOOG"]);
        Assert.Equal(["GOOG"], v.Symbols);
    }

    [Fact]
    public void Retweets_are_collapsed()
    {
        var pipeline = New();
        Assert.Equal(TextDropReasons.Retweet, pipeline.Process("RT @someone: $AAPL to the moon", "bob").DropReason);
        Assert.Equal(TextDropReasons.Retweet, pipeline.Process("rt AT_USER $aapl to the moon", "bob").DropReason);
    }

    [Fact]
    public void Near_duplicates_differing_only_in_links_mentions_numbers_and_case_are_dropped_and_repeats_by_one_author_are_spam()
    {
        var pipeline = New();
        Assert.Null(pipeline.Process("Apple beats estimates, shares up 5% https://a.co/1", "alice").DropReason);
        Assert.Equal(TextDropReasons.NearDuplicate, pipeline.Process("APPLE beats estimates, shares up 7% https://b.co/2 @x", "bob").DropReason);
        Assert.Equal(TextDropReasons.RepeatedByAuthor, pipeline.Process("apple beats estimates shares up", "alice").DropReason);
        Assert.Null(pipeline.Process("Apple misses estimates, shares down", "alice").DropReason);
    }

    [Fact]
    public void The_duplicate_memory_is_bounded()
    {
        var pipeline = new TextPipeline(options: new TextPipelineOptions(RememberTexts: 2));
        Assert.Null(pipeline.Process("first text here", null).DropReason);
        Assert.Null(pipeline.Process("second text here", null).DropReason);
        Assert.Null(pipeline.Process("third text here", null).DropReason);
        Assert.Null(pipeline.Process("first text here", null).DropReason); // forgotten
        Assert.Equal(TextDropReasons.NearDuplicate, pipeline.Process("third text here", null).DropReason);
    }

    [Fact]
    public void Cashtag_stuffing_is_spam()
    {
        var v = New().Process("$AAPL $MSFT $GOOG $AMZN $FB $TSLA free signals join now", "bot");
        Assert.Equal(TextDropReasons.TooManyCashtags, v.DropReason);
        Assert.Null(New().Process("$AAPL $MSFT $GOOG $AMZN $FB all up today", "human").DropReason);
    }

    [Theory]
    [InlineData("Las acciones de la empresa suben por los resultados del trimestre")]
    [InlineData("Die Aktie ist nicht mehr so stark wie die Konkurrenz und das Management")]
    [InlineData("苹果公司股价今天大涨，投资者信心增强")]
    [InlineData("Акции компании выросли после отчета")]
    public void Non_english_text_is_dropped(string text) => Assert.Equal(TextDropReasons.Language, New().Process(text, null).DropReason);

    [Theory]
    [InlineData("$AAPL bullish!!")]
    [InlineData("Nokia says operating profit rose in the third quarter , the company said in a statement .")]
    [InlineData("la la land is a great movie")] // short: never dropped on function words alone
    public void English_and_short_texts_pass(string text) => Assert.Null(New().Process(text, null).DropReason);

    [Fact]
    public void Text_without_words_is_dropped_and_long_text_is_capped()
    {
        Assert.Equal(TextDropReasons.Empty, New().Process("https://t.co/abc @someone 123", null).DropReason);
        var v = new TextPipeline(options: new TextPipelineOptions(MaxLength: 50)).Process(string.Join(' ', Enumerable.Repeat("growth", 40)), null);
        Assert.Null(v.DropReason);
        Assert.True(v.Truncated);
        Assert.True(v.Text.Length <= 50);
    }
}

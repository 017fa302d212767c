using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Grains.Ensemble;
using MarketPulse.Ml.Price;

namespace MarketPulse.Grains.Tests;

/// <summary>The market context every ticker reads, and the posts a ticker's price model remembers: plain objects, no cluster.</summary>
public class MarketBoardTests
{
    private static readonly DateOnly D1 = new(2015, 8, 3), D2 = new(2015, 8, 4);

    private static List<DayBar> Bars(params double[] closes) =>
        [.. closes.Select((c, i) => new DayBar(D1.AddDays(i - closes.Length + 1), c, c * 1.01, c * 0.99, c, 1e6))];

    [Fact]
    public void A_day_averages_the_returns_of_the_tickers_that_reported_it_and_the_sector_its_own()
    {
        var board = new MarketBoard();
        board.Report("A", 1, MarketBoard.Returns(Bars(100, 110)));
        board.Report("B", 2, MarketBoard.Returns(Bars(100, 90)));
        var day = board.Market(D1, sector: 1)!.Value;
        Assert.Equal((Math.Log(1.1) + Math.Log(0.9)) / 2, day.MarketReturn1, 12);
        Assert.Equal(Math.Log(1.1), day.SectorReturn1, 12);
        Assert.Null(board.Market(D2, 1));
        Assert.NotNull(board.Variance(D1, 1));

        // What a ticker reads through the grain is the same context.
        var view = new MarketView(board.Context(1, D1, D2).ToDictionary(d => d.Day));
        Assert.Equal(day, view.Market(D1));
        Assert.Equal(board.Variance(D1, 1), view.Variance(D1));
        Assert.Null(view.Market(D2));
    }

    [Fact]
    public void A_report_again_replaces_the_tickers_entry_and_old_days_are_forgotten()
    {
        var board = new MarketBoard();
        board.Report("A", 1, MarketBoard.Returns(Bars(100, 110)));
        board.Report("A", 1, MarketBoard.Returns(Bars(100, 120)));
        Assert.Equal(Math.Log(1.2), board.Market(D1, 1)!.Value.MarketReturn1, 12);
        for (var i = 1; i <= 45; i++)
            board.Report("A", 1, [new MarketReturn(D1.AddDays(i), 0.01, null, -8)]);
        Assert.Null(board.Market(D1, 1));
        Assert.NotNull(board.Market(D1.AddDays(45), 1));
    }

    [Fact]
    public void A_context_read_before_a_day_changes_is_not_served_after_it()
    {
        var board = new MarketBoard();
        board.Report("A", 1, MarketBoard.Returns(Bars(100, 110)));
        var first = board.Context(1, D1, D1).Single();
        Assert.Equal(Math.Log(1.1), first.MarketReturn1!.Value, 12);

        // The same report again (a ticker repeats its last days at every close) leaves the day as it was.
        board.Report("A", 1, MarketBoard.Returns(Bars(100, 110)));
        Assert.Equal(first, board.Context(1, D1, D1).Single());

        // Another ticker closes the day, then the first one's bar is corrected: each read sees the day as it is then.
        board.Report("B", 2, MarketBoard.Returns(Bars(100, 90)));
        var second = board.Context(1, D1, D1).Single();
        Assert.Equal((Math.Log(1.1) + Math.Log(0.9)) / 2, second.MarketReturn1!.Value, 12);
        Assert.Equal(Math.Log(1.1), second.SectorReturn1, 12);
        Assert.Equal(Math.Log(0.9), board.Context(2, D1, D1).Single().SectorReturn1, 12);
        board.Report("A", 1, MarketBoard.Returns(Bars(100, 120)));
        var third = board.Context(1, D1, D1).Single();
        Assert.Equal((Math.Log(1.2) + Math.Log(0.9)) / 2, third.MarketReturn1!.Value, 12);
        Assert.Equal(board.Variance(D1, 1), third.Variance);
    }

    [Fact]
    public void The_post_memory_keeps_what_it_saw_within_the_look_back_once_and_returns_only_posts_before_the_call()
    {
        var memory = new PostMemory();
        var polarity = new MarketPulse.Grains.Sentiment.PostPolarity(MarketPulse.Core.Sentiment.LexiconSentimentScorer.LoadShipped(RepoPaths.Models));
        var t0 = new DateTime(2015, 8, 3, 12, 0, 0, DateTimeKind.Utc);
        ScoredPost Post(string id, DateTime time, string text) => new("stocktwits", id, time, text, null, 0, "neutral", 1, "lexicon");
        memory.Remember([Post("1", t0, "great quarter"), Post("2", t0.AddHours(1), "terrible guidance")], polarity, t0.AddDays(-10), before: null);
        // The sentiment grain has forgotten post 1 by the next call: the memory still has it, and post 2 only once.
        var texts = memory.Remember([Post("2", t0.AddHours(1), "terrible guidance"), Post("3", t0.AddHours(30), "later")], polarity,
            t0.AddDays(-10), before: t0.AddHours(2));
        Assert.Equal([t0, t0.AddHours(1)], texts.Select(t => t.TimeUtc));
        Assert.Equal(3, memory.Count);
        // Posts before the look-back's start are dropped.
        memory.Remember([], polarity, t0.AddHours(0.5), before: null);
        Assert.Equal(2, memory.Count);
    }
}

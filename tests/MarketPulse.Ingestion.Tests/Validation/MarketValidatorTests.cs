using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Ingestion.Validation;
using Microsoft.Extensions.Time.Testing;

namespace MarketPulse.Ingestion.Tests.Validation;

public class MarketValidatorTests
{
    private static readonly DateTime T = new(2024, 5, 1, 14, 30, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("aapl", "AAPL")]
    [InlineData(" $brk.b ", "BRK.B")]
    [InlineData("BTC-USD", "BTC-USD")]
    public void Normalises_well_formed_symbols(string raw, string expected) => Assert.Equal(expected, Symbols.Normalize(raw));

    [Theory]
    [InlineData("")]
    [InlineData("1ABC")]
    [InlineData("A B")]
    [InlineData("TOOLONGSYMBOL")]
    [InlineData("AAPL;DROP")]
    public void Refuses_malformed_symbols(string raw) => Assert.Null(Symbols.Normalize(raw));

    [Fact]
    public void Each_bad_field_gets_its_own_reason()
    {
        var v = new MarketValidator();
        Assert.Equal(RejectReasons.Price, v.Check(new MarketTick("AAPL", T, 0m, 1), out _));
        Assert.Equal(RejectReasons.Price, v.Check(new MarketTick("AAPL", T, -1m, 1), out _));
        Assert.Equal(RejectReasons.Size, v.Check(new MarketTick("AAPL", T, 1m, -1), out _));
        Assert.Equal(RejectReasons.BidAsk, v.Check(new MarketTick("AAPL", T, 1m, 1, Bid: 2m, Ask: 1m), out _));
        Assert.Equal(RejectReasons.Time, v.Check(new MarketTick("AAPL", DateTime.UtcNow.AddHours(1), 1m, 1), out _));
        Assert.Equal(RejectReasons.Symbol, v.Check(new MarketTick("??", T, 1m, 1), out _));
    }

    [Fact]
    public void A_tick_is_normalised_the_same_way_each_time_its_spelling_comes_again()
    {
        var v = new MarketValidator();
        var local = new DateTime(2024, 5, 1, 16, 30, 0, DateTimeKind.Local);
        for (var i = 1; i <= 3; i++)
        {
            Assert.Null(v.Check(new MarketTick(" $msft ", T.AddSeconds(i), 10m, 1), out var spelled));
            Assert.Equal("MSFT", spelled.Symbol);
            Assert.Equal(RejectReasons.Symbol, v.Check(new MarketTick("ms ft", T.AddSeconds(i), 10m, 1), out _));
        }
        Assert.Null(v.Check(new MarketTick("IBM", local, 10m, 1), out var converted));
        Assert.Equal(DateTimeKind.Utc, converted.Time.Kind);
        Assert.Equal(local.ToUniversalTime(), converted.Time);
        // A tick already normalised is passed on as it is.
        var plain = new MarketTick("IBM", local.ToUniversalTime().AddSeconds(1), 10m, 1);
        Assert.Null(v.Check(plain, out var same));
        Assert.Same(plain, same);
    }

    [Fact]
    public void A_feed_with_more_spellings_than_are_remembered_is_still_normalised()
    {
        var v = new MarketValidator();
        for (var i = 0; i < 100_010; i++)
            Assert.Null(v.Check(new MarketTick($"s{i:D6}".Replace('0', 'A'), T, 10m, 1), out _));
        Assert.Null(v.Check(new MarketTick("sAAAAAA", T.AddSeconds(1), 10m, 1), out var again));
        Assert.Equal("SAAAAAA", again.Symbol);
    }

    [Fact]
    public void Out_of_order_and_duplicate_ticks_are_rejected_per_symbol()
    {
        var v = new MarketValidator();
        Assert.Null(v.Check(new MarketTick("aapl", T, 10m, 1, Sequence: 1), out var first));
        Assert.Equal("AAPL", first.Symbol);
        Assert.Equal(RejectReasons.Duplicate, v.Check(new MarketTick("AAPL", T, 10m, 1, Sequence: 1), out _));
        Assert.Null(v.Check(new MarketTick("AAPL", T, 10m, 1, Sequence: 2), out _));
        Assert.Equal(RejectReasons.OutOfOrder, v.Check(new MarketTick("AAPL", T.AddSeconds(-1), 10m, 1), out _));
        // Another symbol has its own clock.
        Assert.Null(v.Check(new MarketTick("MSFT", T.AddSeconds(-1), 10m, 1), out _));
    }

    [Fact]
    public void A_late_print_within_the_tolerance_is_accepted_and_a_replayed_sequence_is_a_duplicate()
    {
        var v = new MarketValidator(new MarketValidationOptions { OutOfOrderToleranceMs = 500 });
        Assert.Null(v.Check(new MarketTick("SPY", T, 10m, 1, Sequence: 10), out _));
        Assert.Null(v.Check(new MarketTick("SPY", T.AddMilliseconds(-400), 10m, 1, Sequence: 11), out _));
        Assert.Equal(RejectReasons.OutOfOrder, v.Check(new MarketTick("SPY", T.AddMilliseconds(-600), 10m, 1, Sequence: 12), out _));
        Assert.Equal(RejectReasons.Duplicate, v.Check(new MarketTick("SPY", T.AddSeconds(1), 10m, 1, Sequence: 11), out _));
        Assert.Null(v.Check(new MarketTick("SPY", T.AddSeconds(1), 10m, 1, Sequence: 13), out _));
    }

    private static MarketTick Tick(int i, decimal price) => new("SPY", T.AddSeconds(i), price, 100);

    [Fact]
    public void The_spike_filter_rejects_an_outlier_against_the_recent_window_and_then_goes_on()
    {
        var v = new MarketValidator(new MarketValidationOptions { SpikeWindow = 20, SpikeStandardDeviations = 6, SpikeMinRelativeDeviation = 0.005 });
        var i = 0;
        // 20 prices around 100 (σ ≈ 0.029): the window fills.
        for (; i < 20; i++) Assert.Null(v.Check(Tick(i, 100m + (i % 5 - 2) * 0.02m), out _));
        Assert.Equal(RejectReasons.Spike, v.Check(Tick(i++, 101.00m), out _));   // 1 % away: past both 6σ and 0.5 %
        Assert.Null(v.Check(Tick(i++, 100.03m), out _));                           // back to normal: accepted
        Assert.Null(v.Check(Tick(i++, 100.40m), out _));                           // 0.4 %: under the relative floor
        Assert.Equal(RejectReasons.Spike, v.Check(Tick(i++, 98.00m), out _));
    }

    [Fact]
    public void Spikes_in_a_row_on_one_side_are_a_level_shift_and_the_window_restarts_from_it()
    {
        var v = new MarketValidator(new MarketValidationOptions { SpikeWindow = 10, SpikeConfirmations = 3 });
        var i = 0;
        for (; i < 10; i++) Assert.Null(v.Check(Tick(i, 50m), out _));
        Assert.Equal(RejectReasons.Spike, v.Check(Tick(i++, 55m), out _));
        Assert.Equal(RejectReasons.Spike, v.Check(Tick(i++, 55.1m), out _));
        Assert.Null(v.Check(Tick(i++, 55.05m), out _));                            // third in a row: confirmed
        for (var k = 0; k < 10; k++) Assert.Null(v.Check(Tick(i++, 55m), out _));  // the new level is normal now
        Assert.Equal(RejectReasons.Spike, v.Check(Tick(i++, 50m), out _));
    }

    [Fact]
    public void The_spike_filter_can_be_turned_off()
    {
        var v = new MarketValidator(new MarketValidationOptions { SpikeWindow = 0 });
        for (var i = 0; i < 30; i++) Assert.Null(v.Check(Tick(i, i % 2 == 0 ? 10m : 1000m), out _));
    }

    [Fact]
    public void Daily_bars_must_be_consistent_and_move_forward()
    {
        var v = new MarketValidator();
        var day = new DateOnly(2015, 1, 2);
        Assert.Equal(RejectReasons.Ohlc, v.Check(new DailyBar("AAPL", day, 10, 9, 8, 10, 100), out _));
        Assert.Null(v.Check(new DailyBar("AAPL", day, 10, 11, 9, 10, 100), out _));
        Assert.Equal(RejectReasons.Duplicate, v.Check(new DailyBar("AAPL", day, 10, 11, 9, 10, 100), out _));
        Assert.Equal(RejectReasons.OutOfOrder, v.Check(new DailyBar("AAPL", day.AddDays(-1), 10, 11, 9, 10, 100), out _));
    }

    [Fact]
    public void Ticks_and_posts_more_than_five_minutes_ahead_of_the_clock_are_rejected()
    {
        // The clock is the validator's TimeProvider, so the boundary is exact instead of "an hour ahead of the wall clock".
        var clock = new FakeTimeProvider(new DateTimeOffset(T));
        var market = new MarketValidator(clock: clock);
        Assert.Null(market.Check(new MarketTick("AAPL", T.AddMinutes(5), 1m, 1), out _));
        Assert.Equal(RejectReasons.Time, market.Check(new MarketTick("MSFT", T.AddMinutes(5).AddTicks(1), 1m, 1), out _));
        var text = new TextValidator(clock: clock);
        Assert.Null(text.Check(new TextPost("x", "1", T.AddMinutes(5), "$AAPL at the open", []), out _));
        Assert.Equal(RejectReasons.Time, text.Check(new TextPost("x", "2", T.AddMinutes(5).AddTicks(1), "$AAPL at the open", []), out _));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(text.Check(new TextPost("x", "2", T.AddMinutes(5).AddTicks(1), "$AAPL at the open", []), out _));
    }

    [Fact]
    public void Posts_get_tickers_from_cashtags_and_repeated_ids_are_dropped()
    {
        var v = new TextValidator();
        Assert.Null(v.Check(new TextPost("x", "1", T, "Long $aapl and $MSFT here", []), out var post));
        Assert.Equal(["AAPL", "MSFT"], post.Symbols);
        Assert.Equal(RejectReasons.DuplicatePost, v.Check(new TextPost("x", "1", T, "again", ["AAPL"]), out _));
        Assert.Equal(RejectReasons.NoSymbol, v.Check(new TextPost("x", "2", T, "no tickers here", []), out _));
        Assert.Equal(RejectReasons.Text, v.Check(new TextPost("x", "3", T, "  ", ["AAPL"]), out _));
        Assert.Equal(RejectReasons.Id, v.Check(new TextPost("x", "", T, "text", ["AAPL"]), out _));
    }
}

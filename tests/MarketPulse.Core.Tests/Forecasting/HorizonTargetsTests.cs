using MarketPulse.Core.Forecasting;
using MarketPulse.Core.Market;

namespace MarketPulse.Core.Tests.Forecasting;

public class HorizonTargetsTests
{
    private static readonly ExchangeCalendar Us = ExchangeCalendar.UsEquities;

    /// <summary>Bars on the given days, each with its own range so that every day's variance differs.</summary>
    private static List<DailyOhlcv> Bars(params string[] days) =>
        days.Select((d, i) => new DailyOhlcv(DateOnly.Parse(d), 100, 101 + i, 99 - 0.5 * i, 100.5, 1e6)).ToList();

    private static double Gk(DailyOhlcv b) => RealizedMeasures.GarmanKlass(b.Open, b.High, b.Low, b.Close);

    [Fact]
    public void The_five_day_target_is_the_mean_garman_klass_variance_of_the_target_day_and_the_four_sessions_after_it()
    {
        // 2015-07-03 is a holiday (Independence Day observed): the five sessions from 1 July run to 8 July.
        var bars = Bars("2015-06-30", "2015-07-01", "2015-07-02", "2015-07-06", "2015-07-07", "2015-07-08", "2015-07-09");
        var h = HorizonTargets.MeanVariance(bars, 1, HorizonTargets.FiveDays, Us);
        Assert.NotNull(h);
        Assert.Equal(new DateOnly(2015, 7, 1), h.Value.Start);
        Assert.Equal(new DateOnly(2015, 7, 8), h.Value.End);
        Assert.Equal(bars.Skip(1).Take(5).Average(Gk), h.Value.MeanVariance, 15);
        // The target day itself is in the window; the day before it is not.
        Assert.NotEqual(bars.Take(5).Average(Gk), h.Value.MeanVariance);
    }

    [Fact]
    public void There_is_no_five_day_target_where_the_sessions_are_not_all_in_the_data()
    {
        var bars = Bars("2015-06-29", "2015-06-30", "2015-07-01", "2015-07-02", "2015-07-06", "2015-07-07");
        Assert.NotNull(HorizonTargets.MeanVariance(bars, 1, 5, Us));  // 06-30 .. 07-07
        Assert.Null(HorizonTargets.MeanVariance(bars, 2, 5, Us));     // would need 07-08
        Assert.Null(HorizonTargets.MeanVariance(bars, -1, 5, Us));
        // A missing session (07-01) would stretch the window over six sessions: no target.
        var gap = Bars("2015-06-29", "2015-06-30", "2015-07-02", "2015-07-06", "2015-07-07", "2015-07-08");
        Assert.Null(HorizonTargets.MeanVariance(gap, 0, 5, Us));
        Assert.NotNull(HorizonTargets.MeanVariance(gap, 0, 5));         // without a calendar any five rows count
        // A broken bar (High < Low) leaves the window without a target; a flat day counts as zero variance.
        var broken = Bars("2015-06-29", "2015-06-30", "2015-07-01", "2015-07-02", "2015-07-06");
        broken[2] = broken[2] with { High = 90, Low = 95 };
        Assert.Null(HorizonTargets.MeanVariance(broken, 0, 5, Us));
        var flat = Bars("2015-06-29", "2015-06-30", "2015-07-01", "2015-07-02", "2015-07-06");
        flat[2] = flat[2] with { Open = 100, High = 100, Low = 100, Close = 100 };
        Assert.Equal((Gk(flat[0]) + Gk(flat[1]) + Gk(flat[3]) + Gk(flat[4])) / 5, HorizonTargets.MeanVariance(flat, 0, 5, Us)!.Value.MeanVariance, 15);
    }

    [Theory]
    [InlineData("2015-07-24", "2015-07-30", "2015-08-01", true)]   // ends Thursday before the month
    [InlineData("2015-07-27", "2015-07-31", "2015-08-01", true)]   // ends the last session before the cutoff
    [InlineData("2015-07-28", "2015-08-03", "2015-08-01", false)]  // starts before the cutoff, ends after it
    [InlineData("2015-07-27", "2015-07-31", "2015-07-31", false)]  // ends on the cutoff day: not closed at its 00:00 UTC
    public void A_five_day_target_is_known_only_once_its_last_session_closed_before_the_cutoff(string start, string end, string cutoff, bool known)
    {
        var h = new HorizonVariance(DateOnly.Parse(start), DateOnly.Parse(end), 1e-4);
        Assert.Equal(known, h.KnownBefore(DateOnly.Parse(cutoff)));
    }
}

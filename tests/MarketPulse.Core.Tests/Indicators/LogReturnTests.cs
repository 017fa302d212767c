using MarketPulse.Core.Indicators;

namespace MarketPulse.Core.Tests.Indicators;

public sealed class LogReturnTests
{
    public static TheoryData<string> Series() => RealSeries.All();

    [SharedDataTheory("stocknet", "lean")]
    [MemberData(nameof(Series))]
    public void LogReturn_matches_the_log_price_ratio(string series)
    {
        var x = RealSeries.Closes(series);
        foreach (var lag in new[] { 1, 5, 21 })
            SeriesAssert.Matches($"r({lag}) {series}", BatchReference.LogReturn(x, lag), Run.Over(new LogReturn(lag), x));
    }
}

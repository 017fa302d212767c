using MarketPulse.Core.Market;

namespace MarketPulse.Core.Forecasting;

/// <summary>
/// A multi-day horizon's realised target: the mean Garman–Klass variance of the sessions <see cref="Start"/> ..
/// <see cref="End"/> (the target day and the sessions after it).
/// </summary>
public readonly record struct HorizonVariance(DateOnly Start, DateOnly End, double MeanVariance)
{
    /// <summary>
    /// Whether the whole target is known at 00:00 UTC of <paramref name="cutoff"/>: its last session closed on a day
    /// before it (a US session closes by 21:00 UTC of its day). A fit made at that instant may train on this target
    /// only then; a target that starts before the cutoff but ends on or after it is not known yet.
    /// </summary>
    public bool KnownBefore(DateOnly cutoff) => End < cutoff;
}

/// <summary>The realised targets of the multi-day forecasts, defined once for training, evaluation and tests.</summary>
public static class HorizonTargets
{
    /// <summary>The five-trading-day horizon: the target day D and the four sessions after it.</summary>
    public const int FiveDays = 5;

    /// <summary>
    /// The mean Garman–Klass variance of bars[index] .. bars[index + days − 1]; null unless all those sessions are in
    /// the data and consecutive on <paramref name="calendar"/> (a missing row would stretch the window), and each bar
    /// is consistent (a High = Low day counts as 0, as it realised no range).
    /// </summary>
    /// <param name="bars">The symbol's daily bars in date order.</param>
    /// <param name="calendar">The symbol's exchange calendar; null: any consecutive rows.</param>
    public static HorizonVariance? MeanVariance(IReadOnlyList<DailyOhlcv> bars, int index, int days = FiveDays, ExchangeCalendar? calendar = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        if (index < 0 || index + days > bars.Count) return null;
        var sum = 0.0;
        for (var k = 0; k < days; k++)
        {
            var b = bars[index + k];
            if (k > 0 && calendar is not null && calendar.NextTradingDay(bars[index + k - 1].Date) != b.Date) return null;
            var gk = RealizedMeasures.GarmanKlass(b.Open, b.High, b.Low, b.Close);
            if (double.IsNaN(gk)) return null;
            sum += gk;
        }
        return new HorizonVariance(bars[index].Date, bars[index + days - 1].Date, sum / days);
    }
}

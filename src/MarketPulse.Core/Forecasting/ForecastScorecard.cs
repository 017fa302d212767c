namespace MarketPulse.Core.Forecasting;

/// <summary>How one day's forecasts fared: the losses of the model and of HAR, band hits; NaN where a part could not be scored.</summary>
public readonly record struct ForecastScore(double Qlike, double QlikeHar, bool InBand80, bool InBand95, double VolumeSquaredLogError,
    double VolumeSquaredLogErrorHar)
{
    /// <summary>False for a day without range (High = Low): its variance is zero and QLIKE undefined; such days are counted, not scored.</summary>
    public bool HasVariance => !double.IsNaN(Qlike);
    public bool HasVolume => !double.IsNaN(VolumeSquaredLogError);
}

/// <summary>
/// Running totals of the forecasts' scores: what the live grains keep per symbol and the evaluation sums over a period.
/// The same <see cref="Score"/> is used by both, so live and backtest numbers mean the same.
/// </summary>
public sealed class ForecastScorecard
{
    public long Scored { get; set; }
    public double QlikeSum { get; set; }
    public double QlikeHarSum { get; set; }
    public long Hits80 { get; set; }
    public long Hits95 { get; set; }
    public long VolumeScored { get; set; }
    public double VolumeSquaredErrorSum { get; set; }
    public double VolumeSquaredErrorHarSum { get; set; }
    public long SkippedNoRange { get; set; }

    /// <summary>
    /// Scores a forecast against its realised day: QLIKE of the model's and HAR's variance on the day's Garman–Klass
    /// variance, whether the close-to-close log return fell in each band, and the squared error of the ln volume forecasts.
    /// </summary>
    public static ForecastScore Score(NextDayForecast forecast, DailyOhlcv day, double previousClose)
    {
        var variance = RealizedMeasures.GarmanKlass(day.Open, day.High, day.Low, day.Close);
        var r = RealizedMeasures.LogReturn(previousClose, day.Close);
        var scorable = variance > 0 && forecast.Variance > 0 && forecast.HarVariance > 0;
        var logVolume = day.Volume > 0 ? Math.Log(day.Volume) : double.NaN;
        return new ForecastScore(
            scorable ? RealizedMeasures.Qlike(variance, forecast.Variance) : double.NaN,
            scorable ? RealizedMeasures.Qlike(variance, forecast.HarVariance) : double.NaN,
            !double.IsNaN(r) && forecast.Band80.Contains(r),
            !double.IsNaN(r) && forecast.Band95.Contains(r),
            Square(logVolume - forecast.LogVolume),
            Square(logVolume - forecast.HarLogVolume));
    }

    public void Add(ForecastScore score)
    {
        if (score.HasVariance)
        {
            Scored++;
            QlikeSum += score.Qlike;
            QlikeHarSum += score.QlikeHar;
            if (score.InBand80) Hits80++;
            if (score.InBand95) Hits95++;
        }
        else SkippedNoRange++;
        if (score.HasVolume)
        {
            VolumeScored++;
            VolumeSquaredErrorSum += score.VolumeSquaredLogError;
            VolumeSquaredErrorHarSum += score.VolumeSquaredLogErrorHar;
        }
    }

    public double MeanQlike => Scored == 0 ? double.NaN : QlikeSum / Scored;
    public double MeanQlikeHar => Scored == 0 ? double.NaN : QlikeHarSum / Scored;
    /// <summary>1 − QLIKE(model) / QLIKE(HAR): above 0 when the model's variance forecasts were better.</summary>
    public double QlikeGainVsHar => Scored == 0 || QlikeHarSum <= 0 ? double.NaN : 1 - QlikeSum / QlikeHarSum;
    public double Band80Coverage => Scored == 0 ? double.NaN : Hits80 / (double)Scored;
    public double Band95Coverage => Scored == 0 ? double.NaN : Hits95 / (double)Scored;
    public double VolumeMse => VolumeScored == 0 ? double.NaN : VolumeSquaredErrorSum / VolumeScored;
    public double VolumeMseHar => VolumeScored == 0 ? double.NaN : VolumeSquaredErrorHarSum / VolumeScored;
    public double VolumeGainVsHar => VolumeScored == 0 || VolumeSquaredErrorHarSum <= 0 ? double.NaN : 1 - VolumeSquaredErrorSum / VolumeSquaredErrorHarSum;

    private static double Square(double x) => double.IsNaN(x) ? double.NaN : x * x;
}

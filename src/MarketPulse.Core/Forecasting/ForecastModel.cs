namespace MarketPulse.Core.Forecasting;

/// <summary>A return interval [Low, High] (close-to-close log return of the target day).</summary>
public readonly record struct ReturnBand(double Low, double High)
{
    public bool Contains(double value) => value >= Low && value <= High;
}

/// <summary>Quantiles of the standardised return r / √h on the training data, from which the bands are drawn.</summary>
public sealed record BandQuantiles(double P025, double P10, double P90, double P975);

/// <summary>The next trading day's forecasts for one symbol, with the pooled HAR forecasts they are scored against live.</summary>
public readonly record struct NextDayForecast(
    double Variance,
    double VarianceWithoutText,
    double HarVariance,
    ReturnBand Band80,
    ReturnBand Band95,
    double LogVolume,
    double HarLogVolume)
{
    /// <summary>The forecast daily volatility (√variance), as a fraction.</summary>
    public double Volatility => Math.Sqrt(Variance);
}

/// <summary>
/// The shipped volatility, expected-move and volume model: ridge HAR-X regressions of ln Garman–Klass variance and
/// ln volume on <see cref="ForecastFeatures"/>, the standardised-return quantiles of the bands, a twin of the variance model
/// without the text inputs (to state what the text adds), and the pooled HAR regressions (one intercept for all tickers)
/// that the live scorecards compare against.
/// </summary>
public sealed record ForecastModel(
    string Version,
    LinearLogModel Volatility,
    LinearLogModel VolatilityWithoutText,
    BandQuantiles Bands,
    LinearLogModel Volume,
    LinearLogModel Har,
    LinearLogModel HarVolume,
    string TrainedFrom,
    string TrainedTo,
    int TrainingRows)
{
    /// <summary>
    /// The five-trading-day variance model: the same inputs and learner as <see cref="Volatility"/>, fitted on the mean
    /// Garman–Klass variance of the target day and the four sessions after it (<see cref="HorizonTargets"/>). Null in
    /// model files trained before it (they still load).
    /// </summary>
    public LinearLogModel? Volatility5d { get; init; }

    /// <summary>The forecast of the mean daily variance over the next five sessions; NaN without a five-day model.</summary>
    public double FiveDayVariance(ReadOnlySpan<double> features, string? symbol = null) =>
        Volatility5d?.PredictLevel(features, symbol) ?? double.NaN;

    /// <summary>The forecasts from all <see cref="ForecastFeatures"/>; fills the variance-forecast slot of <paramref name="features"/>.</summary>
    public NextDayForecast Forecast(Span<double> features, string? symbol = null)
    {
        var logVar = Volatility.PredictLog(features, symbol);
        features[ForecastFeatures.VarianceForecastIndex] = logVar;
        var variance = Math.Exp(logVar) * Volatility.Smearing;
        var sd = Math.Sqrt(variance);
        return new NextDayForecast(
            variance,
            VolatilityWithoutText.PredictLevel(features, symbol),
            Har.PredictLevel(features, symbol),
            new ReturnBand(Bands.P10 * sd, Bands.P90 * sd),
            new ReturnBand(Bands.P025 * sd, Bands.P975 * sd),
            Volume.PredictLog(features, symbol),
            HarVolume.PredictLog(features, symbol));
    }
}

/// <summary>RiskMetrics' EWMA variance forecast, the practitioners' baseline: σ²ₜ₊₁ = λσ²ₜ + (1 − λ) rₜ².</summary>
public static class EwmaVariance
{
    public const double RiskMetricsLambda = 0.94;

    /// <summary>Days walked before the target (λ^250 ≈ 2·10⁻⁷: older days cannot matter).</summary>
    public const int LookBack = 250;

    /// <summary>
    /// The forecast for <paramref name="target"/> from the close-to-close log returns of the bars before it, started at
    /// the mean of the first 22 squared returns; NaN with fewer than 23 bars.
    /// </summary>
    public static double Forecast(IReadOnlyList<DailyOhlcv> bars, DateOnly target, double lambda = RiskMetricsLambda)
    {
        var end = ForecastFeatures.UpperBound(bars, target);
        var start = Math.Max(1, end - LookBack);
        if (end - start < 22) return double.NaN;
        var init = 0.0;
        for (var i = start; i < start + 22; i++) init += Square(RealizedMeasures.LogReturn(bars[i - 1].Close, bars[i].Close));
        var s = init / 22;
        for (var i = start; i < end; i++) s = lambda * s + (1 - lambda) * Square(RealizedMeasures.LogReturn(bars[i - 1].Close, bars[i].Close));
        return s;
    }

    /// <summary>The trailing-mean baseline: the mean Garman–Klass variance of the last 22 days before the target.</summary>
    public static double TrailingMean(IReadOnlyList<DailyOhlcv> bars, DateOnly target, int days = 22)
    {
        var end = ForecastFeatures.UpperBound(bars, target);
        if (end < days) return double.NaN;
        var s = 0.0;
        for (var i = end - days; i < end; i++)
        {
            var gk = RealizedMeasures.GarmanKlass(bars[i].Open, bars[i].High, bars[i].Low, bars[i].Close);
            s += double.IsNaN(gk) ? 0 : gk;
        }
        return Math.Max(s / days, RealizedMeasures.VarianceFloor);
    }

    private static double Square(double r) => double.IsNaN(r) ? 0 : r * r;
}

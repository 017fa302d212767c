namespace MarketPulse.Core.Forecasting;

/// <summary>
/// The realised measures the forecasts are about and the losses they are scored with. One definition, used by the live
/// grains, the backtest and training alike.
/// </summary>
public static class RealizedMeasures
{
    /// <summary>2 ln 2 − 1, the close–open weight of the Garman–Klass estimator.</summary>
    private static readonly double CloseOpenWeight = 2 * Math.Log(2) - 1;

    /// <summary>
    /// Floor of a variance before its logarithm is taken (a tenth of a percent daily volatility, squared): a day with
    /// High = Low has no variance to speak of, and its log would be −∞.
    /// </summary>
    public const double VarianceFloor = 1e-6;

    /// <summary>
    /// Garman–Klass (1980) variance of one day from its open, high, low and close (split/dividend-adjusted):
    /// ½ ln(H/L)² − (2 ln 2 − 1) ln(C/O)². Never negative for a consistent bar (O and C inside [L, H]); NaN for a bar
    /// with a non-positive price or High &lt; Low, 0 when High = Low.
    /// </summary>
    public static double GarmanKlass(double open, double high, double low, double close)
    {
        if (!(open > 0 && high > 0 && low > 0 && close > 0) || high < low) return double.NaN;
        var hl = Math.Log(high / low);
        var co = Math.Log(close / open);
        return Math.Max(0, 0.5 * hl * hl - CloseOpenWeight * co * co);
    }

    /// <summary>Close-to-close log return; NaN unless both closes are positive.</summary>
    public static double LogReturn(double previousClose, double close) =>
        previousClose > 0 && close > 0 ? Math.Log(close / previousClose) : double.NaN;

    /// <summary>ln of a variance, floored at <see cref="VarianceFloor"/>.</summary>
    public static double LogVariance(double variance) => Math.Log(Math.Max(variance, VarianceFloor));

    /// <summary>
    /// QLIKE(σ², h) = σ²/h − ln(σ²/h) − 1: zero when the forecast h equals the realised σ², robust to noise in the
    /// realised proxy (Patton 2011), and heavier on under- than on over-prediction. Needs σ² &gt; 0 and h &gt; 0.
    /// </summary>
    public static double Qlike(double realized, double forecast)
    {
        var ratio = realized / forecast;
        return ratio - Math.Log(ratio) - 1;
    }

    /// <summary>(ln σ² − ln h)²: the squared error of the log forecast.</summary>
    public static double SquaredLogError(double realized, double forecast)
    {
        var d = Math.Log(realized) - Math.Log(forecast);
        return d * d;
    }
}

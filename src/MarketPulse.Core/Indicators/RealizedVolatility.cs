namespace MarketPulse.Core.Indicators;

/// <summary>
/// Sample standard deviation of the last <c>period</c> log returns of the input series (not annualised).
/// Needs <c>period + 1</c> prices.
/// </summary>
/// <remarks>
/// The window statistics come from <see cref="RollingMoments"/>: running Σr and Σr² cancel catastrophically
/// when returns are nearly equal, and gave 1.7e-9 instead of 0 on a window of unchanged prices.
/// </remarks>
public sealed class RealizedVolatility : IIndicator
{
    private readonly LogReturn _return = new(1);
    private readonly RollingMoments _moments;

    public RealizedVolatility(int period = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2);
        _moments = new RollingMoments(period);
    }

    public int WarmUpPeriod => _moments.Period + 1;
    public long Samples { get; private set; }
    public bool IsReady => _moments.IsFull;
    public double Current => IsReady ? Math.Sqrt(_moments.SampleVariance) : double.NaN;

    public bool Update(double value)
    {
        if (!double.IsFinite(value)) return IsReady;
        Samples++;
        if (!_return.Update(value)) return false;
        _moments.Add(_return.Current);
        return IsReady;
    }

    public void Reset()
    {
        _return.Reset();
        _moments.Reset();
        Samples = 0;
    }
}

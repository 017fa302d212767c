using MarketPulse.Core.Indicators;

namespace MarketPulse.Core.Tests.Indicators;

/// <summary>Feeds a close-price indicator from bars, so the contract tests treat every indicator alike.</summary>
public sealed class ScalarAsBar(IIndicator inner) : IBarIndicator
{
    public bool Update(double high, double low, double close, double volume) => inner.Update(close);
    public double Current => inner.Current;
    public bool IsReady => inner.IsReady;
    public int WarmUpPeriod => inner.WarmUpPeriod;
    public long Samples => inner.Samples;
    public void Reset() => inner.Reset();
}

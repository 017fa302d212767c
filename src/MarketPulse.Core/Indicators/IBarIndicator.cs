namespace MarketPulse.Core.Indicators;

/// <summary>
/// The contract of indicators that need a bar rather than one price (range-, extreme- or volume-based ones).
/// Same semantics as <see cref="IIndicator"/>, including its missing-data policy: a bar with any non-finite
/// field is a gap and is ignored.
/// </summary>
public interface IBarIndicator
{
    /// <summary>Adds one bar and returns whether the indicator now has a defined value.</summary>
    bool Update(double high, double low, double close, double volume);

    /// <summary>The latest value; <see cref="double.NaN"/> while warming up.</summary>
    double Current { get; }

    bool IsReady { get; }

    /// <summary>Bars needed before <see cref="Current"/> is defined.</summary>
    int WarmUpPeriod { get; }

    /// <summary>Number of bars seen (gaps excluded).</summary>
    long Samples { get; }

    void Reset();
}

namespace MarketPulse.Core.Indicators;

/// <summary>
/// The shared contract of every incremental indicator: O(1) time and memory per update,
/// and no value until <see cref="WarmUpPeriod"/> inputs have been seen.
/// </summary>
public interface IIndicator
{
    /// <summary>Adds one input and returns whether the indicator now has a defined value.</summary>
    bool Update(double value);

    /// <summary>The latest value; <see cref="double.NaN"/> while warming up.</summary>
    double Current { get; }

    bool IsReady { get; }

    /// <summary>Inputs needed before <see cref="Current"/> is defined.</summary>
    int WarmUpPeriod { get; }

    /// <summary>Number of inputs seen.</summary>
    long Samples { get; }

    void Reset();
}

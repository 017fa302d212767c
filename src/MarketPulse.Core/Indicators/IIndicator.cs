namespace MarketPulse.Core.Indicators;

/// <summary>
/// The shared contract of every incremental indicator: O(1) time and memory per update,
/// and no value until <see cref="WarmUpPeriod"/> inputs have been seen.
/// </summary>
/// <remarks>
/// Missing-data policy, shared by every indicator: a non-finite input (NaN, ±∞) is a gap, not an observation.
/// It is ignored — the state, <see cref="Samples"/> and <see cref="Current"/> stay as they were and
/// <see cref="Update"/> returns <see cref="IsReady"/> — because one NaN folded into a running sum or an
/// exponential average would poison every later value. Indicators count samples, not clock time: a gap
/// (a missing bar, a halted session) is not filled in; callers that want calendar-aware behaviour
/// aggregate bars first.
/// </remarks>
public interface IIndicator
{
    /// <summary>Adds one input and returns whether the indicator now has a defined value.</summary>
    bool Update(double value);

    /// <summary>The latest value; <see cref="double.NaN"/> while warming up.</summary>
    double Current { get; }

    bool IsReady { get; }

    /// <summary>Inputs needed before <see cref="Current"/> is defined.</summary>
    int WarmUpPeriod { get; }

    /// <summary>Number of inputs seen (gaps excluded).</summary>
    long Samples { get; }

    void Reset();
}

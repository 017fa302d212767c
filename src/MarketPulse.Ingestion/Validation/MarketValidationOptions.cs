using MarketPulse.Core.Configuration;

namespace MarketPulse.Ingestion.Validation;

/// <summary>Settings under <c>MarketPulse:Validation</c>: how strict the market source grains are.</summary>
public sealed class MarketValidationOptions
{
    public const string Section = "MarketPulse:Validation";

    /// <summary>A tick up to this much older than the last accepted one of its symbol is still accepted (late prints).</summary>
    [NonNegative] public double OutOfOrderToleranceMs { get; set; }

    /// <summary>Ticks further than this in the future (wall clock) are refused as a bad clock.</summary>
    [Positive] public double MaxFutureSkewMinutes { get; set; } = 5;

    /// <summary>Number of recent accepted prices per symbol the spike filter compares a tick with; 0 turns the filter off.</summary>
    [NonNegative] public int SpikeWindow { get; set; } = 100;

    /// <summary>A tick further than this many standard deviations from the recent mean is a spike…</summary>
    [Positive] public double SpikeStandardDeviations { get; set; } = 8;

    /// <summary>…and further than this fraction of the mean, so that a flat window (σ ≈ 0) does not flag every tick.</summary>
    [NonNegative] public double SpikeMinRelativeDeviation { get; set; } = 0.005;

    /// <summary>
    /// This many spikes in a row, all on the same side, are taken as a real level shift (a gap after a halt or news):
    /// the last one is accepted and the window restarts from it.
    /// </summary>
    [Positive] public int SpikeConfirmations { get; set; } = 3;
}

namespace MarketPulse.Grains.Hosting;

/// <summary>Settings under <c>MarketPulse:Persistence</c>.</summary>
public sealed class PersistenceOptions
{
    public const string Section = "MarketPulse:Persistence";

    /// <summary>
    /// Write a ticker's state after every applied stream batch, before the batch is acknowledged to the stream
    /// provider, so a silo's death loses no acknowledged tick (the Cluster profile turns this on). Off, state is
    /// written at most every 5 s — enough for the in-memory Local profile, where nothing survives a crash anyway.
    /// </summary>
    public bool WriteThrough { get; set; }
}

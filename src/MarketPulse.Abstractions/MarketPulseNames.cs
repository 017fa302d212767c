namespace MarketPulse.Abstractions;

/// <summary>Provider, stream-namespace and storage names shared by grains, silo host and clients.</summary>
public static class MarketPulseNames
{
    /// <summary>The stream provider carrying market and text batches.</summary>
    public const string StreamProvider = "marketpulse";

    /// <summary>Market batches, one stream per ticker symbol.</summary>
    public const string TicksNamespace = "ticks";

    /// <summary>Scored-text batches, one stream per ticker symbol.</summary>
    public const string TextsNamespace = "texts";

    /// <summary>Grain state of tickers, sentiment and ensembles.</summary>
    public const string GrainStorage = "marketpulse";

    /// <summary>Orleans' pub-sub store name (needed by explicit subscriptions and some providers).</summary>
    public const string PubSubStorage = "PubSubStore";
}

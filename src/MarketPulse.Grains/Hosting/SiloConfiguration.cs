using MarketPulse.Abstractions;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Streams;

namespace MarketPulse.Grains.Hosting;

public static class SiloConfiguration
{
    /// <summary>
    /// The Local profile's providers: in-memory grain storage and memory streams with implicit subscriptions only.
    /// Shared by the service host, the CLI's in-process cluster and the grain tests, so all three run the same wiring.
    /// </summary>
    public static ISiloBuilder AddMarketPulseMemoryProviders(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(MarketPulseNames.GrainStorage);
        silo.AddMemoryGrainStorage(MarketPulseNames.PubSubStorage);
        silo.AddMemoryStreams(MarketPulseNames.StreamProvider, streams =>
        {
            streams.ConfigurePartitioning(8);
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        });
        return silo;
    }
}

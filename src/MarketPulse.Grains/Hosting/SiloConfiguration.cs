using MarketPulse.Abstractions;
using Microsoft.Extensions.DependencyInjection;
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
    public static readonly TimeSpan PullPeriod = TimeSpan.FromMilliseconds(20);

    public static ISiloBuilder AddMarketPulseMemoryProviders(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(MarketPulseNames.GrainStorage);
        silo.AddMemoryGrainStorage(MarketPulseNames.PubSubStorage);
        silo.Services.AddSingleton(GrainStateDurability.Volatile);
        silo.AddMemoryStreams(MarketPulseNames.StreamProvider, streams =>
        {
            streams.ConfigurePartitioning(8);
            // Orleans' pulling agents wait 100 ms after finding a queue empty; at 20 ms a tick reaches its ticker in a
            // few tens of ms when the pipeline is not saturated (docs/performance.md, "pipeline"), for 8 × 50 idle
            // polls per second of a local queue grain.
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = PullPeriod));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        });
        return silo;
    }
}

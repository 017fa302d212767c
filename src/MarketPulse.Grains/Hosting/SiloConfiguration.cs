using MarketPulse.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.Storage;
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
        // The memory provider's default serializer is Newtonsoft JSON, whose cost on every write of a large state (a
        // ticker's bars, a forecast history) showed as the pipeline's largest CPU consumer under a fast replay; state
        // that lives only in this process needs no readable format, so it takes Orleans' binary serializer.
        silo.AddMemoryGrainStorage(MarketPulseNames.GrainStorage, BinaryState);
        silo.AddMemoryGrainStorage(MarketPulseNames.PubSubStorage, BinaryState);
        silo.Services.AddSingleton(GrainStateDurability.Volatile);
        return silo.AddMarketPulseMemoryStreams();
    }

    /// <summary>Memory streams alone: the Local profile with its durable embedded store keeps these.</summary>
    public static ISiloBuilder AddMarketPulseMemoryStreams(this ISiloBuilder silo)
    {
        silo.AddMemoryStreams(MarketPulseNames.StreamProvider, streams =>
        {
            streams.ConfigurePartitioning(8);
            // Orleans' pulling agents wait 100 ms after finding a queue empty; at 20 ms a tick reaches its ticker in a
            // few tens of ms when the pipeline is not saturated (docs/performance.md, "pipeline"), for 8 × 50 idle
            // polls per second of a local queue grain.
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = PullPeriod));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            // The pulling agents' caches keep every batch until it is DataMinTimeInCache old and DataMaxAgeInCache older
            // than the newest (Orleans' defaults: 5 and 30 minutes), for rewinds this pipeline never asks for: ~63 bytes
            // per tick, so 30 minutes of a fast replay is gigabytes (docs/performance.md, "Memory"). A batch is needed
            // only until its ticker has taken it; a consumer more than MemoryStreamCacheAge behind the newest batch loses
            // the older ones (the pulling agent logs a cache miss), so the age is four times a grain call's 30 s timeout:
            // a ticker held up by a timed-out call still finds its batches.
            streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = MemoryStreamCacheAge;
                o.DataMaxAgeInCache = MemoryStreamCacheAge;
            }));
        });
        return silo;
    }

    /// <summary>How long the memory streams' caches keep a batch once it is older than the newest by as much.</summary>
    public static readonly TimeSpan MemoryStreamCacheAge = TimeSpan.FromMinutes(2);

    private static void BinaryState(OptionsBuilder<MemoryGrainStorageOptions> options) =>
        options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
}

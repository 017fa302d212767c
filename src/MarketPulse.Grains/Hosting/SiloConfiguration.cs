using MarketPulse.Abstractions;
using MarketPulse.Grains.Streaming;
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
    /// The Local profile's providers: in-memory grain storage and the local streams with implicit subscriptions only.
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
        return silo.AddMarketPulseLocalStreams();
    }

    /// <summary>
    /// The Local profile's streams alone (the Local profile with its durable embedded store keeps these): Orleans'
    /// persistent streams over <see cref="LocalStreamAdapter"/>'s queue grains, which pass the published batches by
    /// reference, with implicit subscriptions only.
    /// </summary>
    public static ISiloBuilder AddMarketPulseLocalStreams(this ISiloBuilder silo)
    {
        silo.AddPersistentStreams(MarketPulseNames.StreamProvider, LocalStreamAdapter.Create, streams =>
        {
            streams.Configure<HashRingStreamQueueMapperOptions>(o => o.Configure(q => q.TotalQueueCount = 8));
            // Orleans' pulling agents wait 100 ms after finding a queue empty; at 20 ms a tick reaches its ticker in a
            // few tens of ms when the pipeline is not saturated (docs/performance.md, "pipeline"), for 8 × 50 idle
            // polls per second of a local queue grain.
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = PullPeriod));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            // The pulling agent's cache holds a batch until every consumer of its queue has taken it, at most
            // CacheBatches per queue: when a slow consumer holds the oldest part, the agent stops reading its queue, the
            // queue fills (LocalQueueGrain.Capacity) and ingest answers "retry" — back-pressure instead of memory.
            streams.Configure<SimpleQueueCacheOptions>(o => o.Configure(c => c.CacheSize = CacheBatches));
        });
        return silo;
    }

    /// <summary>Batches a pulling agent's cache holds per queue (Orleans' default for its simple cache).</summary>
    public const int CacheBatches = SimpleQueueCacheOptions.DEFAULT_CACHE_SIZE;

    private static void BinaryState(OptionsBuilder<MemoryGrainStorageOptions> options) =>
        options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
}

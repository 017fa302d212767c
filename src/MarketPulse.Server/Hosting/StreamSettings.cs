using MarketPulse.Core.Configuration;

namespace MarketPulse.Server.Hosting;

/// <summary>The Cluster profile's durable stream provider.</summary>
public enum StreamsProvider
{
    /// <summary>Azure Queue storage (Azurite on one machine, a Storage account in Azure): the default.</summary>
    AzureQueue,

    /// <summary>Azure Event Hubs: Azure's partitioned log, for feeds beyond a few thousand batches per second.</summary>
    EventHubs,
}

/// <summary>Cluster profile stream provider settings (<c>MarketPulse:Streams</c>).</summary>
public sealed class StreamSettings
{
    /// <summary>Which durable provider carries the market and text batches; every silo must agree.</summary>
    public StreamsProvider Provider { get; set; } = StreamsProvider.AzureQueue;

    /// <summary>Event Hubs settings, used with <see cref="Provider"/> = <see cref="StreamsProvider.EventHubs"/>.</summary>
    public EventHubsStreamSettings EventHubs { get; set; } = new();

    /// <summary>Azure Queue streams: queues (partitions) of the stream provider; every silo must agree.</summary>
    [Positive] public int Queues { get; set; } = 8;

    /// <summary>How often each pulling agent reads its queue.</summary>
    [Positive] public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>After this, a message read but not deleted (its silo died) is delivered again.</summary>
    [Positive] public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Event Hubs streams (<c>MarketPulse:Streams:EventHubs</c>). The namespace comes from <c>ConnectionStrings:eventhubs</c>;
/// the partitions are the hub's own (set where the hub is created, <c>eventHubPartitions</c> in the Bicep): silos read
/// them from the service and share them out among themselves.
/// </summary>
public sealed class EventHubsStreamSettings
{
    /// <summary>The event hub (entity) within the namespace.</summary>
    [NotBlank] public string Hub { get; set; } = "marketpulse";

    /// <summary>The consumer group the silos read with; one per deployment reading the same hub.</summary>
    [NotBlank] public string ConsumerGroup { get; set; } = "$Default";

    /// <summary>
    /// With no checkpoint yet for a partition: true starts at the newest event, false (the default) at the oldest one
    /// retained, so that batches acknowledged before a silo first read the partition are not skipped.
    /// </summary>
    public bool StartFromNow { get; set; }

    /// <summary>Events each partition receiver prefetches; null keeps the Event Hubs client's default.</summary>
    [Positive] public int? PrefetchCount { get; set; }

    /// <summary>
    /// How often a partition's read position is checkpointed (in the grain storage). After a silo dies, its partitions
    /// are read again from the last checkpoint: at most this much of the feed is delivered twice (tickers drop batches
    /// they have already applied, by batch id).
    /// </summary>
    [Positive] public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);
}

using System.Collections.Concurrent;
using System.Globalization;
using Azure.Messaging.EventHubs;
using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Market;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting.Developer;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streaming.EventHubs;
using Orleans.Streaming.EventHubs.Testing;
using Orleans.Streams;
using Orleans.TestingHost;

namespace MarketPulse.Grains.Tests;

/// <summary>Market batches as Event Hubs events: what the Cluster profile sends with <c>MarketPulse:Streams:Provider=EventHubs</c>.</summary>
public static class EventHubsBatches
{
    public static MarketBatch Batch(string symbol, int index, int ticks = 5)
    {
        var start = new DateTime(2024, 3, 4, 15, 0, 0, DateTimeKind.Utc).AddMinutes(index * ticks);
        var list = Enumerable.Range(0, ticks)
            .Select(i => new MarketTick(symbol, start.AddMinutes(i), 100m + index * ticks + i, 10, Sequence: index * ticks + i))
            .ToList();
        return new MarketBatch(symbol, list, [], DateTime.UtcNow, null, Guid.NewGuid());
    }

    /// <summary>
    /// The event as the service brings it back from the hub: the body and properties the data adapter wrote, with the
    /// broker's own fields (partition key, offset, sequence number, enqueued time) set as Event Hubs sets them.
    /// </summary>
    public static EventData AsReceived(EventData sent, string partitionKey, long sequenceNumber) =>
        EventHubsModelFactory.EventData(
            eventBody: sent.EventBody,
            properties: sent.Properties,
            partitionKey: partitionKey,
            sequenceNumber: sequenceNumber,
            offsetString: (sequenceNumber * 1000).ToString(CultureInfo.InvariantCulture),
            enqueuedTime: DateTimeOffset.UtcNow);
}

/// <summary>Our batches through Orleans' Event Hubs data adapter, to an event and back, as the provider does.</summary>
public class EventHubsDataAdapterTests
{
    private static Serializer NewSerializer() =>
        new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(MarketBatch).Assembly)).BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void Batches_survive_the_round_trip_through_the_event_hubs_data_adapter_with_ids_and_order()
    {
        var adapter = new EventHubDataAdapter(NewSerializer());
        var stream = StreamId.Create(MarketPulseNames.TicksNamespace, "MSFT");
        var sent = Enumerable.Range(0, 4).Select(i => EventHubsBatches.Batch("MSFT", i)).ToList();

        // The producer side: one event per published batch, partitioned by the stream's key (the symbol).
        var partitionKey = adapter.GetPartitionKey(stream);
        Assert.Equal("MSFT", partitionKey);
        var received = sent.Select((b, i) => EventHubsBatches.AsReceived(adapter.ToQueueMessage(stream, [b], null, null), partitionKey, 100 + i)).ToList();

        // The consumer side: stream identity from the event, into the cache's segment, out as a batch container.
        var back = new List<(MarketBatch Batch, StreamSequenceToken Token)>();
        foreach (var e in received)
        {
            var position = adapter.GetStreamPosition("0", e);
            Assert.Equal(stream, position.StreamId);
            var cached = adapter.FromQueueMessage(position, e, DateTime.UtcNow, size => new ArraySegment<byte>(new byte[size]));
            Assert.Equal(e.OffsetString, adapter.GetOffset(cached));
            var container = adapter.GetBatchContainer(ref cached);
            Assert.Equal(stream, container.StreamId);
            back.AddRange(container.GetEvents<MarketBatch>().Select(t => (t.Item1, t.Item2)));
        }

        Assert.Equal(sent.Count, back.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i].BatchId, back[i].Batch.BatchId);
            Assert.Equal(sent[i].Symbol, back[i].Batch.Symbol);
            Assert.Equal(sent[i].IngestedAtUtc, back[i].Batch.IngestedAtUtc);
            Assert.Equal(sent[i].Ticks, back[i].Batch.Ticks); // records: every tick's time, price, size and sequence
            if (i > 0) Assert.True(back[i].Token.Newer(back[i - 1].Token), "sequence tokens follow the partition's order");
        }
    }

    [Fact]
    public void Several_batches_in_one_event_keep_their_order_and_text_batches_keep_their_namespace()
    {
        var adapter = new EventHubDataAdapter(NewSerializer());
        var stream = StreamId.Create(MarketPulseNames.TextsNamespace, "AAPL");
        var batches = new[] { EventHubsBatches.Batch("AAPL", 0), EventHubsBatches.Batch("AAPL", 1), EventHubsBatches.Batch("AAPL", 2) };
        var e = EventHubsBatches.AsReceived(adapter.ToQueueMessage(stream, batches, null, null), adapter.GetPartitionKey(stream), 7);
        var position = adapter.GetStreamPosition("3", e);
        Assert.Equal(stream, position.StreamId);
        var cached = adapter.FromQueueMessage(position, e, DateTime.UtcNow, size => new ArraySegment<byte>(new byte[size]));
        var back = adapter.GetBatchContainer(ref cached).GetEvents<MarketBatch>().Select(t => t.Item1.BatchId).ToList();
        Assert.Equal(batches.Select(b => b.BatchId), back);
    }
}

/// <summary>
/// Batches queued per stream for Orleans' event-data generator provider, which stands in for the hub: its partition
/// receivers ask each stream's generator for events, and everything after that (the Event Hubs queue cache, the default
/// data adapter, the pulling agents, implicit subscriptions, the grain checkpointer) is the real provider's code.
/// </summary>
public sealed class BatchFeed(Serializer serializer, DeepCopier copier)
{
    /// <summary>Where the generator's filler goes: no grain subscribes to it (see <see cref="Generator"/>).</summary>
    public const string IdleNamespace = "eventhubs-test-idle";

    private readonly ConcurrentDictionary<StreamId, ConcurrentQueue<MarketBatch>> _queues = new();
    private readonly Serializer _serializer = serializer;
    private readonly DeepCopier _copier = copier;

    public void Enqueue(StreamId stream, IEnumerable<MarketBatch> batches)
    {
        var q = _queues.GetOrAdd(stream, _ => new ConcurrentQueue<MarketBatch>());
        foreach (var b in batches) q.Enqueue(b);
    }

    public IStreamDataGenerator<EventData> GeneratorFor(StreamId stream) => new Generator(this, stream);

    /// <summary>
    /// Orleans' partition generator asks its streams for events until it has exactly the count it was asked for and spins
    /// while none comes (its own simple generator never runs dry). So once this stream's queued batches are out, the
    /// remainder is filled with events on a stream nobody subscribes to, which the pulling agent reads and drops.
    /// </summary>
    private sealed class Generator(BatchFeed feed, StreamId stream) : IStreamDataGenerator<EventData>
    {
        private readonly StreamId _idle = StreamId.Create(IdleNamespace, stream.GetKeyAsString());
        public IIntCounter SequenceNumberCounter { private get; set; } = null!;
        public StreamId StreamId => stream;
        public bool ShouldProduce { private get; set; } = true;

        public bool TryReadEvents(int maxCount, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<EventData>? events)
        {
            var list = new List<EventData>(maxCount);
            var queue = feed._queues.GetOrAdd(stream, _ => new ConcurrentQueue<MarketBatch>());
            while (list.Count < maxCount)
            {
                var real = queue.TryDequeue(out var batch);
                SequenceNumberCounter.Increment();
                var n = SequenceNumberCounter.Value;
                var target = real ? stream : _idle;
                var e = EventHubsModelFactory.EventData(BinaryData.Empty, partitionKey: target.GetKeyAsString(),
                    offsetString: n.ToString(CultureInfo.InvariantCulture), sequenceNumber: n, enqueuedTime: DateTimeOffset.UtcNow);
                // The same call the provider's data adapter makes when a grain publishes (EventHubBatchContainer.ToEventData).
                EventHubBatchContainer.UpdateEventData(e, feed._serializer, target, real ? [batch!] : new object[] { n }, RequestContextExtensions.Export(feed._copier));
                list.Add(e);
            }
            events = list;
            return true;
        }
    }
}

/// <summary>One silo whose stream provider is Orleans' Event Hubs provider fed by <see cref="BatchFeed"/>.</summary>
public sealed class EventHubsGeneratorClusterFixture : IAsyncLifetime
{
    public const int Partitions = 2;
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var models = RepoPaths.Models;
        builder.ConfigureSilo((_, silo) =>
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MarketPulse:Models:Path"] = models,
            }).Build();
            silo.AddMemoryGrainStorage(MarketPulseNames.GrainStorage);
            silo.AddMemoryGrainStorage(MarketPulseNames.PubSubStorage);
            silo.Services.AddSingleton(GrainStateDurability.Volatile);
            silo.Services.AddSingleton<BatchFeed>();
            silo.Services.AddKeyedSingleton<Func<StreamId, IStreamDataGenerator<EventData>>>(MarketPulseNames.StreamProvider,
                (sp, _) => sp.GetRequiredService<BatchFeed>().GeneratorFor);
            silo.AddEventDataGeneratorStreams(MarketPulseNames.StreamProvider, streams =>
            {
                streams.Configure<EventDataGeneratorStreamOptions>(b => b.Configure(o => o.EventHubPartitionCount = Partitions));
                // As the Cluster profile does: checkpoints in the grain storage, implicit subscriptions only.
                streams.UseGrainCheckpointer(b => b.Configure(o =>
                {
                    o.StorageProviderName = MarketPulseNames.PubSubStorage;
                    o.PersistInterval = TimeSpan.FromMilliseconds(200);
                }));
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
                streams.ConfigurePullingAgent(b => b.Configure(o => o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(50)));
                // Events leave the queue cache after seconds rather than minutes, so that the receivers checkpoint
                // (the offset of the last event purged) within the test.
                streams.ConfigureCacheEviction(b => b.Configure(o =>
                {
                    o.DataMinTimeInCache = TimeSpan.FromSeconds(1);
                    o.DataMaxAgeInCache = TimeSpan.FromSeconds(3);
                    o.MetadataMinTimeInCache = TimeSpan.FromSeconds(2);
                }));
            });
            silo.Services.AddMarketPulseGrainServices(config);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public BatchFeed Feed => Cluster.Silos[0].ServiceProvider.GetRequiredService<BatchFeed>();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>The Event Hubs consumer path in process: generated events → pulling agents → queue cache → data adapter → tickers.</summary>
public class EventHubsConsumerPathTests(EventHubsGeneratorClusterFixture fixture) : IClassFixture<EventHubsGeneratorClusterFixture>
{
    private async Task Place(StreamId stream, int partition) =>
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).SendControlCommandToProvider<PersistentStreamProvider>(
            MarketPulseNames.StreamProvider, (int)EventDataGeneratorAdapterFactory.Commands.Randomly_Place_Stream_To_Queue,
            new EventDataGeneratorAdapterFactory.StreamRandomPlacementArg(stream, partition));

    [Fact]
    public async Task Batches_read_from_event_hub_partitions_reach_their_tickers_in_order_and_a_redelivered_batch_is_applied_once()
    {
        var batches = new Dictionary<string, List<MarketBatch>>
        {
            ["EHA"] = Enumerable.Range(0, 6).Select(i => EventHubsBatches.Batch("EHA", i)).ToList(),
            ["EHB"] = Enumerable.Range(0, 4).Select(i => EventHubsBatches.Batch("EHB", i, ticks: 3)).ToList(),
        };
        var partition = 0;
        foreach (var (symbol, list) in batches)
        {
            var stream = StreamId.Create(MarketPulseNames.TicksNamespace, symbol);
            // At-least-once: the hub hands a batch over again after a partition moves; the ticker must not apply it twice.
            fixture.Feed.Enqueue(stream, [.. list, list[2]]);
            await Place(stream, partition++);
        }

        foreach (var (symbol, list) in batches)
        {
            var ticks = list.SelectMany(b => b.Ticks).ToList();
            var snap = await Eventually.Value(fixture.Cluster.Client.GetGrain<ITickerGrain>(symbol).GetSnapshotAsync,
                s => s.TicksApplied >= ticks.Count, $"{symbol}: {ticks.Count} ticks through Event Hubs streams");
            await Task.Delay(500); // the redelivered batch is last in its partition: give it time to (not) count
            snap = await fixture.Cluster.Client.GetGrain<ITickerGrain>(symbol).GetSnapshotAsync();
            Assert.Equal(ticks.Count, snap.TicksApplied);
            Assert.Equal((double)ticks[^1].Price, snap.LastPrice);
            Assert.Equal(ticks[^1].Time, snap.LastTime);
        }

        // The receivers checkpoint each partition's position through Orleans' grain checkpointer into the PubSubStore
        // grain storage (Redis in the Cluster profile); read back through the provider's own checkpointer factory.
        var checkpointers = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IStreamQueueCheckpointerFactory>(MarketPulseNames.StreamProvider);
        for (var p = 0; p < EventHubsGeneratorClusterFixture.Partitions; p++)
        {
            var queue = $"partition-{p}";
            var checkpoint = await Eventually.Value(async () => await (await checkpointers.Create(queue, CancellationToken.None)).Load(CancellationToken.None), c => !string.IsNullOrEmpty(c),
                $"a checkpoint for {queue}", timeout: TimeSpan.FromSeconds(30), interval: TimeSpan.FromMilliseconds(500));
            Assert.True(long.Parse(checkpoint, CultureInfo.InvariantCulture) > 0, checkpoint);
        }
    }
}

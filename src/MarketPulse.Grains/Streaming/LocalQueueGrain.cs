using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace MarketPulse.Grains.Streaming;

/// <summary>
/// One stream event as the Local profile's queues hold it: the published events themselves, by reference. Immutable, so
/// Orleans passes it between grains of one silo without a copy (the events on this pipeline's streams are immutable
/// records); between silos it is serialized like any grain call argument.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.localstreambatch")]
public sealed class LocalStreamBatch(StreamId streamId, IReadOnlyList<object> events, Dictionary<string, object>? requestContext,
    EventSequenceTokenV2? token = null) : IBatchContainer
{
    [Id(0)] public StreamId StreamId { get; } = streamId;
    [Id(1)] public IReadOnlyList<object> Events { get; } = events;
    [Id(2)] public Dictionary<string, object>? RequestContext { get; } = requestContext;
    [Id(3)] public EventSequenceTokenV2? Token { get; } = token;

    public StreamSequenceToken SequenceToken => Token ?? throw new InvalidOperationException("not queued yet");

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        var token = Token ?? throw new InvalidOperationException("not queued yet");
        for (var i = 0; i < Events.Count; i++)
            if (Events[i] is T item) yield return Tuple.Create<T, StreamSequenceToken>(item, token.CreateSequenceTokenForEvent(i));
    }

    public bool ImportRequestContext()
    {
        if (RequestContext is null) return false;
        RequestContextExtensions.Import(RequestContext);
        return true;
    }
}

[Alias("marketpulse.ilocalqueuegrain")]
public interface ILocalQueueGrain : IGrainWithStringKey
{
    /// <summary>Appends a batch; throws when the queue holds <see cref="LocalQueueGrain.Capacity"/> batches (back-pressure: the
    /// producer's call fails and its caller retries).</summary>
    [Alias("enqueue")]
    Task EnqueueAsync(LocalStreamBatch batch);

    [Alias("dequeue")]
    Task<List<LocalStreamBatch>> DequeueAsync(int maxCount);
}

/// <summary>
/// One queue of the Local profile's streams (key: provider/queue). It plays the part of Orleans' memory stream queue
/// grain without its cost: that one serializes every batch into bytes at publication, copies the bytes on the calls to
/// and from its queue grain and deserializes them again for every delivery; here the published objects travel by
/// reference from the producer to the consumer inside a silo. Lives as long as the silo (the pulling agent reads it every
/// few milliseconds); what it holds is lost with the process, as with the memory provider.
/// </summary>
public sealed class LocalQueueGrain(TimeProvider time) : Grain, ILocalQueueGrain
{
    /// <summary>Batches a queue holds at most (Orleans' memory queues hold as many).</summary>
    public const int Capacity = 16_384;

    private readonly Queue<LocalStreamBatch> _queue = new();
    private long _sequence = time.GetUtcNow().UtcTicks; // increasing across reactivations, as the memory provider's

    public Task EnqueueAsync(LocalStreamBatch batch)
    {
        if (_queue.Count >= Capacity)
            throw new InvalidOperationException($"Can not enqueue since the queue holds its maximum of {Capacity} batches");
        _queue.Enqueue(new LocalStreamBatch(batch.StreamId, batch.Events, batch.RequestContext, new EventSequenceTokenV2(_sequence++)));
        return Task.CompletedTask;
    }

    public Task<List<LocalStreamBatch>> DequeueAsync(int maxCount)
    {
        var batches = new List<LocalStreamBatch>(Math.Min(maxCount, _queue.Count));
        while (batches.Count < maxCount && _queue.TryDequeue(out var batch)) batches.Add(batch);
        return Task.FromResult(batches);
    }
}

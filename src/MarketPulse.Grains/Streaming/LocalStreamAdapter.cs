using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace MarketPulse.Grains.Streaming;

/// <summary>
/// The Local profile's stream provider: Orleans' persistent-stream machinery (pulling agents, queue balancing, implicit
/// subscriptions, per-stream order, <see cref="SimpleQueueCache"/>) over <see cref="LocalQueueGrain"/>s that hand the
/// published objects over by reference. Orleans ships no provider that does this: its memory provider serializes each
/// batch and copies the bytes twice between grains, which was a fifth of the pipeline's CPU profile
/// (docs/performance.md). Queues are grains, so several silos of one cluster share them as with the memory provider.
/// </summary>
public sealed class LocalStreamAdapter(string name, HashRingStreamQueueMapperOptions partitions, SimpleQueueCacheOptions cache,
    IGrainFactory grains, ILoggerFactory loggers) : IQueueAdapterFactory, IQueueAdapter
{
    private readonly HashRingBasedStreamQueueMapper _mapper = new(partitions, name);
    private readonly SimpleQueueAdapterCache _cache = new(cache, name, loggers);
    private readonly NoOpStreamDeliveryFailureHandler _failures = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<QueueId, ILocalQueueGrain> _queues = new();

    public string Name => name;

    /// <summary>Not rewindable: a batch is kept only until every consumer of its queue has taken it (the cache's bound).</summary>
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public static LocalStreamAdapter Create(IServiceProvider services, string name) => new(name,
        services.GetOptionsByName<HashRingStreamQueueMapperOptions>(name), services.GetOptionsByName<SimpleQueueCacheOptions>(name),
        services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<ILoggerFactory>());

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult<IStreamFailureHandler>(_failures);

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null) throw new ArgumentException("The Local profile's streams do not take sequence tokens from producers", nameof(token));
        object[] items = events is IReadOnlyCollection<T> { Count: 1 } one ? [one.First()!] : [.. events.Select(e => (object)e!)];
        return Queue(_mapper.GetQueueForStream(streamId)).EnqueueAsync(new LocalStreamBatch(streamId, items, requestContext));
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new Receiver(Queue(queueId));

    /// <summary>Each queue's grain, resolved once: <c>GetGrain</c> resolves the interface's grain type from its name on every call.</summary>
    private ILocalQueueGrain Queue(QueueId queueId) => _queues.GetOrAdd(queueId, static (id, a) => a.grains.GetGrain<ILocalQueueGrain>($"{a.name}/{id}"), (grains, name));

    private sealed class Receiver(ILocalQueueGrain queue) : IQueueAdapterReceiver
    {
        private Task? _reading;

        public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

        public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
        {
            var reading = queue.DequeueAsync(maxCount);
            _reading = reading;
            try { return [.. await reading]; }
            finally { _reading = null; }
        }

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

        /// <summary>Lets a read under way finish, so that what it took from the queue reaches the cache before the agent stops.</summary>
        public async Task Shutdown(TimeSpan timeout)
        {
            if (_reading is { } reading) await reading.WaitAsync(timeout).ConfigureAwait(false);
        }
    }
}

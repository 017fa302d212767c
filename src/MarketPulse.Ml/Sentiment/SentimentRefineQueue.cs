using System.Threading.Channels;
using MarketPulse.Core.Sentiment;

namespace MarketPulse.Ml.Sentiment;

public sealed record RefineRequest(string Symbol, string Source, string Id, string Text);

public sealed record RefineResult(RefineRequest Request, SentimentScore Score);

/// <summary>
/// The bursts path: every text already has its fast (lexicon) score; this bounded queue feeds the transformer in batches
/// and hands the refined scores to <c>deliver</c>. <see cref="TryEnqueue"/> never waits: when the queue is full the text
/// keeps its fast score and <see cref="Degraded"/> counts it, so ingestion is never held up by the model. One per silo.
/// </summary>
public sealed class SentimentRefineQueue : IAsyncDisposable
{
    private readonly Channel<RefineRequest> _channel;
    private readonly IBatchSentimentScorer _scorer;
    private readonly Func<IReadOnlyList<RefineResult>, Task> _deliver;
    private readonly Action<Exception>? _onError;
    private readonly int _batchSize;
    private readonly Task _worker;
    private long _enqueued, _refined, _degraded, _failed, _abandoned;
    private volatile bool _closing;

    public SentimentRefineQueue(IBatchSentimentScorer scorer, Func<IReadOnlyList<RefineResult>, Task> deliver, int capacity = 4096,
        int batchSize = 32, Action<Exception>? onError = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _scorer = scorer;
        _deliver = deliver;
        _onError = onError;
        _batchSize = batchSize;
        Capacity = capacity;
        _channel = Channel.CreateBounded<RefineRequest>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: a full queue answers false at once
            SingleReader = true,
        });
        _worker = Task.Run(RunAsync);
    }

    public string Model => _scorer.Name;
    public int Capacity { get; }
    public int Pending => _channel.Reader.Count;
    public long Enqueued => Interlocked.Read(ref _enqueued);
    public long Refined => Interlocked.Read(ref _refined);
    public long Degraded => Interlocked.Read(ref _degraded);
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Texts still queued when <see cref="CloseAsync"/> was called: they keep their fast score.</summary>
    public long Abandoned => Interlocked.Read(ref _abandoned);

    /// <summary>Queues a text for refinement; false (and counted as degraded) when the queue is full or closed.</summary>
    public bool TryEnqueue(RefineRequest request)
    {
        if (_channel.Writer.TryWrite(request))
        {
            Interlocked.Increment(ref _enqueued);
            return true;
        }
        Interlocked.Increment(ref _degraded);
        return false;
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<RefineRequest>(_batchSize);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_closing)
            {
                while (reader.TryRead(out _)) Interlocked.Increment(ref _abandoned);
                continue;
            }
            batch.Clear();
            while (batch.Count < _batchSize && reader.TryRead(out var item)) batch.Add(item);
            if (batch.Count == 0) continue;
            try
            {
                var scores = _scorer.ScoreBatch([.. batch.Select(b => b.Text)]);
                var results = new RefineResult[batch.Count];
                for (var i = 0; i < batch.Count; i++) results[i] = new RefineResult(batch[i], scores[i]);
                await _deliver(results).ConfigureAwait(false);
                Interlocked.Add(ref _refined, batch.Count);
            }
            catch (Exception ex)
            {
                // The texts keep their fast scores; a failing model or delivery must not stop the worker.
                Interlocked.Add(ref _failed, batch.Count);
                _onError?.Invoke(ex);
            }
        }
    }

    /// <summary>
    /// Stops taking texts and drops what is still queued without scoring it (each keeps its fast score and is counted in
    /// <see cref="Abandoned"/>); completes when the batch in flight, if any, has been delivered. For shutdown: the
    /// receivers of refined scores are about to go away, so refining the backlog would only fail.
    /// </summary>
    public Task CloseAsync()
    {
        _closing = true;
        _channel.Writer.TryComplete();
        return _worker;
    }

    /// <summary>Stops taking texts, refines and delivers what is queued, then completes.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }
}

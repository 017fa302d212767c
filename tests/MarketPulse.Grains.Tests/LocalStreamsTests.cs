using MarketPulse.Grains.Streaming;
using Orleans.Runtime;
using Orleans.Streams;

namespace MarketPulse.Grains.Tests;

/// <summary>
/// The Local profile's stream queues: first in, first out with increasing sequence numbers, and a full queue refuses a
/// batch (the producer's call fails, so ingest answers "retry") instead of growing without bound.
/// </summary>
[Collection(ClusterCollection.Name)]
public class LocalStreamsTests(ClusterFixture fixture)
{
    private static LocalStreamBatch Batch(int i) => new(StreamId.Create("test", $"S{i % 7}"), [i], null);

    [Fact]
    public async Task A_queue_hands_out_batches_in_order_with_increasing_tokens()
    {
        var queue = fixture.Grains.GetGrain<ILocalQueueGrain>($"test-order-{Guid.NewGuid()}");
        for (var i = 0; i < 50; i++) await queue.EnqueueAsync(Batch(i));

        var first = await queue.DequeueAsync(20);
        var rest = await queue.DequeueAsync(100);
        var all = first.Concat(rest).ToList();
        Assert.Equal(20, first.Count);
        Assert.Equal(Enumerable.Range(0, 50), all.Select(b => (int)b.Events[0]));
        Assert.All(all.Zip(all.Skip(1)), p => Assert.True(p.First.SequenceToken.Older(p.Second.SequenceToken)));
        Assert.Equal(50, all.Select(b => b.GetEvents<int>().Single().Item1).Distinct().Count());
        Assert.Empty(await queue.DequeueAsync(10));
    }

    [Fact]
    public async Task A_full_queue_refuses_a_batch_and_keeps_what_it_holds()
    {
        var queue = fixture.Grains.GetGrain<ILocalQueueGrain>($"test-full-{Guid.NewGuid()}");
        for (var i = 0; i < LocalQueueGrain.Capacity; i++) await queue.EnqueueAsync(Batch(i));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => queue.EnqueueAsync(Batch(-1)));
        Assert.Contains("maximum", refused.Message);

        // Room again once the pulling agent has taken some.
        Assert.Equal(10, (await queue.DequeueAsync(10)).Count);
        await queue.EnqueueAsync(Batch(LocalQueueGrain.Capacity));
        var rest = await queue.DequeueAsync(int.MaxValue);
        Assert.Equal(LocalQueueGrain.Capacity - 10 + 1, rest.Count);
        Assert.Equal(LocalQueueGrain.Capacity, (int)rest[^1].Events[0]);
    }
}

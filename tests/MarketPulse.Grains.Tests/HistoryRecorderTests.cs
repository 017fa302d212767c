using System.Threading.Channels;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.History;
using MarketPulse.Abstractions.Market;
using MarketPulse.Grains.History;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MarketPulse.Grains.Tests;

/// <summary>The history recorder's retries, on a fake clock: the back-off is asserted exactly and nothing sleeps.</summary>
public sealed class HistoryRecorderTests
{
    [Fact]
    public async Task A_failing_write_is_retried_after_1_2_3_and_4_seconds_then_dropped_and_the_queue_moves_on()
    {
        var clock = new TimerWatchingTimeProvider(new DateTimeOffset(2024, 5, 2, 21, 0, 0, TimeSpan.Zero));
        var store = new FailingStore(failures: 5);
        var recorder = new HistoryRecorder([store], clock, NullLogger<HistoryRecorder>.Instance);
        await recorder.StartAsync(CancellationToken.None);
        try
        {
            recorder.Enqueue("AAPL", [Bar(new DateOnly(2024, 5, 2))], []);
            for (var attempt = 1; attempt <= 4; attempt++)
            {
                var wait = await clock.Timers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal(TimeSpan.FromSeconds(attempt), wait);
                Assert.Equal(attempt, store.Attempts);
                clock.Advance(wait);
            }

            // The fifth failure drops AAPL's day without waiting again; the next symbol is written at once.
            recorder.Enqueue("MSFT", [Bar(new DateOnly(2024, 5, 2))], []);
            var written = await store.Written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("MSFT", written);
            Assert.Equal(6, store.Attempts);
            Assert.False(clock.Timers.Reader.TryRead(out _));
            Assert.Equal(TimeSpan.FromSeconds(1 + 2 + 3 + 4), clock.GetUtcNow() - clock.Start);
        }
        finally
        {
            await recorder.StopAsync(CancellationToken.None);
        }
    }

    private static BarDto Bar(DateOnly day) =>
        new(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), "1d", day, 10, 11, 9, 10.5, 1000, 10);

    /// <summary>A fake clock that reports every timer created on it (a Task.Delay is one), so a test advances only once the wait is set.</summary>
    private sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public Channel<TimeSpan> Timers { get; } = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Timers.Writer.TryWrite(dueTime);
            return timer;
        }
    }

    /// <summary>A store whose first writes fail (as a database that is down would), then records which symbols were written.</summary>
    private sealed class FailingStore(int failures) : IHistoryStore
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public Channel<string> Written { get; } = Channel.CreateUnbounded<string>();

        public Task UpsertDailyBarsAsync(string symbol, IReadOnlyList<BarDto> bars, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _attempts) <= failures
                ? Task.FromException(new TimeoutException("database unavailable"))
                : Task.CompletedTask;

        public Task UpsertPredictionsAsync(string symbol, IReadOnlyList<PredictionRecord> records, CancellationToken cancellationToken = default)
        {
            Written.Writer.TryWrite(symbol);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<BarDto>> GetDailyBarsAsync(string symbol, DateOnly? from = null, DateOnly? to = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<BarDto>>([]);

        public Task<IReadOnlyList<PredictionRecord>> GetPredictionsAsync(string symbol, string? signal = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<PredictionRecord>>([]);
    }
}

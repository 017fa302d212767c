using System.Threading.Channels;
using MarketPulse.Abstractions.Ensemble;
using MarketPulse.Abstractions.History;
using MarketPulse.Abstractions.Market;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.History;

/// <summary>
/// Hands closed days and (re)scored predictions to the configured <see cref="IHistoryStore"/> from a background
/// loop, so a slow database never holds up a grain. With no store registered (Local profile) it is disabled and
/// nothing is queued. A failed write is retried a few times, then logged and dropped: the grains keep their own
/// recent history, so the store can be back-filled by a replay.
/// </summary>
public sealed class HistoryRecorder(IEnumerable<IHistoryStore> stores, TimeProvider time, ILogger<HistoryRecorder> logger) : BackgroundService
{
    private readonly IHistoryStore? _store = stores.LastOrDefault();
    private readonly Channel<(string Symbol, IReadOnlyList<BarDto> Bars, IReadOnlyList<PredictionRecord> Predictions)> _queue =
        Channel.CreateBounded<(string, IReadOnlyList<BarDto>, IReadOnlyList<PredictionRecord>)>(
            new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });

    public bool Enabled => _store is not null;

    public void Enqueue(string symbol, IReadOnlyList<BarDto> bars, IReadOnlyList<PredictionRecord> predictions)
    {
        if (_store is null) return;
        if (!_queue.Writer.TryWrite((symbol, bars, predictions)))
            HistoryLog.QueueFull(logger, bars.Count, predictions.Count, symbol);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_store is null)
        {
            HistoryLog.NoStore(logger);
            return;
        }
        HistoryLog.Recording(logger, _store.GetType().Name);
        try
        {
            await foreach (var (symbol, bars, predictions) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await _store.UpsertDailyBarsAsync(symbol, bars, stoppingToken);
                        await _store.UpsertPredictionsAsync(symbol, predictions, stoppingToken);
                        break;
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested && attempt < 5)
                    {
                        HistoryLog.WriteRetrying(logger, ex, symbol, attempt);
                        await Task.Delay(TimeSpan.FromSeconds(attempt), time, stoppingToken);
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        HistoryLog.WriteDropped(logger, ex, symbol, attempt, bars.Count, predictions.Count);
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

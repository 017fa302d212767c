using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Hosting;

/// <summary>
/// Starts the configured replay once the silo is up (after Orleans' own hosted service in start order), and stops it
/// when the host stops (before the silo, in reverse order): otherwise the replay keeps feeding sources while the silo
/// deactivates grains and writes their state, and every item sent into a stream whose queue is already gone is an error.
/// </summary>
public sealed class ReplayHostedService(IGrainFactory grains, IOptions<MarketPulseOptions> options, ILogger<ReplayHostedService> logger) : BackgroundService
{
    private bool _started;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_started) return;
        try
        {
            await grains.GetGrain<IReplayGrain>(options.Value.Replay.Name).StopAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or OrleansException)
        {
            ServerLog.ReplayNotStopped(logger, ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var replay = options.Value.Replay;
        if (!replay.Enabled) return;
        var path = PathResolver.Resolve(replay.Path);
        if (!Directory.Exists(path))
        {
            ServerLog.ReplayPathMissing(logger, path);
            return;
        }
        _started = true;
        for (var attempt = 1; attempt <= 5 && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var status = await grains.GetGrain<IReplayGrain>(replay.Name)
                    .StartAsync(new ReplayRequest(path, replay.Speed, TimeSpan.FromDays(replay.WarmUpDays), null, replay.Loop));
                ServerLog.ReplayStarted(logger, status.Name, status.State, status.EventsTotal, status.Speed);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                ServerLog.ReplayStartFailed(logger, ex, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), stoppingToken);
            }
        }
    }
}

using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Hosting;

/// <summary>Starts the configured replay once the silo is up (after Orleans' own hosted service in start order).</summary>
public sealed class ReplayHostedService(IGrainFactory grains, IOptions<MarketPulseOptions> options, ILogger<ReplayHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var replay = options.Value.Replay;
        if (!replay.Enabled) return;
        var path = PathResolver.Resolve(replay.Path);
        if (!Directory.Exists(path))
        {
            logger.LogError("Replay is enabled but {Path} does not exist; set MarketPulse:Replay:Path or MarketPulse:Replay:Enabled=false", path);
            return;
        }
        for (var attempt = 1; attempt <= 5 && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var status = await grains.GetGrain<IReplayGrain>(replay.Name)
                    .StartAsync(new ReplayRequest(path, replay.Speed, TimeSpan.FromDays(replay.WarmUpDays), null, replay.Loop));
                logger.LogInformation("Replay {Name} {State}: {Total} events at {Speed}x", status.Name, status.State, status.EventsTotal, status.Speed);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Replay start attempt {Attempt} failed", attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), stoppingToken);
            }
        }
    }
}

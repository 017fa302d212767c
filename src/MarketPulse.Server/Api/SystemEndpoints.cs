using MarketPulse.Server.Observability;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MarketPulse.Server.Api;

public sealed record SiloInfo(string Address, string Name, string Status, DateTime StartedAtUtc);

public sealed record GrainTypeCount(string Type, int Activations);

public sealed record GrainCounts(int Total, IReadOnlyList<GrainTypeCount> ByType);

/// <param name="Scope">
/// Whose numbers: ingest, latency, rejections, streams and the refine queue are this process's (<c>process</c>); silos and
/// grains are the cluster's, from Orleans' management grain.
/// </param>
public sealed record SystemSummary(
    DateTime AtUtc,
    string Scope,
    IngestRates Ingest,
    LatencySummary PipelineLatencyMs,
    IReadOnlyList<RejectionCount> Rejections,
    IReadOnlyList<SiloInfo> Silos,
    GrainCounts Grains,
    long? RefineQueue,
    IReadOnlyList<StreamBacklog> Streams);

public static class SystemEndpoints
{
    public static void MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/system", GetAsync).WithTags("System")
            .WithSummary("The service's health at a glance: ingest rates, pipeline latency percentiles, rejections, silos, grains, queues.");
    }

    private static async Task<Ok<SystemSummary>> GetAsync(IGrainFactory grains, SystemMonitor monitor, TimeProvider time)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var stats = await management.GetSimpleGrainStatistics();
        var silos = hosts.OrderBy(h => h.SiloAddress.ToString())
            .Select(h => new SiloInfo(h.SiloAddress.ToString(), h.SiloName, h.Status.ToString(), h.StartTime)).ToList();
        var byType = stats.GroupBy(s => ShortName(s.GrainType))
            .Select(g => new GrainTypeCount(g.Key, g.Sum(s => s.ActivationCount)))
            .Where(g => g.Activations > 0).OrderByDescending(g => g.Activations).ThenBy(g => g.Type).ToList();
        return TypedResults.Ok(new SystemSummary(time.GetUtcNow().UtcDateTime, "process", monitor.Ingest(), monitor.PipelineLatency(),
            monitor.Rejections(), silos, new GrainCounts(byType.Sum(g => g.Activations), byType), monitor.RefineQueue(), monitor.Streams()));
    }

    /// <summary><c>MarketPulse.Grains.Market.TickerGrain,MarketPulse.Grains</c> → <c>TickerGrain</c>; Orleans' own types keep their name.</summary>
    private static string ShortName(string grainType)
    {
        var type = grainType.Split(',')[0];
        var generic = type.IndexOf('`');
        if (generic > 0) type = type[..generic];
        return type[(type.LastIndexOf('.') + 1)..];
    }
}

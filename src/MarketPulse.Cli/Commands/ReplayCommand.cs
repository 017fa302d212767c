using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Ingestion.Replay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// <c>marketpulse replay --data DIR --speed X</c>: connects to a running cluster as an Orleans client (gateway port) and
/// starts the replay grain for the directory (StockNet layout or LEAN tick data). The silo reads the files, so DIR must
/// be visible to it (same machine or shared volume). Waits for the end (or returns at once with <c>--detach</c>), printing
/// progress to stderr and one JSON object with what was published and rejected, per reason.
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Required = true, Description = "Data directory: StockNet layout (price/raw) or LEAN (…/equity/usa/tick)." };
        var speed = new Option<string>("--speed") { DefaultValueFactory = _ => "max", Description = "Simulated seconds per real second (1 = real time), or 'max'." };
        var name = new Option<string?>("--name") { Description = "Replay name (its source grain is replay:NAME); default from the format (stocknet, lean)." };
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols to replay (default: all)." };
        var from = new Option<string?>("--from") { Description = "First trading day, YYYY-MM-DD (inclusive)." };
        var to = new Option<string?>("--to") { Description = "Last trading day, YYYY-MM-DD (exclusive)." };
        var gatewayPort = new Option<int>("--gateway-port") { DefaultValueFactory = _ => 30000, Description = "The cluster's gateway port (MarketPulse:Orleans:GatewayPort)." };
        var clusterId = new Option<string>("--cluster-id") { DefaultValueFactory = _ => "marketpulse" };
        var serviceId = new Option<string>("--service-id") { DefaultValueFactory = _ => "marketpulse" };
        var connectTimeout = new Option<double>("--connect-timeout") { DefaultValueFactory = _ => 15, Description = "Seconds to wait for the cluster's gateway." };
        var detach = new Option<bool>("--detach") { Description = "Start the replay and return without waiting for it to finish." };
        var command = new Command("replay", "Replay a data directory into a running cluster.");
        foreach (var o in new Option[] { data, speed, name, symbols, from, to, gatewayPort, clusterId, serviceId, connectTimeout, detach }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var config = parse.InvocationConfiguration;
            var request = BuildRequest(parse.GetValue(data)!, parse.GetValue(speed)!, parse.GetValue(symbols), parse.GetValue(from), parse.GetValue(to), out var format);
            var replayName = parse.GetValue(name) ?? (format == ReplayTimeline.Format.StockNet ? "stocknet" : "lean");
            using var host = BuildClient(parse.GetValue(gatewayPort), parse.GetValue(clusterId)!, parse.GetValue(serviceId)!);
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(ct);
                connect.CancelAfter(TimeSpan.FromSeconds(parse.GetValue(connectTimeout)));
                await host.StartAsync(connect.Token);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                await config.Error.WriteLineAsync($"error: no MarketPulse cluster reachable on gateway port {parse.GetValue(gatewayPort)} ({ex.Message}); start the server first");
                return 1;
            }
            var grains = host.Services.GetRequiredService<IClusterClient>();
            var result = await RunAsync(grains, replayName, request, !parse.GetValue(detach), config.Error, ct);
            await config.Output.WriteLineAsync(JsonSerializer.Serialize(result));
            await host.StopAsync(CancellationToken.None);
            return result.State is "failed" ? 1 : 0;
        });
        return command;
    }

    /// <summary>Checks the arguments here, before any cluster is involved, so bad input exits 2 with a clear message.</summary>
    public static ReplayRequest BuildRequest(string data, string speed, string? symbols, string? from, string? to, out ReplayTimeline.Format format)
    {
        var path = Path.GetFullPath(data);
        format = ReplayTimeline.Detect(path, out var why) ?? throw new CliInputException($"--data: {why}");
        double x;
        if (speed.Equals("max", StringComparison.OrdinalIgnoreCase)) x = double.PositiveInfinity;
        else if (!double.TryParse(speed, NumberStyles.Float, CultureInfo.InvariantCulture, out x) || !(x > 0) || double.IsNaN(x))
            throw new CliInputException($"--speed: expected a number > 0 or 'max', got '{speed}'");
        var symbolList = symbols?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()).ToList();
        var fromDay = ParseDay(from, "--from");
        var toDay = ParseDay(to, "--to");
        if (fromDay is { } f && toDay is { } t && t <= f) throw new CliInputException("--to must be after --from");
        return new ReplayRequest(path, x, TimeSpan.Zero, symbolList, false, fromDay, toDay);
    }

    private static DateOnly? ParseDay(string? value, string option)
    {
        if (value is null) return null;
        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new CliInputException($"{option}: expected YYYY-MM-DD, got '{value}'");
    }

    private static IHost BuildClient(int gatewayPort, string clusterId, string serviceId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, serviceId, clusterId));
        return builder.Build();
    }

    public static async Task<ReplayCliResult> RunAsync(IGrainFactory grains, string name, ReplayRequest request, bool wait, TextWriter progress, CancellationToken ct)
    {
        var replay = grains.GetGrain<IReplayGrain>(name);
        var watch = Stopwatch.StartNew();
        var status = await replay.StartAsync(request);
        progress.WriteLine($"replay {name}: {status.Format} from {request.Path} at {(double.IsPositiveInfinity(request.Speed) ? "max" : request.Speed + "x")} speed");
        var lastReport = TimeSpan.Zero;
        while (wait && status.State == "running" && !ct.IsCancellationRequested)
        {
            await Task.Delay(250, ct);
            status = await replay.GetStatusAsync();
            if (watch.Elapsed - lastReport >= TimeSpan.FromSeconds(2))
            {
                lastReport = watch.Elapsed;
                progress.WriteLine($"  {status.EventsPublished:N0} events published, virtual time {status.VirtualTime:u}");
            }
        }
        var source = await grains.GetGrain<IMarketSourceGrain>("replay:" + name).GetStatsAsync();
        var text = await grains.GetGrain<ITextSourceGrain>("replay:" + name).GetStatsAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        progress.WriteLine($"replay {name}: {status.State}, {status.EventsPublished:N0} events in {seconds:F1} s");
        return new ReplayCliResult(name, status.Format, status.State, status.EventsPublished, status.EventsPublished / Math.Max(seconds, 1e-9),
            status.RowsRejectedByReason ?? new Dictionary<string, long>(), source.Accepted, source.RejectedByReason, text.Accepted, text.RejectedByReason,
            status.Error);
    }
}

/// <summary>The JSON line <c>replay</c> prints (snake_case like the other commands).</summary>
public sealed record ReplayCliResult(
    [property: System.Text.Json.Serialization.JsonPropertyName("name")] string Name,
    [property: System.Text.Json.Serialization.JsonPropertyName("format")] string? Format,
    [property: System.Text.Json.Serialization.JsonPropertyName("state")] string State,
    [property: System.Text.Json.Serialization.JsonPropertyName("events_published")] long EventsPublished,
    [property: System.Text.Json.Serialization.JsonPropertyName("events_per_sec")] double EventsPerSec,
    [property: System.Text.Json.Serialization.JsonPropertyName("rows_skipped_by_reason")] IReadOnlyDictionary<string, long> RowsSkippedByReason,
    [property: System.Text.Json.Serialization.JsonPropertyName("market_accepted")] long MarketAccepted,
    [property: System.Text.Json.Serialization.JsonPropertyName("market_rejected_by_reason")] IReadOnlyDictionary<string, long> MarketRejectedByReason,
    [property: System.Text.Json.Serialization.JsonPropertyName("texts_accepted")] long TextsAccepted,
    [property: System.Text.Json.Serialization.JsonPropertyName("texts_rejected_by_reason")] IReadOnlyDictionary<string, long> TextsRejectedByReason,
    [property: System.Text.Json.Serialization.JsonPropertyName("error")] string? Error);

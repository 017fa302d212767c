namespace MarketPulse.Server.Tests;

/// <summary>
/// Tests that read <c>/metrics</c> run alone, after the parallel ones. Every in-process server of this test process has its
/// own <c>IMeterFactory</c>, but meters are global by name (e.g. ASP.NET Core's "Microsoft.AspNetCore.Http.Connections"),
/// and with the OpenTelemetry SDK disposing one meter stops every live meter of the same name from being exported
/// (open-telemetry/opentelemetry-dotnet#6412). So a server stopping in a parallel test class could silently empty another
/// server's <c>signalr_server_active_connections</c>; it made <see cref="ReplayPushTests"/> fail once in CI. A service
/// process hosts one server, so production is not affected.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics (not in parallel)";
}

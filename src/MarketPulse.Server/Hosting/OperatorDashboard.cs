using System.Net;
using Microsoft.AspNetCore.Authorization;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace MarketPulse.Server.Hosting;

/// <summary>
/// The Orleans dashboard (<c>Microsoft.Orleans.Dashboard</c>: silos, grains, calls, reminders) for operators, mapped on
/// the gateway at <see cref="Path"/> behind the authorization policy <see cref="Policy"/>. On by default in the Local
/// profile, off by default in the Cluster profile (production); <c>MarketPulse:OrleansDashboard:Enabled</c> decides.
/// Silos register the dashboard's grain service and call profiler; a gateway-only process registers its client part.
/// </summary>
public static class OperatorDashboard
{
    public const string Path = "/dashboard";

    /// <summary>
    /// The one policy the dashboard's endpoints require: a principal with the <c>admin</c> scope (an API key or token that
    /// holds it) — or, in the Local profile only, any request from this machine, since a browser cannot send the key header.
    /// </summary>
    public const string Policy = "operator-dashboard";

    public static bool IsEnabled(MarketPulseOptions options) =>
        options.OrleansDashboard.Enabled ?? options.Profile == DeploymentProfile.Local;

    public static void AddMarketPulseDashboard(this ISiloBuilder silo, MarketPulseOptions options)
    {
        if (IsEnabled(options)) silo.AddDashboard(o => o.CounterUpdateIntervalMs = options.OrleansDashboard.CounterUpdateIntervalMs);
    }

    public static void AddMarketPulseDashboard(this IClientBuilder client, MarketPulseOptions options)
    {
        if (IsEnabled(options)) client.AddDashboard(o => o.CounterUpdateIntervalMs = options.OrleansDashboard.CounterUpdateIntervalMs);
    }

    public static void AddOperatorDashboardPolicy(this AuthorizationOptions authorization, MarketPulseOptions options)
    {
        var localLoopback = options.Profile == DeploymentProfile.Local && options.OrleansDashboard.AllowLoopbackWithoutKey;
        authorization.AddPolicy(Policy, policy => policy.RequireAssertion(context =>
            MarketPulse.Server.Security.Principals.IsAdmin(context.User)
            || (localLoopback && context.Resource is HttpContext http && http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip))));
    }

    public static void MapMarketPulseDashboard(this WebApplication app, MarketPulseOptions options)
    {
        // The dashboard is an operators' UI, not part of the REST API: kept out of the OpenAPI document (and so out of the
        // generated clients and the hostile-input run, which would otherwise feed its internal routes garbage silo addresses).
        if (IsEnabled(options)) app.MapOrleansDashboard(Path).RequireAuthorization(Policy).ExcludeFromDescription();
    }
}

/// <summary><c>MarketPulse:OrleansDashboard</c>.</summary>
public sealed class OrleansDashboardSettings
{
    /// <summary>Unset: on in the Local profile, off in the Cluster profile.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Local profile: requests from this machine need no API key (a browser cannot send the header).</summary>
    public bool AllowLoopbackWithoutKey { get; set; } = true;

    /// <summary>How often the dashboard refreshes its counters.</summary>
    [MarketPulse.Core.Configuration.Positive] public int CounterUpdateIntervalMs { get; set; } = 1000;
}

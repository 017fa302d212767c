using MarketPulse.Core.Configuration;

namespace MarketPulse.Server.Hosting;

/// <summary>The cluster and this process's Orleans endpoints (<c>MarketPulse:Orleans</c>).</summary>
public sealed class OrleansSettings
{
    [NotBlank] public string ClusterId { get; set; } = "marketpulse";
    [NotBlank] public string ServiceId { get; set; } = "marketpulse";
    [Port] public int SiloPort { get; set; } = 11111;
    [Port] public int GatewayPort { get; set; } = 30000;

    /// <summary>Local profile with several silos on one machine: the silo port of the first one (the others join it).</summary>
    [Port] public int? PrimarySiloPort { get; set; }

    /// <summary>Cluster profile: the address other silos and gateways use to reach this silo (default: this host's first IPv4).</summary>
    public string? AdvertisedIPAddress { get; set; }
}

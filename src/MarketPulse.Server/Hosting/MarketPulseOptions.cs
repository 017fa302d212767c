namespace MarketPulse.Server.Hosting;

public enum DeploymentProfile { Local, Cluster }

public enum ServerRole { All, Silo, Gateway }

/// <summary>The <c>MarketPulse</c> configuration section (appsettings, <c>MarketPulse__…</c> environment, command line).</summary>
public sealed class MarketPulseOptions
{
    public const string Section = "MarketPulse";

    public DeploymentProfile Profile { get; set; } = DeploymentProfile.Local;
    public ServerRole Role { get; set; } = ServerRole.All;
    public OrleansSettings Orleans { get; set; } = new();
    public ReplaySettings Replay { get; set; } = new();
    public ApiSettings Api { get; set; } = new();
    public StreamSettings Streams { get; set; } = new();
    public LocalSettings Local { get; set; } = new();
    public OrleansDashboardSettings OrleansDashboard { get; set; } = new();
}

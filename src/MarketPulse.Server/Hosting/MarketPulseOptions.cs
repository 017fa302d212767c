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

/// <summary>The Local profile's embedded store (<c>MarketPulse:Local</c>).</summary>
public sealed class LocalSettings
{
    /// <summary>Keep grain state in the embedded store under <see cref="DataPath"/>; false: in memory, gone at exit.</summary>
    public bool Persist { get; set; } = true;

    /// <summary>The store's append-only file and checkpoints (relative: to the working directory).</summary>
    public string DataPath { get; set; } = "data/local";

    /// <summary>Loopback port of the embedded store; 0 picks a free one. Several local silos: set it, the same on all.</summary>
    public int StorePort { get; set; }

    /// <summary>
    /// Answer a write only once its log record is on disk. Off by default: the log is committed right behind each write
    /// (milliseconds later), as Redis' own default trades the last moment's writes for speed; on, every grain write waits
    /// for a disk flush, which a fast replay outruns (docs/operations.md, "Local state and restarts").
    /// </summary>
    public bool WaitForCommit { get; set; }

    /// <summary>Log size after which the store checkpoints and truncates its log (bounds replay on start).</summary>
    public string AofSizeLimit { get; set; } = "64m";

    /// <summary>The store's memory for records (Garnet's <c>--memory</c>).</summary>
    public string MemorySize { get; set; } = "512m";
}

/// <summary>Cluster profile stream provider (Azure Queue streams) settings.</summary>
public sealed class StreamSettings
{
    /// <summary>Queues (partitions) of the stream provider; every silo must agree.</summary>
    public int Queues { get; set; } = 8;

    /// <summary>How often each pulling agent reads its queue.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>After this, a message read but not deleted (its silo died) is delivered again.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class OrleansSettings
{
    public string ClusterId { get; set; } = "marketpulse";
    public string ServiceId { get; set; } = "marketpulse";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Local profile with several silos on one machine: the silo port of the first one (the others join it).</summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>Cluster profile: the address other silos and gateways use to reach this silo (default: this host's first IPv4).</summary>
    public string? AdvertisedIPAddress { get; set; }
}

public sealed class ReplaySettings
{
    public bool Enabled { get; set; } = true;
    public string Name { get; set; } = "stocknet";
    public string Path { get; set; } = "data/sample/stocknet";

    /// <summary>Replay clock speed: simulated seconds per real second (43,200 = half a day per second).</summary>
    public double Speed { get; set; } = 43_200;

    /// <summary>History sent at once on start so that indicators are warm within seconds.</summary>
    public double WarmUpDays { get; set; } = 45;

    public bool Loop { get; set; } = true;
}

public sealed class ApiSettings
{
    /// <summary>
    /// Development keys, accepted in <c>X-Api-Key</c> (or as a bearer token) with every scope; the principal is
    /// <c>api-key-N</c>. Production keys are stored ones (<c>marketpulse keys create</c>), which carry their own scopes.
    /// </summary>
    public List<string> Keys { get; set; } = [];

    /// <summary>Reads (tickers, models, sources, the hub) need a principal with the <c>read</c> scope; off: reads are open.</summary>
    public bool RequireKeyForReads { get; set; }

    /// <summary>Requests per principal per minute, every endpoint together (429 with Retry-After beyond).</summary>
    public int RequestsPerMinutePerPrincipal { get; set; } = 3000;

    /// <summary>Requests per client IP address per minute, authenticated or not (429 with Retry-After beyond).</summary>
    public int RequestsPerMinutePerIp { get; set; } = 6000;

    /// <summary>SignalR connections one principal may hold open on one gateway; more are closed at once.</summary>
    public int MaxConnectionsPerPrincipal { get; set; } = 20;

    /// <summary>How long a gateway trusts a stored key's record before asking the cluster again (revocation delay).</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bearer tokens from an identity provider (Entra ID or any OpenID Connect issuer); off without an authority.</summary>
    public JwtSettings Jwt { get; set; } = new();

    /// <summary>Browser origins allowed to call the API cross-origin; none (the default): CORS closed.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>Ingest requests per key per minute.</summary>
    public int IngestRequestsPerMinute { get; set; } = 600;

    /// <summary>Most items in one ingest request.</summary>
    public int MaxBatchItems { get; set; } = 10_000;
}

public sealed class JwtSettings
{
    /// <summary>The issuer, e.g. <c>https://login.microsoftonline.com/TENANT/v2.0</c>; its OpenID metadata gives the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (the API's application id URI or client id).</summary>
    public string? Audience { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that names the principal (owner of its alert rules, rate-limit partition).</summary>
    public string NameClaim { get; set; } = "sub";
}

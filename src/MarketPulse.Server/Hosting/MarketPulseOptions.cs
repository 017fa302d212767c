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

/// <summary>The Cluster profile's durable stream provider.</summary>
public enum StreamsProvider
{
    /// <summary>Azure Queue storage (Azurite on one machine, a Storage account in Azure): the default.</summary>
    AzureQueue,

    /// <summary>Azure Event Hubs: Azure's partitioned log, for feeds beyond a few thousand batches per second.</summary>
    EventHubs,
}

/// <summary>Cluster profile stream provider settings (<c>MarketPulse:Streams</c>).</summary>
public sealed class StreamSettings
{
    /// <summary>Which durable provider carries the market and text batches; every silo must agree.</summary>
    public StreamsProvider Provider { get; set; } = StreamsProvider.AzureQueue;

    /// <summary>Event Hubs settings, used with <see cref="Provider"/> = <see cref="StreamsProvider.EventHubs"/>.</summary>
    public EventHubsStreamSettings EventHubs { get; set; } = new();

    /// <summary>Azure Queue streams: queues (partitions) of the stream provider; every silo must agree.</summary>
    public int Queues { get; set; } = 8;

    /// <summary>How often each pulling agent reads its queue.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>After this, a message read but not deleted (its silo died) is delivered again.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Event Hubs streams (<c>MarketPulse:Streams:EventHubs</c>). The namespace comes from <c>ConnectionStrings:eventhubs</c>;
/// the partitions are the hub's own (set where the hub is created, <c>eventHubPartitions</c> in the Bicep): silos read
/// them from the service and share them out among themselves.
/// </summary>
public sealed class EventHubsStreamSettings
{
    /// <summary>The event hub (entity) within the namespace.</summary>
    public string Hub { get; set; } = "marketpulse";

    /// <summary>The consumer group the silos read with; one per deployment reading the same hub.</summary>
    public string ConsumerGroup { get; set; } = "$Default";

    /// <summary>
    /// With no checkpoint yet for a partition: true starts at the newest event, false (the default) at the oldest one
    /// retained, so that batches acknowledged before a silo first read the partition are not skipped.
    /// </summary>
    public bool StartFromNow { get; set; }

    /// <summary>Events each partition receiver prefetches; null keeps the Event Hubs client's default.</summary>
    public int? PrefetchCount { get; set; }

    /// <summary>
    /// How often a partition's read position is checkpointed (in the grain storage). After a silo dies, its partitions
    /// are read again from the last checkpoint: at most this much of the feed is delivered twice (tickers drop batches
    /// they have already applied, by batch id).
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);
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

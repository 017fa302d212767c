using MarketPulse.Core.Configuration;

namespace MarketPulse.Server.Hosting;

/// <summary>Keys, limits and identity of the HTTP API (<c>MarketPulse:Api</c>).</summary>
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
    [Positive] public int RequestsPerMinutePerPrincipal { get; set; } = 3000;

    /// <summary>Requests per client IP address per minute, authenticated or not (429 with Retry-After beyond).</summary>
    [Positive] public int RequestsPerMinutePerIp { get; set; } = 6000;

    /// <summary>SignalR connections one principal may hold open on one gateway; more are closed at once.</summary>
    [Positive] public int MaxConnectionsPerPrincipal { get; set; } = 20;

    /// <summary>How long a gateway trusts a stored key's record before asking the cluster again (revocation delay).</summary>
    [NonNegative] public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bearer tokens from an identity provider (Entra ID or any OpenID Connect issuer); off without an authority.</summary>
    public JwtSettings Jwt { get; set; } = new();

    /// <summary>Browser origins allowed to call the API cross-origin; none (the default): CORS closed.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>Ingest requests per key per minute.</summary>
    [Positive] public int IngestRequestsPerMinute { get; set; } = 600;

    /// <summary>Most items in one ingest request.</summary>
    [Positive] public int MaxBatchItems { get; set; } = 10_000;
}

/// <summary>Bearer tokens from an identity provider (<c>MarketPulse:Api:Jwt</c>).</summary>
public sealed class JwtSettings
{
    /// <summary>The issuer, e.g. <c>https://login.microsoftonline.com/TENANT/v2.0</c>; its OpenID metadata gives the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (the API's application id URI or client id).</summary>
    public string? Audience { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that names the principal (owner of its alert rules, rate-limit partition).</summary>
    [NotBlank] public string NameClaim { get; set; } = "sub";
}

using MarketPulse.Core.Configuration;

namespace MarketPulse.Ingestion.Text.Live;

/// <summary>
/// The live text sources under <c>MarketPulse:Text</c> (<c>Rss</c>, <c>Reddit</c>, <c>X</c>); all off by default.
/// Credentials come only from configuration or the environment (<c>MarketPulse__Text__Reddit__ClientSecret</c>, …)
/// and are never logged.
/// </summary>
public sealed class TextSourcesOptions
{
    public const string Section = "MarketPulse:Text";

    public RssSourceSettings Rss { get; set; } = new();
    public RedditSourceSettings Reddit { get; set; } = new();
    public XSourceSettings X { get; set; } = new();

    /// <summary>How often the sources' problem counts are copied into their source grains' stats.</summary>
    [Positive] public double ReportSeconds { get; set; } = 2;
}

/// <summary>What every polling or streaming text source shares: timeouts and how it backs off.</summary>
public class TextSourceSettings
{
    public bool Enabled { get; set; }

    /// <summary>Sent on every request. Reddit asks for "platform:app:version (by /u/name)"; the SEC for "Company admin@example.com".</summary>
    public string UserAgent { get; set; } = "";

    /// <summary>One request (connect to end of body) may take this long; beyond it the request is abandoned and retried later.</summary>
    [Positive] public double RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>First retry delay after a 5xx, a timeout or a network error; doubles per failure up to <see cref="BackoffMaxSeconds"/>.</summary>
    [Positive] public double BackoffInitialSeconds { get; set; } = 5;

    [Positive] public double BackoffMaxSeconds { get; set; } = 300;

    /// <summary>A response body larger than this is abandoned and counted (a feed or listing is normally well under 1 MB).</summary>
    [Positive] public long MaxDocumentBytes { get; set; } = 16 << 20;

    /// <summary>How many item ids (guid/link, Reddit fullname, tweet id) are remembered to skip repeats across polls.</summary>
    [Positive] public int RememberItems { get; set; } = 20_000;
}

public sealed class RssSourceSettings : TextSourceSettings
{
    public List<RssFeedSettings> Feeds { get; set; } = [];

    /// <summary>Requests per second per host (e.g. <c>"www.sec.gov": 10</c>, the SEC's published maximum). Hosts not listed get <see cref="DefaultRequestsPerSecond"/>.</summary>
    public Dictionary<string, double> RequestsPerSecondByHost { get; set; } = new(StringComparer.OrdinalIgnoreCase) { ["www.sec.gov"] = 10 };

    [Positive] public double DefaultRequestsPerSecond { get; set; } = 1;

    [Positive] public double PollSeconds { get; set; } = 60;

    /// <summary>EDGAR central index keys (CIK, digits) to tickers, for filers the stock table's company names do not match.</summary>
    public Dictionary<string, string> Ciks { get; set; } = new(StringComparer.Ordinal);
}

public sealed class RssFeedSettings
{
    /// <summary>The source name after <c>rss:</c> (e.g. <c>sec-8k</c> → source grain <c>rss:sec-8k</c>).</summary>
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>Overrides the section's <see cref="RssSourceSettings.PollSeconds"/> when set.</summary>
    [Positive] public double? PollSeconds { get; set; }
}

public sealed class RedditSourceSettings : TextSourceSettings
{
    public const string ClientIdEnvironment = "REDDIT_CLIENT_ID";
    public const string ClientSecretEnvironment = "REDDIT_CLIENT_SECRET";

    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    public List<string> Subreddits { get; set; } = [];

    /// <summary>Where the token is asked for (<c>POST /api/v1/access_token</c>).</summary>
    public string AuthUrl { get; set; } = "https://www.reddit.com";

    /// <summary>The OAuth API host the listings are read from.</summary>
    public string ApiUrl { get; set; } = "https://oauth.reddit.com";

    [Positive] public double PollSeconds { get; set; } = 30;

    /// <summary>A token is renewed this long before it expires.</summary>
    [NonNegative] public double TokenRefreshMarginSeconds { get; set; } = 60;

    public (string Id, string Secret)? ResolveCredentials()
    {
        var id = string.IsNullOrWhiteSpace(ClientId) ? Environment.GetEnvironmentVariable(ClientIdEnvironment) : ClientId;
        var secret = string.IsNullOrWhiteSpace(ClientSecret) ? Environment.GetEnvironmentVariable(ClientSecretEnvironment) : ClientSecret;
        return string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(secret) ? null : (id, secret);
    }
}

public sealed class XSourceSettings : TextSourceSettings
{
    public const string BearerEnvironment = "X_BEARER_TOKEN";

    public XSourceSettings()
    {
        // X documents these three back-off regimes for the filtered stream; the defaults are its numbers.
        BackoffInitialSeconds = 5;
        BackoffMaxSeconds = 320;
    }

    public string? BearerToken { get; set; }

    public string ApiUrl { get; set; } = "https://api.x.com";

    /// <summary>The cashtags to follow; grouped into as few rules as fit <see cref="MaxRuleLength"/>.</summary>
    public List<string> Symbols { get; set; } = [];

    [Positive] public int MaxRuleLength { get; set; } = 512;

    /// <summary>X sends a keep-alive newline every 20 s; nothing at all for this long means a stalled connection.</summary>
    [Positive] public double StallSeconds { get; set; } = 30;

    /// <summary>A stream line (one tweet or message) longer than this is skipped and counted rather than buffered.</summary>
    [Positive] public int MaxLineBytes { get; set; } = 1 << 20;

    /// <summary>Network errors: a linear back-off of this step per attempt, up to <see cref="NetworkBackoffMaxSeconds"/>.</summary>
    [Positive] public double NetworkBackoffStepSeconds { get; set; } = 0.25;

    [Positive] public double NetworkBackoffMaxSeconds { get; set; } = 16;

    /// <summary>429: start here and double per attempt (X: one minute).</summary>
    [Positive] public double RateLimitBackoffInitialSeconds { get; set; } = 60;

    public string? ResolveBearer() =>
        string.IsNullOrWhiteSpace(BearerToken) ? NullIfBlank(Environment.GetEnvironmentVariable(BearerEnvironment)) : BearerToken;

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MarketPulse.Abstractions.Sentiment;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Ingestion.Text.Live;

/// <summary>
/// Reads the newest posts of each configured subreddit (source <c>reddit:SUB</c>) over Reddit's OAuth API as an
/// application (client-credentials grant; the token is cached until shortly before it expires and renewed at once on a
/// 401). Each listing asks only for posts newer than the newest already seen (<c>before=</c> fullname) and every post id
/// is remembered, so a post is handed on once. Reddit's <c>X-Ratelimit-Remaining</c> / <c>-Reset</c> headers are obeyed
/// (no request while the allowance is spent), 429 and 5xx back off. Title and self text become the post's text; the
/// author is kept for the pipeline's spam checks.
/// </summary>
public sealed class RedditSource : TextSource
{
    private readonly RedditSourceSettings _settings;
    private readonly (string Id, string Secret) _credentials;
    private readonly Dictionary<string, string?> _newest = new(StringComparer.OrdinalIgnoreCase);
    private string? _token;
    private DateTimeOffset _tokenExpires;
    private DateTimeOffset _allowanceResets = DateTimeOffset.MinValue;
    private int _failures;
    private long _polls;

    public RedditSource(RedditSourceSettings settings, HttpClient http, TextSink sink, ILogger logger, TimeProvider? time = null)
        : base("reddit", settings, http, sink, logger, time)
    {
        _credentials = settings.ResolveCredentials() ?? throw new ArgumentException(
            "Reddit needs OAuth client credentials: set MarketPulse__Text__Reddit__ClientId and __ClientSecret "
            + $"(or {RedditSourceSettings.ClientIdEnvironment} / {RedditSourceSettings.ClientSecretEnvironment})");
        if (string.IsNullOrWhiteSpace(settings.UserAgent))
            throw new ArgumentException("Reddit requires a descriptive User-Agent (\"platform:app-id:version (by /u/name)\"): set MarketPulse:Text:Reddit:UserAgent");
        if (settings.Subreddits.Count == 0) throw new ArgumentException("MarketPulse:Text:Reddit:Subreddits is empty");
        _settings = settings;
    }

    public static string SourceFor(string subreddit) => "reddit:" + subreddit.ToLowerInvariant();

    protected override async Task PollLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var backoff = false;
            foreach (var sub in _settings.Subreddits)
            {
                var outcome = await PollSubredditAsync(sub, ct);
                if (outcome is { } wait)
                {
                    SetState("backing-off");
                    await SleepAsync(wait, ct);
                    backoff = true;
                    break;
                }
            }
            if (backoff) continue;
            _failures = 0;
            _polls++;
            SetState("waiting");
            await SleepAsync(TimeSpan.FromSeconds(_settings.PollSeconds), ct);
        }
    }

    /// <returns>Null when the listing was read (or was malformed: counted, nothing to wait for); otherwise how long to back off.</returns>
    private async Task<TimeSpan?> PollSubredditAsync(string sub, CancellationToken ct)
    {
        var source = SourceFor(sub);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await EnsureTokenAsync(source, ct) is { } tokenWait) return tokenWait;
            await ObeyAllowanceAsync(ct);
            SetState("polling");
            // Every tenth round reads the plain listing: if the post named by before= was deleted, before= answers empty forever.
            _newest.TryGetValue(sub, out var before);
            if (_polls % 10 == 9) before = null;
            var url = $"{_settings.ApiUrl.TrimEnd('/')}/r/{Uri.EscapeDataString(sub)}/new?limit=100&raw_json=1" + (before is null ? "" : "&before=" + Uri.EscapeDataString(before));
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("bearer", _token);
            if (await SendAsync(source, request, ct) is not var (response, body)) return NextBackoff();
            using (response)
            {
                ReadAllowance(response);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Unauthorized:
                        Problem(source, TextSourceProblems.TokenExpired, null);
                        _token = null;
                        continue;
                    case HttpStatusCode.TooManyRequests:
                        Problem(source, TextSourceProblems.RateLimited, url);
                        CountRateLimitWait(source);
                        var reset = _allowanceResets - Time.GetUtcNow();
                        return RetryAfter(response, Time.GetUtcNow()) ?? (reset > TimeSpan.Zero ? reset : NextBackoff());
                    case >= HttpStatusCode.InternalServerError:
                        Problem(source, TextSourceProblems.ServerError, $"{(int)response.StatusCode} from {url}");
                        return NextBackoff();
                    case var s when !response.IsSuccessStatusCode:
                        Problem(source, TextSourceProblems.Refused, $"{(int)s} from {url}");
                        return NextBackoff();
                }
                ParseListing(sub, source, Text(response, body));
                return null;
            }
        }
        return NextBackoff();
    }

    private TimeSpan NextBackoff() => RetryBackoff.Exponential(_failures++, _settings.BackoffInitialSeconds, _settings.BackoffMaxSeconds);

    private void ParseListing(string sub, string source, string body)
    {
        var posts = new List<TextPost>();
        string? newest = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var children = doc.RootElement.GetProperty("data").GetProperty("children");
            foreach (var child in children.EnumerateArray())
            {
                if (!child.TryGetProperty("data", out var d) || d.ValueKind != JsonValueKind.Object) { Problem(source, TextSourceProblems.BadItem, null); continue; }
                var name = Str(d, "name");
                newest ??= name;
                var title = Str(d, "title") ?? "";
                var self = Str(d, "selftext") ?? "";
                var text = (title + (self.Length > 0 ? "\n" + self : "")).Trim();
                if (name is null || text.Length == 0 || !d.TryGetProperty("created_utc", out var created) || created.ValueKind != JsonValueKind.Number)
                {
                    Problem(source, TextSourceProblems.BadItem, name);
                    continue;
                }
                if (text.Length > Validation.TextValidator.MaxTextLength) text = text[..Validation.TextValidator.MaxTextLength];
                var time = DateTime.UnixEpoch.AddSeconds(created.GetDouble());
                if (FirstSighting(source, name)) posts.Add(new TextPost(source, name, time, text, [], Str(d, "author")));
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            Problem(source, TextSourceProblems.Malformed, ex.Message);
            return;
        }
        if (newest is not null) _newest[sub] = newest;
        posts.Sort((a, b) => a.Time.CompareTo(b.Time));
        Enqueue(posts);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Reddit's allowance headers: requests left (fractional) and seconds until the window resets.</summary>
    private void ReadAllowance(HttpResponseMessage response)
    {
        if (!TryHeader(response, "X-Ratelimit-Remaining", out var remaining) || !TryHeader(response, "X-Ratelimit-Reset", out var reset)) return;
        TryHeader(response, "X-Ratelimit-Used", out var used);
        if (remaining < 1)
        {
            _allowanceResets = Time.GetUtcNow().AddSeconds(reset);
            TextSourceLog.RedditAllowanceSpent(Logger, used, reset);
        }
    }

    private async Task ObeyAllowanceAsync(CancellationToken ct)
    {
        var wait = _allowanceResets - Time.GetUtcNow();
        if (wait <= TimeSpan.Zero) return;
        CountRateLimitWait(Name);
        SetState("rate-limited");
        await SleepAsync(wait, ct);
    }

    private static bool TryHeader(HttpResponseMessage response, string name, out double value)
    {
        value = 0;
        return response.Headers.TryGetValues(name, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <returns>Null when a usable token is at hand; otherwise how long to back off.</returns>
    private async Task<TimeSpan?> EnsureTokenAsync(string source, CancellationToken ct)
    {
        if (_token is not null && Time.GetUtcNow() < _tokenExpires) return null;
        SetState("authenticating");
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.AuthUrl.TrimEnd('/') + "/api/v1/access_token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(_credentials.Id + ":" + _credentials.Secret)));
        if (await SendAsync(source, request, ct) is not var (response, body)) return NextBackoff();
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                Problem(source, TextSourceProblems.AuthFailed, $"{(int)response.StatusCode} from the token endpoint");
                return NextBackoff();
            }
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Problem(source, TextSourceProblems.RateLimited, "token endpoint");
                return RetryAfter(response, Time.GetUtcNow()) ?? NextBackoff();
            }
            if (!response.IsSuccessStatusCode)
            {
                Problem(source, (int)response.StatusCode >= 500 ? TextSourceProblems.ServerError : TextSourceProblems.Refused, $"{(int)response.StatusCode} from the token endpoint");
                return NextBackoff();
            }
            try
            {
                using var doc = JsonDocument.Parse(body);
                var token = Str(doc.RootElement, "access_token");
                if (string.IsNullOrEmpty(token)) throw new FormatException("no access_token in the answer");
                var expiresIn = doc.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetDouble(out var s) ? s : 3600;
                _token = token;
                _tokenExpires = Time.GetUtcNow().AddSeconds(Math.Max(0, expiresIn - _settings.TokenRefreshMarginSeconds));
                return null;
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                Problem(source, TextSourceProblems.Malformed, "token answer: " + ex.Message);
                return NextBackoff();
            }
        }
    }
}

using System.Net;
using System.ServiceModel.Syndication;
using System.Text.RegularExpressions;
using System.Xml;
using MarketPulse.Abstractions.Sentiment;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Ingestion.Text.Live;

/// <summary>
/// Polls one RSS 2.0 or Atom 1.0 feed (parsed by <see cref="SyndicationFeed"/>) as source <c>rss:NAME</c>: requests are
/// spaced by the host's rate limit, conditional (ETag / If-Modified-Since, a 304 counts as "nothing new"), back off on
/// 429 (honouring <c>Retry-After</c>) and 5xx, and time out. Items are told apart by guid (or link) across polls. EDGAR
/// titles ("8-K - APPLE INC (0000320193) (Filer)") name the filer: its CIK (configured map) or its name (the stock
/// table's companies, any case) gives the ticker; other items get theirs from the text pipeline. A malformed document is
/// counted and the feed keeps polling.
/// </summary>
public sealed partial class RssFeedSource : TextSource
{
    private readonly RssFeedSettings _feed;
    private readonly RssSourceSettings _settings;
    private readonly HostRateLimits _limits;
    private readonly Func<string, string?> _companySymbol;
    private readonly Uri _url;
    private string? _etag;
    private DateTimeOffset? _lastModified;

    /// <param name="companySymbol">A company name (any case, suffixes allowed) to its ticker, or null.</param>
    public RssFeedSource(RssFeedSettings feed, RssSourceSettings settings, HttpClient http, HostRateLimits limits,
        Func<string, string?> companySymbol, TextSink sink, ILogger logger, TimeProvider? time = null)
        : base("rss:" + feed.Name, settings, http, sink, logger, time)
    {
        if (string.IsNullOrWhiteSpace(feed.Name)) throw new ArgumentException("an RSS feed needs a Name (MarketPulse:Text:Rss:Feeds:N:Name)");
        if (!Uri.TryCreate(feed.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"RSS feed '{feed.Name}': Url '{feed.Url}' is not an absolute http(s) URL");
        if (IsSec(url) && !DeclaresContact(settings.UserAgent))
            throw new ArgumentException($"RSS feed '{feed.Name}' reads {url.Host}, which requires a declared User-Agent with a contact address "
                + "(\"Company admin@example.com\"): set MarketPulse:Text:Rss:UserAgent");
        _feed = feed;
        _settings = settings;
        _limits = limits;
        _companySymbol = companySymbol;
        _url = url;
    }

    public static bool IsSec(Uri url) => url.Host.Equals("sec.gov", StringComparison.OrdinalIgnoreCase) || url.Host.EndsWith(".sec.gov", StringComparison.OrdinalIgnoreCase);

    private static bool DeclaresContact(string userAgent) => EmailLike().IsMatch(userAgent ?? "");

    private TimeSpan PollInterval => TimeSpan.FromSeconds(_feed.PollSeconds ?? _settings.PollSeconds);

    protected override async Task PollLoopAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var delay = await PollOnceAsync(ct) is { } wait ? wait : PollInterval;
            if (delay == PollInterval) failures = 0;
            else if (delay == TimeSpan.MinValue) delay = RetryBackoff.Exponential(failures++, _settings.BackoffInitialSeconds, _settings.BackoffMaxSeconds);
            SetState("waiting");
            await SleepAsync(delay, ct);
        }
    }

    /// <returns>Null: poll again after the interval. <see cref="TimeSpan.MinValue"/>: back off. Otherwise: wait this long (Retry-After).</returns>
    private async Task<TimeSpan?> PollOnceAsync(CancellationToken ct)
    {
        SetState("polling");
        await _limits.WaitAsync(_url, ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, _url);
        if (_etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", _etag);
        if (_lastModified is { } lm) request.Headers.IfModifiedSince = lm;
        if (await SendAsync(Name, request, ct) is not var (response, body)) return TimeSpan.MinValue;
        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.NotModified:
                    CountNotModified(Name);
                    return null;
                case HttpStatusCode.TooManyRequests:
                    Problem(Name, TextSourceProblems.RateLimited, $"{_url}");
                    CountRateLimitWait(Name);
                    return RetryAfter(response, Time.GetUtcNow()) is { } ra ? Max(ra, PollInterval) : TimeSpan.MinValue;
                case >= HttpStatusCode.InternalServerError:
                    Problem(Name, TextSourceProblems.ServerError, $"{(int)response.StatusCode} from {_url}");
                    if (RetryAfter(response, Time.GetUtcNow()) is { } ra5) return Max(ra5, RetryBackoff.Exponential(0, _settings.BackoffInitialSeconds, _settings.BackoffMaxSeconds));
                    return TimeSpan.MinValue;
                case var s when !response.IsSuccessStatusCode:
                    Problem(Name, TextSourceProblems.Refused, $"{(int)s} from {_url}");
                    return TimeSpan.MinValue;
            }
            (List<TextPost> Posts, List<string?> BadItems) parsed;
            try
            {
                parsed = Parse(body, Time.GetUtcNow().UtcDateTime);
            }
            catch (Exception ex) when (ex is XmlException or FormatException or InvalidOperationException)
            {
                // Validators are kept only from a document that parsed, so the next poll fetches the whole feed again.
                Problem(Name, TextSourceProblems.Malformed, $"{_url}: {ex.Message}");
                return null;
            }
            _etag = response.Headers.ETag?.ToString();
            _lastModified = response.Content.Headers.LastModified;
            foreach (var title in parsed.BadItems) Problem(Name, TextSourceProblems.BadItem, title);
            var posts = parsed.Posts.Where(p => FirstSighting(Name, p.Id)).ToList();
            // Feeds list newest first; the pipeline sees them in time order.
            posts.Sort((a, b) => a.Time.CompareTo(b.Time));
            Enqueue(posts);
            return null;
        }
    }

    /// <summary>
    /// One RSS 2.0 or Atom 1.0 document (bytes, so its encoding declaration counts) as posts of this source, with the
    /// titles of items that have no id or text. Throws <see cref="XmlException"/> (or FormatException) when malformed.
    /// </summary>
    public (List<TextPost> Posts, List<string?> BadItems) Parse(byte[] document, DateTime nowUtc)
    {
        using var reader = XmlReader.Create(new MemoryStream(document), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var feed = SyndicationFeed.Load(reader);
        var posts = new List<TextPost>();
        var bad = new List<string?>();
        foreach (var item in feed.Items)
        {
            if (ToPost(item, nowUtc) is { } post) posts.Add(post);
            else bad.Add(item.Title?.Text);
        }
        return (posts, bad);
    }

    private TextPost? ToPost(SyndicationItem item, DateTime now)
    {
        var link = item.Links.FirstOrDefault(l => l.RelationshipType is null or "alternate")?.Uri ?? item.Links.FirstOrDefault()?.Uri;
        var id = !string.IsNullOrWhiteSpace(item.Id) ? item.Id : link?.ToString();
        var title = PlainText(item.Title?.Text);
        var summary = PlainText(item.Summary?.Text ?? (item.Content as TextSyndicationContent)?.Text);
        var text = string.Join(" — ", new[] { title, summary }.Where(s => s.Length > 0));
        if (string.IsNullOrWhiteSpace(id) || text.Length == 0) return null;
        if (text.Length > Validation.TextValidator.MaxTextLength) text = text[..Validation.TextValidator.MaxTextLength];

        // Publication time, else last update, else when we first saw it (items without dates exist in RSS 2.0).
        var time = item.PublishDate != default ? item.PublishDate.UtcDateTime
            : item.LastUpdatedTime != default ? item.LastUpdatedTime.UtcDateTime : now;
        IReadOnlyList<string> symbols = [];
        var author = item.Authors.FirstOrDefault() is { } a ? a.Name ?? a.Email : null;
        if (EdgarTitle().Match(title) is { Success: true } m)
        {
            author ??= m.Groups["name"].Value;
            var cik = m.Groups["cik"].Value.TrimStart('0');
            var symbol = _settings.Ciks.FirstOrDefault(kv => kv.Key.TrimStart('0') == cik).Value ?? _companySymbol(m.Groups["name"].Value);
            if (symbol is not null) symbols = [symbol];
        }
        return new TextPost(Name, id, time, text, symbols, author);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // "8-K - APPLE INC (0000320193) (Filer)", "SC 13G/A - Some Fund LP (0001234567) (Filed by)".
    [GeneratedRegex(@"^(?<form>\S.*?) - (?<name>.+?) \((?<cik>\d{4,10})\)", RegexOptions.CultureInvariant)]
    private static partial Regex EdgarTitle();

    [GeneratedRegex(@"[^@\s]+@[^@\s]+\.[^@\s]+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailLike();
}

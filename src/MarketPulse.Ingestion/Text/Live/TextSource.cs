using System.Net;
using System.Text.RegularExpressions;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Sentiment;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Ingestion.Text.Live;

/// <summary>Why a live text source counted a problem: stable "label: description" strings, as in <c>RejectReasons</c>.</summary>
public static class TextSourceProblems
{
    public const string Malformed = "malformed: document could not be parsed";
    public const string TooLarge = "malformed: document larger than the limit";
    public const string BadItem = "malformed: item without an id or text";
    public const string ServerError = "http: server error (5xx), backed off";
    public const string Refused = "http: request refused (4xx)";
    public const string RateLimited = "rate_limit: 429 Too Many Requests, waited";
    public const string Timeout = "timeout: no complete answer within the request timeout";
    public const string Network = "connection: lost or refused";
    public const string AuthFailed = "auth: credentials refused";
    public const string TokenExpired = "auth: token refused (401), renewed";
    public const string Stall = "connection: no data or keep-alive within the stall limit";
    public const string Disconnect = "provider: operational disconnect";
    public const string ProviderError = "provider: error message from the server";
    public const string Unexpected = "internal: unexpected failure, source restarted";
    public const string QueueFailed = "queue: the source grain could not take a batch (retried)";
    public const string Overflow = "queue: buffer full while the cluster was unreachable (dropped)";
}

/// <summary>A live text source's counters; <see cref="ProblemsBySource"/> is keyed by source name, then reason.</summary>
public sealed record TextSourceStats(
    string Name, string State, long Requests, long NotModified, long RateLimitWaits, long KeepAlives, long Connects,
    long Items, long Forwarded, long Accepted, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ProblemsBySource);

/// <summary>Where a source's posts go (the hosted service: the post's <c>Source</c> names the source grain).</summary>
public delegate Task<IngestResult> TextSink(string source, IReadOnlyList<TextPost> posts, CancellationToken ct);

/// <summary>
/// What the RSS, Reddit and X sources share: HTTP requests with a per-request timeout, problem counting per source and
/// reason (logged once per reason), a bounded memory of seen item ids, batched hand-over to the sink with retry (posts
/// are kept while the cluster cannot take them), and sleeping on an injectable clock.
/// </summary>
public abstract partial class TextSource(string name, TextSourceSettings settings, HttpClient http, TextSink sink, ILogger logger, TimeProvider? time)
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Source, string Reason), long> _problems = [];
    private readonly SemaphoreSlim _flushSignal = new(0);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private List<TextPost> _pending = [];
    private long _requests, _notModified, _rateLimitWaits, _keepAlives, _connects, _items, _forwarded, _accepted;
    private string _state = "idle";

    protected HttpClient Http { get; } = http;
    protected ILogger Logger { get; } = logger;
    protected TimeProvider Time { get; } = time ?? TimeProvider.System;
    protected TextSourceSettings Settings { get; } = settings;

    public string Name { get; } = name;

    /// <summary>Flushes wait at most this long; a batch also goes as soon as it has <see cref="BatchMaxItems"/> posts.</summary>
    public TimeSpan BatchMaxDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public int BatchMaxItems { get; init; } = 500;
    public int MaxBufferedPosts { get; init; } = 50_000;

    /// <summary>Raised for every problem counted (source, reason), so the host can put it into the source grain's stats.</summary>
    public event Action<string, string>? ProblemCounted;

    /// <summary>Raised for events that are not problems (source, kind: request, not_modified, rate_limit_wait, keep_alive, connect), for metrics.</summary>
    public event Action<string, string>? EventCounted;

    public TextSourceStats GetStats()
    {
        lock (_gate)
        {
            var bySource = _problems.GroupBy(p => p.Key.Source).ToDictionary(
                g => g.Key, g => (IReadOnlyDictionary<string, long>)g.ToDictionary(p => p.Key.Reason, p => p.Value));
            return new TextSourceStats(Name, _state, _requests, _notModified, _rateLimitWaits, _keepAlives, _connects, _items, _forwarded, _accepted, bySource);
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var flusher = FlushLoopAsync(ct);
        var crashes = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await PollLoopAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A bug or an answer nobody foresaw must not end the source: log it, count it, back off, go on.
                TextSourceLog.UnexpectedFailure(Logger, ex, Name);
                Problem(Name, TextSourceProblems.Unexpected, ex.Message);
                try { await SleepAsync(RetryBackoff.Exponential(crashes++, Settings.BackoffInitialSeconds, Settings.BackoffMaxSeconds), ct); }
                catch (OperationCanceledException) { break; }
            }
        }
        SetState("stopped");
        try { await flusher; } catch (OperationCanceledException) { }
        await FlushAsync(CancellationToken.None);
    }

    protected abstract Task PollLoopAsync(CancellationToken ct);

    /// <summary>
    /// Sends a request and reads the whole body (at most <see cref="TextSourceSettings.MaxDocumentBytes"/>), all within the
    /// request timeout. Null on timeout, network error or an oversize body (counted).
    /// </summary>
    protected async Task<(HttpResponseMessage Response, byte[] Body)?> SendAsync(string source, HttpRequestMessage request, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(Settings.UserAgent)) request.Headers.TryAddWithoutValidation("User-Agent", Settings.UserAgent);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Settings.RequestTimeoutSeconds));
        Interlocked.Increment(ref _requests);
        EventCounted?.Invoke(source, "request");
        HttpResponseMessage? response = null;
        try
        {
            response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.Content.Headers.ContentLength > Settings.MaxDocumentBytes) return TooLarge(response);
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var body = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                if (body.Length + n > Settings.MaxDocumentBytes) return TooLarge(response);
                body.Write(buffer, 0, n);
            }
            return (response, body.ToArray());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            response?.Dispose();
            Problem(source, TextSourceProblems.Timeout, $"{request.RequestUri} after {Settings.RequestTimeoutSeconds} s");
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            response?.Dispose();
            Problem(source, TextSourceProblems.Network, $"{request.RequestUri}: {ex.Message}");
            return null;
        }

        (HttpResponseMessage, byte[])? TooLarge(HttpResponseMessage r)
        {
            r.Dispose();
            Problem(source, TextSourceProblems.TooLarge, $"{request.RequestUri}: more than {Settings.MaxDocumentBytes} bytes");
            return null;
        }
    }

    /// <summary>A JSON or text body as a string: the charset the server declared, else UTF-8.</summary>
    protected static string Text(HttpResponseMessage response, byte[] body)
    {
        var charset = response.Content.Headers.ContentType?.CharSet?.Trim('"');
        System.Text.Encoding encoding;
        try { encoding = charset is null ? System.Text.Encoding.UTF8 : System.Text.Encoding.GetEncoding(charset); }
        catch (ArgumentException) { encoding = System.Text.Encoding.UTF8; }
        return encoding.GetString(body);
    }

    /// <summary>The delay a 429 or 503 asks for (<c>Retry-After</c> as seconds or a date), if any.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var h = response.Headers.RetryAfter;
        if (h?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (h?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    protected Task SleepAsync(TimeSpan delay, CancellationToken ct) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, Time, ct);

    /// <summary>True the first time an id is seen (within the last <see cref="TextSourceSettings.RememberItems"/> ids).</summary>
    protected bool FirstSighting(string source, string id)
    {
        var key = source + "\u001f" + id;
        lock (_gate)
        {
            if (!_seen.Add(key)) return false;
            _seenOrder.Enqueue(key);
            if (_seenOrder.Count > Math.Max(1, Settings.RememberItems)) _seen.Remove(_seenOrder.Dequeue());
            return true;
        }
    }

    protected void Enqueue(IReadOnlyCollection<TextPost> posts)
    {
        if (posts.Count == 0) return;
        bool full;
        lock (_gate)
        {
            _items += posts.Count;
            _pending.AddRange(posts);
            full = _pending.Count >= BatchMaxItems;
        }
        if (full) _flushSignal.Release();
    }

    protected void CountNotModified(string source) => Count(ref _notModified, source, "not_modified");
    protected void CountRateLimitWait(string source) => Count(ref _rateLimitWaits, source, "rate_limit_wait");
    protected void CountKeepAlive(string source) => Count(ref _keepAlives, source, "keep_alive");
    protected void CountConnect(string source) => Count(ref _connects, source, "connect");

    private void Count(ref long counter, string source, string kind)
    {
        Interlocked.Increment(ref counter);
        EventCounted?.Invoke(source, kind);
    }

    protected void SetState(string state)
    {
        lock (_gate) _state = state;
    }

    protected void Problem(string source, string reason, string? detail)
    {
        bool first;
        lock (_gate)
        {
            first = !_problems.ContainsKey((source, reason));
            _problems[(source, reason)] = _problems.GetValueOrDefault((source, reason)) + 1;
        }
        if (first) TextSourceLog.Problem(Logger, source, reason, detail);
        ProblemCounted?.Invoke(source, reason);
    }

    private async Task FlushLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await _flushSignal.WaitAsync(BatchMaxDelay, ct); }
            catch (OperationCanceledException) { return; }
            await FlushAsync(ct);
        }
    }

    /// <summary>Hands pending posts to the sink, one call per source; a failed call keeps its posts (bounded) for the next flush.</summary>
    protected async Task FlushAsync(CancellationToken ct)
    {
        List<TextPost> batch;
        lock (_gate)
        {
            if (_pending.Count == 0) return;
            batch = _pending;
            _pending = [];
        }
        var failed = new List<TextPost>();
        foreach (var group in batch.GroupBy(p => p.Source))
        {
            foreach (var chunk in group.Chunk(BatchMaxItems))
            {
                try
                {
                    var result = await sink(group.Key, chunk, ct);
                    lock (_gate)
                    {
                        _forwarded += chunk.Length;
                        _accepted += result.Accepted;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Problem(group.Key, TextSourceProblems.QueueFailed, ex.Message);
                    failed.AddRange(chunk);
                }
            }
        }
        if (failed.Count == 0) return;
        lock (_gate)
        {
            _pending.InsertRange(0, failed);
            var excess = _pending.Count - MaxBufferedPosts;
            if (excess > 0)
            {
                foreach (var p in _pending.Take(excess).GroupBy(p => p.Source))
                    _problems[(p.Key, TextSourceProblems.Overflow)] = _problems.GetValueOrDefault((p.Key, TextSourceProblems.Overflow)) + p.Count();
                _pending.RemoveRange(0, excess);
            }
        }
    }

    /// <summary>Plain text from an HTML fragment (feed summaries): tags out, entities decoded, whitespace collapsed.</summary>
    public static string PlainText(string? html)
    {
        if (string.IsNullOrEmpty(html)) return "";
        var noTags = HtmlTag().Replace(html, " ");
        return Whitespace().Replace(WebUtility.HtmlDecode(noTags), " ").Trim();
    }

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Ingestion.Validation;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Ingestion.Text.Live;

/// <summary>
/// The X (Twitter) v2 filtered stream as source <c>x:filtered</c>, with an app bearer token. Before connecting it makes
/// the stream's rules match the configured cashtags (one rule per group that fits the rule length, tagged
/// <c>marketpulse</c>; rules already there are not added again, our stale ones are deleted). It then reads the stream's
/// newline-delimited JSON, counts the keep-alive blank lines, treats silence longer than the stall limit as a dead
/// connection, and reconnects with X's documented back-off: linear for network errors (0.25 s steps up to 16 s),
/// exponential for HTTP errors (5 s doubling up to 320 s), exponential from one minute for 429. An operational
/// disconnect message ends the connection and is counted.
/// </summary>
public sealed class XFilteredStreamSource : TextSource
{
    public const string SourceName = "x:filtered";
    public const string RuleTag = "marketpulse";

    private readonly XSourceSettings _settings;
    private readonly string _bearer;
    private readonly IReadOnlyList<string> _symbols;
    private bool _rulesInPlace;
    private int _networkFailures, _httpFailures, _rateLimitFailures;

    public XFilteredStreamSource(XSourceSettings settings, HttpClient http, TextSink sink, ILogger logger, TimeProvider? time = null)
        : base(SourceName, settings, http, sink, logger, time)
    {
        _bearer = settings.ResolveBearer() ?? throw new ArgumentException(
            $"the X filtered stream needs a bearer token: set MarketPulse__Text__X__BearerToken (or {XSourceSettings.BearerEnvironment})");
        _symbols = settings.Symbols.Select(Symbols.Normalize).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (_symbols.Count == 0) throw new ArgumentException("MarketPulse:Text:X:Symbols is empty: the filtered stream needs cashtags to follow");
        _settings = settings;
    }

    /// <summary>The rule values for the symbols: "$A OR $B OR …", each at most <paramref name="maxLength"/> characters.</summary>
    public static IReadOnlyList<string> RuleValues(IEnumerable<string> symbols, int maxLength)
    {
        var rules = new List<string>();
        var current = "";
        foreach (var s in symbols)
        {
            var term = "$" + s;
            var next = current.Length == 0 ? term : current + " OR " + term;
            if (next.Length > maxLength && current.Length > 0)
            {
                rules.Add(current);
                next = term;
            }
            current = next;
        }
        if (current.Length > 0) rules.Add(current);
        return rules;
    }

    private string Api(string path) => _settings.ApiUrl.TrimEnd('/') + path;

    private HttpRequestMessage Request(HttpMethod method, string path, object? json = null)
    {
        var r = new HttpRequestMessage(method, Api(path));
        r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _bearer);
        if (json is not null) r.Content = JsonContent.Create(json);
        return r;
    }

    protected override async Task PollLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var wait = _rulesInPlace ? null : await EnsureRulesAsync(ct);
            wait ??= await StreamAsync(ct);
            SetState("backing-off");
            TextSourceLog.XReconnecting(Logger, wait.Value.TotalSeconds);
            await SleepAsync(wait.Value, ct);
        }
    }

    private TimeSpan NetworkBackoff() =>
        TimeSpan.FromSeconds(Math.Min(_settings.NetworkBackoffMaxSeconds, _settings.NetworkBackoffStepSeconds * ++_networkFailures));

    private TimeSpan HttpBackoff() =>
        TimeSpan.FromSeconds(Math.Min(_settings.BackoffMaxSeconds, _settings.BackoffInitialSeconds * Math.Pow(2, Math.Min(30, _httpFailures++))));

    private TimeSpan RateLimitBackoff() =>
        TimeSpan.FromSeconds(_settings.RateLimitBackoffInitialSeconds * Math.Pow(2, Math.Min(10, _rateLimitFailures++)));

    /// <summary>The delay an HTTP error answer calls for, counted.</summary>
    private TimeSpan HttpProblem(HttpResponseMessage response, string what)
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Problem(SourceName, TextSourceProblems.RateLimited, what);
            CountRateLimitWait(SourceName);
            var backoff = RateLimitBackoff();
            // X also says when the window resets (x-rate-limit-reset, epoch seconds); never earlier than that.
            if (response.Headers.TryGetValues("x-rate-limit-reset", out var v) && long.TryParse(v.FirstOrDefault(), out var epoch))
            {
                var untilReset = DateTimeOffset.FromUnixTimeSeconds(epoch) - Time.GetUtcNow();
                if (untilReset > backoff) backoff = untilReset;
            }
            return backoff;
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            Problem(SourceName, TextSourceProblems.AuthFailed, $"{(int)response.StatusCode} {what}");
        else
            Problem(SourceName, (int)response.StatusCode >= 500 ? TextSourceProblems.ServerError : TextSourceProblems.Refused, $"{(int)response.StatusCode} {what}");
        return HttpBackoff();
    }

    /// <returns>Null when the rules are in place; otherwise how long to wait before trying again.</returns>
    private async Task<TimeSpan?> EnsureRulesAsync(CancellationToken ct)
    {
        SetState("rules");
        using var get = Request(HttpMethod.Get, "/2/tweets/search/stream/rules");
        if (await SendAsync(SourceName, get, ct) is not var (response, body)) return NetworkBackoff();
        var existing = new List<(string Id, string Value, string? Tag)>();
        using (response)
        {
            if (!response.IsSuccessStatusCode) return HttpProblem(response, "listing rules");
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("data", out var data))
                    foreach (var r in data.EnumerateArray())
                        existing.Add((r.GetProperty("id").GetString()!, r.GetProperty("value").GetString()!, r.TryGetProperty("tag", out var t) ? t.GetString() : null));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                Problem(SourceName, TextSourceProblems.Malformed, "rules: " + ex.Message);
                return HttpBackoff();
            }
        }
        var wanted = RuleValues(_symbols, _settings.MaxRuleLength);
        var add = wanted.Where(w => !existing.Any(e => e.Value == w)).Select(w => new { value = w, tag = RuleTag }).ToList();
        var stale = existing.Where(e => e.Tag == RuleTag && !wanted.Contains(e.Value)).Select(e => e.Id).ToList();
        if (stale.Count > 0 && await ChangeRulesAsync(new { delete = new { ids = stale } }, "deleting stale rules", ct) is { } w1) return w1;
        if (add.Count > 0 && await ChangeRulesAsync(new { add }, "adding rules", ct) is { } w2) return w2;
        TextSourceLog.XRules(Logger, wanted.Count, add.Count, stale.Count);
        _rulesInPlace = true;
        return null;
    }

    private async Task<TimeSpan?> ChangeRulesAsync(object payload, string what, CancellationToken ct)
    {
        using var post = Request(HttpMethod.Post, "/2/tweets/search/stream/rules", payload);
        if (await SendAsync(SourceName, post, ct) is not var (response, body)) return NetworkBackoff();
        using (response)
        {
            if (!response.IsSuccessStatusCode) return HttpProblem(response, what);
            // A 200 can still carry errors (an invalid rule); a duplicate rule is not one for us.
            if (JsonNode.Parse(body) is JsonObject o && o["errors"] is JsonArray errors
                && errors.Any(e => e?["title"]?.GetValue<string>() is { } t && t != "DuplicateRule"))
            {
                Problem(SourceName, TextSourceProblems.ProviderError, $"{what}: {errors.ToJsonString()}");
                return HttpBackoff();
            }
            return null;
        }
    }

    /// <summary>One connection: reads until the server ends it, it stalls or it fails. Returns the wait before reconnecting.</summary>
    private async Task<TimeSpan> StreamAsync(CancellationToken ct)
    {
        SetState("connecting");
        using var request = Request(HttpMethod.Get, "/2/tweets/search/stream?tweet.fields=created_at,author_id,lang");
        if (!string.IsNullOrWhiteSpace(Settings.UserAgent)) request.Headers.TryAddWithoutValidation("User-Agent", Settings.UserAgent);
        HttpResponseMessage response;
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connect.CancelAfter(TimeSpan.FromSeconds(Settings.RequestTimeoutSeconds));
            try { response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Problem(SourceName, TextSourceProblems.Timeout, "connecting to the stream");
                return NetworkBackoff();
            }
            catch (HttpRequestException ex)
            {
                Problem(SourceName, TextSourceProblems.Network, ex.Message);
                return NetworkBackoff();
            }
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                // A client error other than 429 may be a rules problem (e.g. deleted elsewhere): check them again first.
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500) _rulesInPlace = false;
                return HttpProblem(response, "connecting to the stream");
            }
            CountConnect(SourceName);
            SetState("streaming");
            var delivered = false;
            try
            {
                var reader = new LineReader(await response.Content.ReadAsStreamAsync(ct), _settings.MaxLineBytes);
                while (true)
                {
                    string? line;
                    try { line = await reader.ReadLineAsync(TimeSpan.FromSeconds(_settings.StallSeconds), ct); }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        Problem(SourceName, TextSourceProblems.Stall, $"nothing for {_settings.StallSeconds} s");
                        return AfterConnection(delivered);
                    }
                    if (line is null)
                    {
                        Problem(SourceName, TextSourceProblems.Network, "the server ended the stream");
                        return AfterConnection(delivered);
                    }
                    if (ReferenceEquals(line, LineReader.Oversize))
                    {
                        Problem(SourceName, TextSourceProblems.TooLarge, $"a line longer than {_settings.MaxLineBytes} bytes");
                        continue;
                    }
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        CountKeepAlive(SourceName);
                        continue;
                    }
                    switch (ParseLine(line))
                    {
                        case LineKind.Post: delivered = true; _httpFailures = 0; _rateLimitFailures = 0; _networkFailures = 0; break;
                        case LineKind.Disconnect: return AfterConnection(delivered);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !ct.IsCancellationRequested)
            {
                Problem(SourceName, TextSourceProblems.Network, ex.Message);
                return AfterConnection(delivered);
            }
        }
    }

    private TimeSpan AfterConnection(bool delivered)
    {
        if (delivered) _networkFailures = 0;
        return NetworkBackoff();
    }

    private enum LineKind { Post, Other, Disconnect }

    private LineKind ParseLine(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object)
            {
                var id = d.TryGetProperty("id", out var i) ? i.GetString() : null;
                var text = d.TryGetProperty("text", out var t) ? t.GetString() : null;
                if (string.IsNullOrEmpty(id) || string.IsNullOrWhiteSpace(text))
                {
                    Problem(SourceName, TextSourceProblems.BadItem, line[..Math.Min(200, line.Length)]);
                    return LineKind.Other;
                }
                var time = d.TryGetProperty("created_at", out var c) && c.TryGetDateTime(out var dt) ? dt.ToUniversalTime() : Time.GetUtcNow().UtcDateTime;
                var author = d.TryGetProperty("author_id", out var a) ? a.GetString() : null;
                // X labels each tweet's language (BCP 47; "und" and the q* codes when it cannot tell): a labelled
                // non-English tweet is dropped here with the pipeline's own reason, unlabelled ones go to its heuristic.
                if (d.TryGetProperty("lang", out var lang) && lang.GetString() is { Length: > 0 } code
                    && code != "en" && code != "und" && code != "zxx" && !code.StartsWith('q'))
                {
                    Problem(SourceName, MarketPulse.Core.Text.TextDropReasons.Language, $"lang={code}");
                    return LineKind.Post;
                }
                if (FirstSighting(SourceName, id)) Enqueue([new TextPost(SourceName, id, DateTime.SpecifyKind(time, DateTimeKind.Utc), text, [], author)]);
                return LineKind.Post;
            }
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var disconnect = errors.EnumerateArray().Any(e =>
                    (e.TryGetProperty("title", out var title) && title.GetString() == "operational-disconnect")
                    || (e.TryGetProperty("type", out var type) && type.GetString()?.EndsWith("/operational-disconnect", StringComparison.Ordinal) == true));
                Problem(SourceName, disconnect ? TextSourceProblems.Disconnect : TextSourceProblems.ProviderError, line[..Math.Min(300, line.Length)]);
                return disconnect ? LineKind.Disconnect : LineKind.Other;
            }
            Problem(SourceName, TextSourceProblems.Malformed, line[..Math.Min(200, line.Length)]);
            return LineKind.Other;
        }
        catch (JsonException)
        {
            Problem(SourceName, TextSourceProblems.Malformed, line[..Math.Min(200, line.Length)]);
            return LineKind.Other;
        }
    }

    /// <summary>
    /// Newline-delimited lines from a stream with two guards StreamReader lacks: a line longer than the limit is skipped
    /// (returned as <see cref="Oversize"/>) instead of growing without bound, and every read from the network has its own
    /// deadline, so "no byte for N seconds" (keep-alives included) is what counts as a stall.
    /// </summary>
    private sealed class LineReader(Stream stream, int maxLineBytes)
    {
        public static readonly string Oversize = new('\0', 1);
        private readonly byte[] _buffer = new byte[64 * 1024];
        private readonly MemoryStream _line = new();
        private int _pos, _len;
        private bool _tooLong;

        /// <returns>The line without its CR/LF; null at the end of the stream; <see cref="Oversize"/> for a skipped line.</returns>
        public async Task<string?> ReadLineAsync(TimeSpan stallAfter, CancellationToken ct)
        {
            while (true)
            {
                var span = _buffer.AsSpan(_pos, _len - _pos);
                var newline = span.IndexOf((byte)'\n');
                var take = newline >= 0 ? newline : span.Length;
                if (!_tooLong && _line.Length + take > maxLineBytes) _tooLong = true;
                if (!_tooLong) _line.Write(span[..take]);
                _pos += newline >= 0 ? newline + 1 : take;
                if (newline >= 0)
                {
                    var result = _tooLong ? Oversize : System.Text.Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length).TrimEnd('\r');
                    _line.SetLength(0);
                    _tooLong = false;
                    return result;
                }
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
                stall.CancelAfter(stallAfter);
                var n = await stream.ReadAsync(_buffer, stall.Token);
                if (n == 0) return null;
                _pos = 0;
                _len = n;
            }
        }
    }
}

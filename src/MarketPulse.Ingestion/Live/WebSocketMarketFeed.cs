using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Ingestion.Live;

/// <summary>An adapter's counters: connection life and every problem by reason (adapter's own and validation's).</summary>
public sealed record LiveFeedStats(
    string Name, string State, long Connects, long Disconnects, long Frames, long Ticks, long Forwarded, long Accepted,
    IReadOnlyDictionary<string, long> ProblemsByReason, DateTime? LastFrameUtc, bool Subscribed);

/// <summary>
/// Runs one provider protocol over <see cref="ClientWebSocket"/>: connects, sends the protocol's opening messages and
/// replies, reads frames (reassembling fragments, refusing oversize and binary ones), forwards trades in batches to the
/// sink (a source grain, which validates them), and keeps going: a dropped connection, a refused one or silence longer
/// than the staleness limit leads to a reconnect after an exponential back-off with jitter, reset once a connection
/// delivers data again. Every problem is counted per reason and logged once per reason; none stops the feed.
/// </summary>
public sealed class WebSocketMarketFeed(
    IFeedProtocol protocol,
    LiveFeedSettings settings,
    Func<IReadOnlyList<MarketTick>, CancellationToken, Task<IngestResult>> sink,
    ILogger logger,
    TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _problems = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushSignal = new(0);
    private List<MarketTick> _pending = [];
    private long _connects, _disconnects, _frames, _ticks, _forwarded, _accepted;
    private DateTime? _lastFrame;
    private bool _subscribed;
    private string _state = "idle";

    public string Name => protocol.Name;

    /// <summary>Raised for every problem the adapter itself counts (not validation's rejections, which the sink reports).</summary>
    public event Action<string>? ProblemCounted;

    public LiveFeedStats GetStats()
    {
        lock (_gate)
            return new LiveFeedStats(Name, _state, _connects, _disconnects, _frames, _ticks, _forwarded, _accepted,
                new Dictionary<string, long>(_problems), _lastFrame, _subscribed);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var flusher = FlushLoopAsync(ct);
        var attempt = 0;
        var uri = new Uri(settings.Url);
        while (!ct.IsCancellationRequested)
        {
            var delivered = false;
            try
            {
                delivered = await SessionAsync(uri, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or System.Net.Http.HttpRequestException)
            {
                Problem(FeedProblems.Lost, ex.Message);
            }
            if (ct.IsCancellationRequested) break;
            if (delivered) attempt = 0;
            var delay = RetryBackoff.Exponential(attempt++, settings.ReconnectInitialSeconds, settings.ReconnectMaxSeconds);
            SetState("backing-off");
            LiveFeedLog.Reconnecting(logger, Name, delay.TotalSeconds, attempt);
            try { await Task.Delay(delay, ct); }
            catch (OperationCanceledException) { break; }
        }
        SetState("stopped");
        try { await flusher; } catch (OperationCanceledException) { }
        await FlushAsync(CancellationToken.None);
    }

    /// <returns>True when the connection delivered data (a subscription confirmation or trades), which resets the back-off.</returns>
    private async Task<bool> SessionAsync(Uri uri, CancellationToken ct)
    {
        using var ws = new ClientWebSocket();
        // Transport heartbeat: a ping every 15 s, and the connection is aborted when its pong does not come within 10 s.
        // The frame-level staleness limit below catches a server that answers pings but stopped sending data.
        ws.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        ws.Options.KeepAliveTimeout = TimeSpan.FromSeconds(10);
        SetState("connecting");
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            connect.CancelAfter(TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds));
            await ws.ConnectAsync(uri, connect.Token);
        }
        lock (_gate) _connects++;
        SetState("connected");
        LiveFeedLog.Connected(logger, Name, uri);
        foreach (var m in protocol.OnOpen()) await SendAsync(ws, m, ct);

        var buffer = new byte[16 * 1024];
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        var tooLarge = false;
        var delivered = false;
        var result = new FrameResult();
        while (true)
        {
            ValueWebSocketReceiveResult r;
            using (var stale = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                stale.CancelAfter(TimeSpan.FromSeconds(settings.StaleAfterSeconds));
                try
                {
                    r = await ws.ReceiveAsync(buffer.AsMemory(), stale.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    Problem(FeedProblems.Stale, $"nothing for {settings.StaleAfterSeconds} s");
                    ws.Abort();
                    return delivered;
                }
            }
            if (r.MessageType == WebSocketMessageType.Close)
            {
                lock (_gate) _disconnects++;
                LiveFeedLog.ServerClosed(logger, Name, ws.CloseStatus, ws.CloseStatusDescription);
                try { await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None); } catch (WebSocketException) { }
                return delivered;
            }
            if (message.WrittenCount + r.Count > settings.MaxFrameBytes) tooLarge = true;
            else message.Write(buffer.AsSpan(0, r.Count));
            if (!r.EndOfMessage) continue;

            lock (_gate)
            {
                _frames++;
                _lastFrame = _time.GetUtcNow().UtcDateTime;
            }
            if (tooLarge) Problem(FeedProblems.TooLarge, null);
            else if (r.MessageType == WebSocketMessageType.Binary) Problem(FeedProblems.Binary, null);
            else
            {
                result.Clear();
                protocol.Parse(message.WrittenSpan, result);
                foreach (var p in result.Problems) Problem(p, Encoding.UTF8.GetString(message.WrittenSpan[..Math.Min(200, message.WrittenCount)]));
                foreach (var reply in result.Replies) await SendAsync(ws, reply, ct);
                if (result.Subscribed)
                {
                    lock (_gate) _subscribed = true;
                    delivered = true;
                    SetState("subscribed");
                }
                if (result.Ticks.Count > 0) Enqueue(result.Ticks);
                if (result.Ticks.Count > 0) delivered = true;
                if (result.Fatal is { } fatal)
                {
                    Problem(FeedProblems.AuthFailed, fatal);
                    try { await ws.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "closing after a fatal error", CancellationToken.None); } catch (WebSocketException) { }
                    return false;
                }
            }
            message.ResetWrittenCount();
            tooLarge = false;
        }
    }

    private static Task SendAsync(ClientWebSocket ws, string text, CancellationToken ct) =>
        ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);

    private void Enqueue(List<MarketTick> ticks)
    {
        bool full;
        lock (_gate)
        {
            _ticks += ticks.Count;
            _pending.AddRange(ticks);
            full = _pending.Count >= settings.BatchMaxItems;
        }
        if (full) _flushSignal.Release();
    }

    private async Task FlushLoopAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(settings.BatchMaxDelayMs);
        while (!ct.IsCancellationRequested)
        {
            try { await _flushSignal.WaitAsync(delay, ct); }
            catch (OperationCanceledException) { return; }
            await FlushAsync(ct);
        }
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        while (true)
        {
            List<MarketTick> batch;
            lock (_gate)
            {
                if (_pending.Count == 0) return;
                if (_pending.Count <= settings.BatchMaxItems)
                {
                    batch = _pending;
                    _pending = [];
                }
                else
                {
                    batch = _pending.GetRange(0, settings.BatchMaxItems);
                    _pending.RemoveRange(0, settings.BatchMaxItems);
                }
            }
            try
            {
                var result = await sink(batch, ct);
                lock (_gate)
                {
                    _forwarded += batch.Count;
                    _accepted += result.Accepted;
                }
                // Validation's rejections: the source grain already counts them in its stats and metrics.
                foreach (var r in result.Rejected) Problem(r.Reason, $"{batch[r.Index].Symbol} at {batch[r.Index].Time:O}", own: false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Problem(FeedProblems.QueueFailed, ex.Message);
                lock (_gate)
                {
                    // Put the batch back in front, so order per symbol survives the retry; bound what is kept.
                    _pending.InsertRange(0, batch);
                    var excess = _pending.Count - settings.MaxBufferedTicks;
                    if (excess > 0)
                    {
                        _pending.RemoveRange(0, excess);
                        _problems[FeedProblems.Overflow] = _problems.GetValueOrDefault(FeedProblems.Overflow) + excess;
                    }
                }
                return;
            }
        }
    }

    private void Problem(string reason, string? detail, bool own = true)
    {
        bool first;
        lock (_gate)
        {
            first = !_problems.ContainsKey(reason);
            _problems[reason] = _problems.GetValueOrDefault(reason) + 1;
        }
        if (first) LiveFeedLog.Problem(logger, Name, reason, detail);
        if (own) ProblemCounted?.Invoke(reason);
    }

    private void SetState(string state)
    {
        lock (_gate) _state = state;
    }
}

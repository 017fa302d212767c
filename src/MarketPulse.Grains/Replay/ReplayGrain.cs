using System.Diagnostics;
using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Ingestion.Replay;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Replay;

/// <summary>
/// Replays a data directory (StockNet prices and tweets, or LEAN trade-tick days) on an accelerated clock: the virtual
/// time advances by <c>speed</c> seconds per real second (infinite: as fast as the pipeline accepts), and everything up
/// to it goes to the <c>replay:&lt;name&gt;</c> source grains, which validate and publish it like any other source, in
/// time order (so in order per ticker). The first <c>warmUp</c> of history is sent at once so indicators are ready.
/// Data is streamed from the files (one pending item per LEAN symbol), never loaded whole. Bad rows are counted per
/// reason, logged once per reason with file and line, and skipped. With <c>loop</c>, the data set starts again shifted
/// by whole weeks (fresh post ids), so the dashboard stays alive.
/// </summary>
public sealed class ReplayGrain(TimeProvider time, ILogger<ReplayGrain> logger) : Grain, IReplayGrain
{
    private const int ChunkSize = 5000;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FastStep = TimeSpan.FromMilliseconds(1);

    /// <summary>Longest a timer turn publishes before yielding, so status calls are answered while a replay catches up.</summary>
    private static readonly TimeSpan TurnBudget = TimeSpan.FromMilliseconds(200);

    private readonly Dictionary<string, long> _rowsRejected = new(StringComparer.Ordinal);
    private IEnumerator<ReplayEvent>? _events;
    private ReplayEvent? _pending;
    private ReplayRequest? _request;
    private ReplayTimeline.Format? _format;
    private long _total = -1;
    private int _loop;
    private TimeSpan _loopShift;
    private DateTime _firstTime, _lastTime;
    private DateTime _virtualTime;
    private DateTime _lastWall;
    private long _published;
    private long _publishedThisLoop;
    private string _state = "idle";
    private string? _error;
    private IGrainTimer? _timer;

    private string Name => this.GetPrimaryKeyString();

    public async Task<ReplayStatus> StartAsync(ReplayRequest request)
    {
        if (!(request.Speed > 0)) throw new ArgumentOutOfRangeException(nameof(request), "speed must be > 0 (or infinity for as fast as possible)");
        _format = ReplayTimeline.Detect(request.Path, out var reason) ?? throw new ArgumentException(reason, nameof(request));
        StopTimer();
        _events?.Dispose();
        _request = request;
        _rowsRejected.Clear();
        _loop = 0;
        _published = 0;
        _total = -1;
        _error = null;
        if (!OpenTimeline())
        {
            _state = "empty";
            _total = 0;
            return await GetStatusAsync();
        }
        _firstTime = _pending!.Value.Time;
        _virtualTime = _firstTime + request.WarmUp;
        _lastClockDay = DateTime.MinValue;
        _lastWall = time.GetUtcNow().UtcDateTime;
        _state = "running";
        ReplayLog.Started(logger, Name, _format, request.Path, request.Speed, request.WarmUp);
        _timer = this.RegisterGrainTimer(TickAsync, TimeSpan.Zero, double.IsPositiveInfinity(request.Speed) ? FastStep : Step);
        return await GetStatusAsync();
    }

    public Task StopAsync()
    {
        StopTimer();
        _events?.Dispose();
        _events = null;
        _state = "stopped";
        return Task.CompletedTask;
    }

    public Task<ReplayStatus> GetStatusAsync() => Task.FromResult(new ReplayStatus(Name, _state, _request?.Path, _request?.Speed ?? 0,
        _state == "idle" ? null : double.IsPositiveInfinity(_request!.Speed) ? _lastTime + _loopShift * _loop : _virtualTime, _published, _total, _error, _format?.ToString(), new Dictionary<string, long>(_rowsRejected)));

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _events?.Dispose();
        return Task.CompletedTask;
    }

    private bool OpenTimeline()
    {
        _events?.Dispose();
        _events = ReplayTimeline.Open(_request!.Path, _request.Symbols, RowRejected, _request.From, _request.To).GetEnumerator();
        _publishedThisLoop = 0;
        _pending = _events.MoveNext() ? _events.Current : null;
        return _pending is not null;
    }

    private void RowRejected(ReplayRowRejection r)
    {
        var first = !_rowsRejected.TryGetValue(r.Reason, out var n);
        _rowsRejected[r.Reason] = n + 1;
        if (first) ReplayLog.RowSkipped(logger, Name, r.File, r.Line, r.Reason);
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var elapsed = now - _lastWall;
        _lastWall = now;
        var speed = _request!.Speed;
        _virtualTime = double.IsPositiveInfinity(speed) ? DateTime.MaxValue
            : _virtualTime + TimeSpan.FromTicks((long)Math.Min(elapsed.Ticks * speed, TimeSpan.FromDays(3650).Ticks));
        try
        {
            await PublishDueAsync();
        }
        catch (Exception ex) when (ex is not (IOException or InvalidDataException))
        {
            _error = ex.Message;
            ReplayLog.PublishFailed(logger, ex, Name);
        }
        catch (Exception ex)
        {
            // A file that cannot be read at all (not one bad row): the replay cannot go on.
            _error = ex.Message;
            _state = "failed";
            StopTimer();
            ReplayLog.FileUnreadable(logger, ex, Name);
        }
    }

    private async Task PublishDueAsync()
    {
        var market = GrainFactory.GetGrain<IMarketSourceGrain>("replay:" + Name);
        var text = GrainFactory.GetGrain<ITextSourceGrain>("replay:" + Name);
        var shift = _loopShift * _loop;
        var watch = Stopwatch.StartNew();
        while (_pending is { } next && next.Time + shift <= _virtualTime && watch.Elapsed < TurnBudget)
        {
            var bars = new List<DailyBar>();
            var posts = new List<TextPost>();
            var ticks = new List<MarketTick>();
            while (_pending is { } e && e.Time + shift <= _virtualTime && bars.Count + posts.Count + ticks.Count < ChunkSize)
            {
                if (e.Bar is { } bar) bars.Add(_loop == 0 ? bar : bar with { Date = bar.Date.AddDays((int)shift.TotalDays) });
                else if (e.Post is { } post) posts.Add(_loop == 0 ? post : post with { Time = post.Time + shift, Id = $"{post.Id}~{_loop}" });
                else if (e.Tick is { } tick) ticks.Add(_loop == 0 ? tick : tick with { Time = tick.Time + shift });
                _lastTime = e.Time;
                _pending = _events!.MoveNext() ? _events.Current : null;
            }
            // Texts first, so a close's sentiment read already sees the posts that came before it.
            if (posts.Count > 0) await text.IngestAsync(posts);
            if (bars.Count > 0) await market.IngestBarsAsync(bars);
            if (ticks.Count > 0) await market.IngestTicksAsync(ticks);
            var n = bars.Count + posts.Count + ticks.Count;
            _published += n;
            _publishedThisLoop += n;
        }
        await AdvanceClockAsync(market, shift);
        if (_pending is null && _state == "running") EndOfData();
    }

    /// <summary>
    /// Once per replayed UTC day: tells the tickers the replay's time (everything before it has been published), so that
    /// what they do by the clock — issue the next day's predictions at 00:00 UTC — happens at the replay's speed instead
    /// of waiting for their next event.
    /// </summary>
    private async Task AdvanceClockAsync(IMarketSourceGrain market, TimeSpan shift)
    {
        if (_virtualTime == DateTime.MaxValue) return; // as fast as possible: there is no clock to follow
        var clock = _pending is { } next && next.Time + shift <= _virtualTime
            ? next.Time + shift - TimeSpan.FromTicks(1) // this turn's budget ran out before the virtual time
            : _virtualTime;
        if (clock.Date <= _lastClockDay) return;
        _lastClockDay = clock.Date;
        await market.AdvanceClockAsync(clock);
    }

    private DateTime _lastClockDay = DateTime.MinValue;

    private void EndOfData()
    {
        _total = _publishedThisLoop;
        if (_request!.Loop)
        {
            _loop++;
            if (_loop == 1) _loopShift = TimeSpan.FromDays(Math.Ceiling(((_lastTime - _firstTime).TotalDays + 1) / 7) * 7);
            OpenTimeline();
            ReplayLog.LoopStarting(logger, Name, _loop, (_loopShift * _loop).TotalDays);
            return;
        }
        _state = "finished";
        StopTimer();
        ReplayLog.Finished(logger, Name, _published,
            _rowsRejected.Count == 0 ? "none" : string.Join(", ", _rowsRejected.Select(kv => $"{kv.Key} = {kv.Value}")));
    }

    private void StopTimer()
    {
        _timer?.Dispose();
        _timer = null;
    }
}

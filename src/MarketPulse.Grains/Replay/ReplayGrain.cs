using MarketPulse.Abstractions.Ingestion;
using MarketPulse.Abstractions.Market;
using MarketPulse.Abstractions.Sentiment;
using MarketPulse.Ingestion.Replay;
using MarketPulse.Ingestion.StockNet;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Replay;

/// <summary>
/// Replays a StockNet-layout directory on an accelerated clock: the virtual time advances by <c>speed</c> seconds per
/// real second, and everything up to it goes to the <c>replay:&lt;name&gt;</c> source grains, which validate and
/// publish it like any other source. The first <c>warmUp</c> of history is sent at once so indicators are ready.
/// With <c>loop</c>, the data set starts again shifted by whole weeks, with fresh post ids, so the dashboard stays alive.
/// </summary>
public sealed class ReplayGrain(ILogger<ReplayGrain> logger) : Grain, IReplayGrain
{
    private const int ChunkSize = 2000;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    private List<ReplayEvent> _events = [];
    private ReplayRequest? _request;
    private int _next;
    private int _loop;
    private TimeSpan _loopShift;
    private DateTime _virtualTime;
    private DateTime _lastWall;
    private long _published;
    private string _state = "idle";
    private string? _error;
    private IGrainTimer? _timer;

    private string Name => this.GetPrimaryKeyString();

    public bool Loop { get; private set; }

    public async Task<ReplayStatus> StartAsync(ReplayRequest request)
    {
        if (request.Speed <= 0) throw new ArgumentOutOfRangeException(nameof(request), "speed must be > 0");
        _timer?.Dispose();
        _request = request;
        var reader = new StockNetReader(request.Path);
        var rejectedRows = 0;
        reader.RowRejected += (file, line, reason) =>
        {
            if (rejectedRows++ < 20) logger.LogWarning("Replay {Name}: skipped {File}:{Line}: {Reason}", Name, file, line, reason);
        };
        _events = ReplayTimeline.LoadStockNet(reader, request.Symbols);
        if (rejectedRows > 0) logger.LogWarning("Replay {Name}: {Count} rows skipped in total", Name, rejectedRows);
        _next = 0;
        _loop = 0;
        _published = 0;
        _error = null;
        Loop = request.Loop;
        if (_events.Count == 0)
        {
            _state = "empty";
            return await GetStatusAsync();
        }
        var span = _events[^1].Time - _events[0].Time;
        _loopShift = TimeSpan.FromDays(Math.Ceiling((span.TotalDays + 1) / 7) * 7);
        _virtualTime = _events[0].Time + request.WarmUp;
        _lastWall = DateTime.UtcNow;
        _state = "running";
        logger.LogInformation("Replay {Name}: {Count} events from {Path} at {Speed}x, warm-up {WarmUp}", Name, _events.Count, request.Path, request.Speed, request.WarmUp);
        await PublishDueAsync();
        _timer = this.RegisterGrainTimer(TickAsync, Step, Step);
        return await GetStatusAsync();
    }

    public Task StopAsync()
    {
        _timer?.Dispose();
        _timer = null;
        _state = "stopped";
        return Task.CompletedTask;
    }

    public Task<ReplayStatus> GetStatusAsync() => Task.FromResult(new ReplayStatus(Name, _state, _request?.Path, _request?.Speed ?? 0,
        _state == "idle" ? null : _virtualTime, _published, _events.Count, _error));

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var elapsed = now - _lastWall;
        _lastWall = now;
        _virtualTime += TimeSpan.FromTicks((long)Math.Min(elapsed.Ticks * _request!.Speed, TimeSpan.FromDays(3650).Ticks));
        try
        {
            await PublishDueAsync();
        }
        catch (Exception ex)
        {
            _error = ex.Message;
            logger.LogError(ex, "Replay {Name} failed to publish; will retry on the next step", Name);
        }
    }

    private async Task PublishDueAsync()
    {
        var market = GrainFactory.GetGrain<IMarketSourceGrain>("replay:" + Name);
        var text = GrainFactory.GetGrain<ITextSourceGrain>("replay:" + Name);
        var shift = _loopShift * _loop;
        while (true)
        {
            var bars = new List<DailyBar>();
            var posts = new List<TextPost>();
            var end = _next;
            while (end < _events.Count && _events[end].Time + shift <= _virtualTime && bars.Count + posts.Count < ChunkSize)
            {
                var e = _events[end++];
                if (e.Bar is { } bar) bars.Add(_loop == 0 ? bar : bar with { Date = bar.Date.AddDays((int)shift.TotalDays) });
                else if (e.Post is { } post) posts.Add(_loop == 0 ? post : post with { Time = post.Time + shift, Id = $"{post.Id}~{_loop}" });
            }
            if (end == _next) break;
            // Texts first, so a close's sentiment read already sees the posts that came before it.
            if (posts.Count > 0) await text.IngestAsync(posts);
            if (bars.Count > 0) await market.IngestBarsAsync(bars);
            _published += end - _next;
            _next = end;
        }
        if (_next >= _events.Count)
        {
            if (Loop)
            {
                _loop++;
                _next = 0;
                logger.LogInformation("Replay {Name}: starting loop {Loop}, times shifted by {Days} days", Name, _loop, (_loopShift * _loop).TotalDays);
            }
            else if (_state == "running")
            {
                _state = "finished";
                _timer?.Dispose();
                _timer = null;
                logger.LogInformation("Replay {Name}: finished after {Count} events", Name, _published);
            }
        }
    }
}

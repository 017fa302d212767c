namespace MarketPulse.Grains.Market;

/// <summary>
/// A ticker's view of its feed's clock: the last event time (or the source's last clock batch, if later) plus the wall
/// time since it arrived. For a live feed that is the wall clock; for a replay it is the replay's own (accelerated)
/// time, so timers by this clock neither fire early nor wait for days.
/// </summary>
internal sealed class FeedClock(TimeProvider time, DateTime? lastEvent)
{
    private DateTime? _lastEvent = lastEvent;
    private DateTime? _sourceClock;
    private DateTime _arrivedWall = time.GetUtcNow().UtcDateTime;

    public DateTime WallNow => time.GetUtcNow().UtcDateTime;

    /// <summary>The feed's time at the last arrival: its last event, or its last clock batch if that is later.</summary>
    public DateTime? FeedTime => _lastEvent is { } t ? (_sourceClock > t ? _sourceClock : t) : _sourceClock;

    public DateTime Now => FeedTime is { } t ? t + (WallNow - _arrivedWall) : WallNow;

    /// <summary>A batch with events arrived; the newest of them is <paramref name="lastEvent"/>.</summary>
    public void Arrived(DateTime? lastEvent)
    {
        _lastEvent = lastEvent;
        _arrivedWall = WallNow;
    }

    /// <summary>A clock-only batch: the source's time moved on without an event here. False when it is not newer.</summary>
    public bool Advance(DateTime clock)
    {
        if (_sourceClock is { } known && clock <= known) return false;
        _sourceClock = clock;
        _arrivedWall = WallNow;
        return true;
    }
}

/// <summary>
/// A one-shot grain timer due at a time by the <see cref="FeedClock"/>, for one key (the day it closes, the basis day of
/// a call). Re-arming with the same key keeps it, unless <paramref name="followClock"/> and the feed's clock has jumped
/// (a replay, a feed catching up) so that the wall time it is due at moved by a second or more.
/// </summary>
internal sealed class FeedTimer<TKey>(IGrainBase grain, FeedClock clock, Func<CancellationToken, Task> callback, bool followClock)
    where TKey : struct
{
    private IGrainTimer? _timer;
    private TKey? _key;
    private DateTime _wallDue;

    /// <summary>Arms for <paramref name="key"/> at <paramref name="dueFeedTime"/>; disarms with a null key.</summary>
    public void Arm(TKey? key, DateTime? dueFeedTime)
    {
        var now = clock.Now;
        var due = dueFeedTime is { } d && d > now ? d - now : TimeSpan.Zero;
        var wallDue = clock.WallNow + due;
        if (_timer is not null && Equals(key, _key) && (!followClock || (wallDue - _wallDue).Duration() < TimeSpan.FromSeconds(1))) return;
        Disarm();
        _key = key;
        if (key is null || dueFeedTime is null) return;
        _wallDue = wallDue;
        _timer = grain.RegisterGrainTimer(callback, due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Call first thing when it fires.</summary>
    public void Disarm()
    {
        _timer?.Dispose();
        _timer = null;
        _key = null;
    }
}

/// <summary>The ids of the most recent applied batches: a durable stream may deliver a batch again.</summary>
internal sealed class RecentBatches(List<Guid> kept, int capacity)
{
    private HashSet<Guid>? _set;

    /// <summary>False for a batch already applied; remembers the id otherwise (an empty id is never remembered).</summary>
    public bool FirstDelivery(Guid batchId)
    {
        if (batchId == Guid.Empty) return true;
        _set ??= [.. kept];
        if (!_set.Add(batchId)) return false;
        kept.Add(batchId);
        if (kept.Count > capacity)
        {
            _set.Remove(kept[0]);
            kept.RemoveAt(0);
        }
        return true;
    }
}

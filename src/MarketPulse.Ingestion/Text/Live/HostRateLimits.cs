using System.Threading.RateLimiting;

namespace MarketPulse.Ingestion.Text.Live;

/// <summary>
/// One token bucket per host, shared by every feed on that host, so several EDGAR feeds together stay under the SEC's
/// 10 requests per second. The bucket holds one token, refilled every 1/rate seconds: requests are spaced evenly rather
/// than sent in bursts.
/// </summary>
public sealed class HostRateLimits(IReadOnlyDictionary<string, double> perHost, double defaultPerSecond) : IAsyncDisposable
{
    private readonly Dictionary<string, RateLimiter> _limiters = new(StringComparer.OrdinalIgnoreCase);

    public double RateFor(string host) =>
        perHost.FirstOrDefault(kv => string.Equals(kv.Key, host, StringComparison.OrdinalIgnoreCase)).Value is > 0 and var r ? r : defaultPerSecond;

    public async Task WaitAsync(Uri url, CancellationToken ct)
    {
        RateLimiter limiter;
        lock (_limiters)
        {
            if (!_limiters.TryGetValue(url.Host, out limiter!))
            {
                var rate = Math.Max(0.001, RateFor(url.Host));
                _limiters[url.Host] = limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = 1,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1 / rate),
                    QueueLimit = int.MaxValue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    AutoReplenishment = true,
                });
            }
        }
        using var lease = await limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired) throw new InvalidOperationException($"rate limiter for {url.Host} refused a request");
    }

    public async ValueTask DisposeAsync()
    {
        List<RateLimiter> all;
        lock (_limiters) all = [.. _limiters.Values];
        foreach (var l in all) await l.DisposeAsync();
    }
}

using System.Collections.Concurrent;
using MarketPulse.Abstractions.Security;
using MarketPulse.Server.Hosting;
using Microsoft.Extensions.Options;

namespace MarketPulse.Server.Security;

/// <summary>
/// The gateway's view of the stored keys: a record fetched from the key directory grain is trusted for
/// <see cref="ApiSettings.KeyCacheDuration"/> (so a revocation takes effect within it on every gateway), unknown ids too,
/// so a flood of made-up keys costs one grain call per id and period at most.
/// </summary>
public sealed class ApiKeyStore(IGrainFactory grains, IOptionsMonitor<MarketPulseOptions> options, TimeProvider time)
{
    private const int MaxCached = 100_000;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Record, DateTime FetchedAtUtc)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<ApiKeyRecord?> FindAsync(string id)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_cache.TryGetValue(id, out var hit) && now - hit.FetchedAtUtc < options.CurrentValue.Api.KeyCacheDuration) return hit.Record;
        var record = await grains.GetGrain<IApiKeyDirectoryGrain>(0).FindAsync(id);
        if (_cache.Count >= MaxCached) _cache.Clear();
        _cache[id] = (record, now);
        return record;
    }
}

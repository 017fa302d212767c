using System.Globalization;
using MarketPulse.Abstractions.Security;

namespace MarketPulse.Grains.Security;

/// <summary>
/// Creating, listing and revoking stored API keys against a cluster (what <c>marketpulse keys</c> does). The key is made
/// here, on the caller's machine: only its hash travels to the cluster and is stored.
/// </summary>
public static class ApiKeyAdmin
{
    public const int MaxNameLength = 100;

    /// <summary>Checks the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static (string Name, string Owner, string[] Scopes, DateTime? ExpiresAtUtc) Validate(string name, string owner, string scopes, string? expires, DateTime nowUtc)
    {
        static bool Plain(string s) => s.Length is > 0 and <= MaxNameLength && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@');
        if (!Plain(name)) throw new ArgumentException($"--name: 1 to {MaxNameLength} letters, digits or - _ . @");
        if (!Plain(owner)) throw new ArgumentException($"--owner: 1 to {MaxNameLength} letters, digits or - _ . @");
        var list = scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).Distinct().ToArray();
        if (list.Length == 0 || list.Any(s => !ApiScopes.All.Contains(s)))
            throw new ArgumentException($"--scopes: a comma-separated list of {string.Join(", ", ApiScopes.All)}");
        DateTime? expiry = null;
        if (expires is not null)
        {
            if (expires.Length > 1 && expires[^1] == 'd' && int.TryParse(expires[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is > 0 and <= 3650)
                expiry = nowUtc.AddDays(days);
            else if (DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at.UtcDateTime > nowUtc)
                expiry = at.UtcDateTime;
            else throw new ArgumentException("--expires: a number of days (90d) or a future ISO-8601 time");
        }
        return (name, owner, list, expiry);
    }

    /// <summary>Stores a new key; answers the record and the key, which exists nowhere else afterwards.</summary>
    public static async Task<(ApiKeyRecord Record, string Key)> CreateAsync(IGrainFactory grains, string name, string owner, IReadOnlyList<string> scopes,
        DateTime? expiresAtUtc, DateTime nowUtc)
    {
        var (id, key, hash) = ApiKeyFormat.Create();
        var record = new ApiKeyRecord(id, name, owner, scopes, nowUtc, expiresAtUtc, hash);
        if (await grains.GetGrain<IApiKeyDirectoryGrain>(0).AddAsync(record) is { } error) throw new InvalidOperationException(error);
        return (record, key);
    }

    /// <summary>A record as listed: everything but the hash.</summary>
    public static object Describe(ApiKeyRecord r, DateTime nowUtc) => new
    {
        id = r.Id,
        name = r.Name,
        owner = r.Owner,
        scopes = r.Scopes,
        createdAt = r.CreatedAtUtc,
        expiresAt = r.ExpiresAtUtc,
        revokedAt = r.RevokedAtUtc,
        active = r.IsActive(nowUtc),
    };
}

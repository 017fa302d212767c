using System.Security.Cryptography;
using System.Text;

namespace MarketPulse.Abstractions.Security;

/// <summary>The scopes a principal can hold; <c>admin</c> implies every other one.</summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Ingest = "ingest";
    public const string Alerts = "alerts";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Read, Ingest, Alerts, Admin];
}

/// <summary>
/// A stored API key: who holds it and what it may do. Only the SHA-256 hash of the key's secret is kept; the key itself
/// (<c>mpk_ID_SECRET</c>) is shown once, when it is created.
/// </summary>
[GenerateSerializer, Immutable, Alias("marketpulse.apikey")]
public sealed record ApiKeyRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Owner,
    [property: Id(3)] IReadOnlyList<string> Scopes,
    [property: Id(4)] DateTime CreatedAtUtc,
    [property: Id(5)] DateTime? ExpiresAtUtc,
    [property: Id(6)] byte[] SecretHash,
    [property: Id(7)] DateTime? RevokedAtUtc = null)
{
    public bool IsActive(DateTime nowUtc) => RevokedAtUtc is null && (ExpiresAtUtc is not { } e || e > nowUtc);
}

/// <summary>
/// Key format <c>mpk_ID_SECRET</c>: a random public id (the lookup) and 32 random bytes of secret. The secret has full
/// entropy, so one SHA-256 is enough to store it (a slow password hash defends guessable secrets, which these are not).
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "mpk_";

    public static (string Id, string Key, byte[] SecretHash) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented key; false when it does not have the stored-key shape.</summary>
    public static bool TryParse(string presented, out string id, out string secret)
    {
        id = secret = "";
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200) return false;
        var rest = presented.AsSpan(Prefix.Length);
        var sep = rest.IndexOf('_');
        if (sep != 16 || rest.Length - sep - 1 < 32) return false;
        id = rest[..sep].ToString();
        secret = rest[(sep + 1)..].ToString();
        return id.All(Uri.IsHexDigit);
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(ApiKeyRecord record, string secret) => CryptographicOperations.FixedTimeEquals(record.SecretHash, Hash(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Key 0: every stored API key (hashes only), in the profile's grain storage so every gateway of a cluster sees them.</summary>
public interface IApiKeyDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Stores the record; an error (duplicate id, limit) instead of the record when not stored.</summary>
    Task<string?> AddAsync(ApiKeyRecord record);

    [ReadOnly]
    Task<IReadOnlyList<ApiKeyRecord>> ListAsync();

    [ReadOnly]
    Task<ApiKeyRecord?> FindAsync(string id);

    /// <summary>Marks the key revoked (kept for the audit trail); false when no key has that id.</summary>
    Task<bool> RevokeAsync(string id, DateTime atUtc);
}

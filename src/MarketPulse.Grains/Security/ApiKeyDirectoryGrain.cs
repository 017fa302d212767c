using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Security;

namespace MarketPulse.Grains.Security;

[GenerateSerializer, Alias("marketpulse.apikeydirectorystate")]
public sealed class ApiKeyDirectoryState
{
    [Id(0)] public Dictionary<string, ApiKeyRecord> Keys { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Every stored API key, by id; the secrets' hashes only.</summary>
public sealed class ApiKeyDirectoryGrain(
    [PersistentState("apikeys", MarketPulseNames.GrainStorage)] IPersistentState<ApiKeyDirectoryState> state)
    : Grain, IApiKeyDirectoryGrain
{
    public const int MaxKeys = 10_000;

    public async Task<string?> AddAsync(ApiKeyRecord record)
    {
        if (state.State.Keys.ContainsKey(record.Id)) return $"id: a key with id '{record.Id}' exists";
        if (state.State.Keys.Count >= MaxKeys) return $"limit: at most {MaxKeys} keys";
        state.State.Keys[record.Id] = record;
        await state.WriteStateAsync();
        return null;
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync() =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>(state.State.Keys.Values.OrderBy(k => k.CreatedAtUtc).ToList());

    public Task<ApiKeyRecord?> FindAsync(string id) => Task.FromResult(state.State.Keys.GetValueOrDefault(id));

    public async Task<bool> RevokeAsync(string id, DateTime atUtc)
    {
        if (!state.State.Keys.TryGetValue(id, out var key)) return false;
        if (key.RevokedAtUtc is null)
        {
            state.State.Keys[id] = key with { RevokedAtUtc = atUtc };
            await state.WriteStateAsync();
        }
        return true;
    }
}

namespace MarketPulse.Abstractions.Alerts;

/// <summary>Key 0: every alert rule, persisted in grain storage. The per-symbol watch grains load their rules from here.</summary>
public interface IAlertDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds the rule unless a limit is reached (then <see cref="AlertAddResult.Error"/> says which).</summary>
    Task<AlertAddResult> AddAsync(AlertRule rule);

    /// <summary>False when no rule has that id.</summary>
    Task<bool> RemoveAsync(string id);

    [ReadOnly]
    Task<IReadOnlyList<AlertRuleStatus>> ListAsync(string? symbol);

    [ReadOnly]
    Task<AlertRuleStatus?> GetAsync(string id);

    /// <summary>
    /// Interleaves with everything: a watch grain activated by this grain's own rule-change call asks for its rules,
    /// and that must not wait for the call that activated it.
    /// </summary>
    [AlwaysInterleave]
    Task<RuleSet> GetRulesForSymbolAsync(string symbol);

    /// <summary>Called by a watch grain when one of its rules fired; one-way so that the two grains never wait on each other.</summary>
    [OneWay]
    Task RecordFiredAsync(string id, DateTime firedAtUtc, double value);
}

[GenerateSerializer, Immutable, Alias("marketpulse.alertaddresult")]
public sealed record AlertAddResult([property: Id(0)] AlertRuleStatus? Added, [property: Id(1)] string? Error);

/// <summary>A symbol's rules at a directory version (later versions win).</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.alertruleset")]
public sealed record RuleSet([property: Id(0)] long Version, [property: Id(1)] IReadOnlyList<AlertRule> Rules);

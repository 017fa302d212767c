using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Alerts;

namespace MarketPulse.Grains.Alerts;

[GenerateSerializer, Alias("marketpulse.alertdirectorystate")]
public sealed class AlertDirectoryState
{
    [Id(0)] public Dictionary<string, AlertRuleStatus> Rules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bumped at every change, so a watch grain can ignore an older rule set that arrives late.</summary>
    [Id(1)] public long Version { get; set; }
}

/// <summary>Every alert rule (persisted); tells each symbol's watch grain its rules whenever they change.</summary>
public sealed class AlertDirectoryGrain(
    [PersistentState("alerts", MarketPulseNames.GrainStorage)] IPersistentState<AlertDirectoryState> state)
    : Grain, IAlertDirectoryGrain
{
    public const int MaxRulesPerSymbol = 100;
    public const int MaxRules = 10_000;

    /// <summary>So that one principal cannot use up the whole directory.</summary>
    public const int MaxRulesPerOwner = 1_000;

    public async Task<AlertAddResult> AddAsync(AlertRule rule)
    {
        var rules = state.State.Rules;
        if (rules.ContainsKey(rule.Id)) return new AlertAddResult(null, $"id: a rule with id '{rule.Id}' exists");
        if (rules.Count >= MaxRules) return new AlertAddResult(null, $"limit: at most {MaxRules} alert rules in all");
        if (rules.Values.Count(r => r.Rule.Owner == rule.Owner) >= MaxRulesPerOwner)
            return new AlertAddResult(null, $"limit: at most {MaxRulesPerOwner} alert rules per principal");
        if (rules.Values.Count(r => r.Rule.Symbol == rule.Symbol) >= MaxRulesPerSymbol)
            return new AlertAddResult(null, $"limit: at most {MaxRulesPerSymbol} alert rules per symbol");
        var status = new AlertRuleStatus(rule, 0, null, null);
        rules[rule.Id] = status;
        state.State.Version++;
        await state.WriteStateAsync();
        await NotifyWatchAsync(rule.Symbol);
        return new AlertAddResult(status, null);
    }

    public async Task<bool> RemoveAsync(string id)
    {
        if (!state.State.Rules.Remove(id, out var removed)) return false;
        state.State.Version++;
        await state.WriteStateAsync();
        await NotifyWatchAsync(removed.Rule.Symbol);
        return true;
    }

    public Task<IReadOnlyList<AlertRuleStatus>> ListAsync(string? symbol)
    {
        IReadOnlyList<AlertRuleStatus> list = state.State.Rules.Values
            .Where(r => symbol is null || r.Rule.Symbol == symbol)
            .OrderBy(r => r.Rule.CreatedAtUtc).ThenBy(r => r.Rule.Id, StringComparer.Ordinal).ToList();
        return Task.FromResult(list);
    }

    public Task<AlertRuleStatus?> GetAsync(string id) => Task.FromResult(state.State.Rules.GetValueOrDefault(id));

    public Task<RuleSet> GetRulesForSymbolAsync(string symbol) => Task.FromResult(RulesFor(symbol));

    public async Task RecordFiredAsync(string id, DateTime firedAtUtc, double value)
    {
        if (!state.State.Rules.TryGetValue(id, out var status)) return;
        state.State.Rules[id] = status with { TimesFired = status.TimesFired + 1, LastFiredAtUtc = firedAtUtc, LastValue = value };
        await state.WriteStateAsync();
    }

    private RuleSet RulesFor(string symbol) =>
        new(state.State.Version, state.State.Rules.Values.Select(r => r.Rule).Where(r => r.Symbol == symbol).ToList());

    private Task NotifyWatchAsync(string symbol) => GrainFactory.GetGrain<ISymbolWatchGrain>(symbol).SetRulesAsync(RulesFor(symbol));
}

using System.Diagnostics;
using MarketPulse.Abstractions;
using MarketPulse.Abstractions.Alerts;
using MarketPulse.Abstractions.Realtime;
using MarketPulse.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Alerts;

[GenerateSerializer, Alias("marketpulse.symbolwatchstate")]
public sealed class SymbolWatchState
{
    /// <summary>Per rule id: what was seen last, so a rule fires once per crossing even across reactivations.</summary>
    [Id(0)] public Dictionary<string, RuleWatch> Rules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The last closed day handed to the history store.</summary>
    [Id(1)] public DateOnly? HistoryDay { get; set; }
}

/// <summary>
/// One per symbol. Its ticker tells it about every applied batch and its sentiment grain about every new score; it
/// evaluates the symbol's alert rules on those values, hands the ticker update and any alerts to this silo's push
/// notifier (SignalR) and the alerts with a webhook to the webhook dispatcher.
/// </summary>
public sealed class SymbolWatchGrain(
    [PersistentState("alertwatch", MarketPulseNames.GrainStorage)] IPersistentState<SymbolWatchState> state,
    WebhookDispatcher webhooks,
    History.HistoryRecorder history,
    PipelineMetrics metrics,
    TimeProvider time,
    ILogger<SymbolWatchGrain> logger,
    IHostApplicationLifetime lifetime)
    : Grain, ISymbolWatchGrain
{
    private RuleSet _rules = new(-1, []);

    private string Symbol => this.GetPrimaryKeyString();

    // Resolved once: GetGrain resolves the interface's grain type from its name on every call, and the notifier is
    // called for every batch the ticker applies.
    private IPushNotifierGrain Notifier => field ??= GrainFactory.GetGrain<IPushNotifierGrain>(0);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Apply(await GrainFactory.GetGrain<IAlertDirectoryGrain>(0).GetRulesForSymbolAsync(Symbol));
    }

    public Task SetRulesAsync(RuleSet rules)
    {
        Apply(rules);
        return Task.CompletedTask;
    }

    public async Task OnTickerChangedAsync(TickerUpdate update)
    {
        using var activity = StartActivity("marketpulse.watch.ticker", update.TraceParent);
        var fired = new List<AlertNotification>();
        var marketTime = update.Ticker.LastTime;
        foreach (var rule in _rules.Rules)
        {
            var watch = WatchFor(rule.Id);
            if (AlertEvaluator.IsPriceKind(rule.Kind) && update.Ticker.LastPrice is { } price)
            {
                if (AlertEvaluator.Threshold(rule, watch, price, out var previous))
                    fired.Add(Notification(rule, price, previous, marketTime, update.TraceParent));
            }
            else if (AlertEvaluator.IsForecastKind(rule.Kind) && update.Forecast is { } forecast)
            {
                // The same forecast rides on every later ticker update; the rule fires once, when its condition starts to hold.
                var value = AlertEvaluator.ForecastValue(rule.Kind, forecast);
                if (AlertEvaluator.Threshold(rule, watch, value, out var previous))
                    fired.Add(Notification(rule, value, previous, marketTime, update.TraceParent));
            }
            else if (rule.Kind == AlertKinds.PredictionFlip && update.Ensemble is { } call)
            {
                if (AlertEvaluator.Flip(watch, call.Direction, out var previous) && previous is not null)
                    fired.Add(Notification(rule, call.ProbabilityUp, null, marketTime, update.TraceParent,
                        $"{rule.Symbol} ensemble call flipped from {previous} to {call.Direction} (P(up) = {call.ProbabilityUp:0.###})"));
            }
        }
        var notifier = Notifier;
        // While the host stops, the silo refuses messages even to its local push notifier (an error per push in the
        // log), and gateways are going away: the last updates of batches still in flight are not pushed.
        if (!lifetime.ApplicationStopping.IsCancellationRequested) await notifier.PushTickerAsync(update);
        await DeliverAsync(notifier, fired);
        if (history.Enabled && update.Ticker.LastClosedDay is { } closed && (state.State.HistoryDay is not { } last || closed > last))
            await RecordHistoryAsync(closed);
    }

    /// <summary>
    /// A day closed: the ticker's daily bars since the last recorded one, and the ensemble's predictions of the last
    /// week (those just issued and those just scored) go to the history store. Upserts make repeats harmless.
    /// </summary>
    private async Task RecordHistoryAsync(DateOnly closed)
    {
        var from = state.State.HistoryDay?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var bars = await GrainFactory.GetGrain<Abstractions.Market.ITickerGrain>(Symbol).GetBarsAsync("1d", from, null);
        var predictions = await GrainFactory.GetGrain<Abstractions.Ensemble.IEnsembleGrain>(Symbol)
            .GetPredictionsAsync(closed.AddDays(-7).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), null, null);
        history.Enqueue(Symbol, bars.Where(b => b.TradingDay <= closed).ToList(), predictions);
        state.State.HistoryDay = closed;
        await state.WriteStateAsync();
    }

    public async Task OnSentimentChangedAsync(double score, DateTime? asOfUtc)
    {
        var fired = new List<AlertNotification>();
        foreach (var rule in _rules.Rules)
        {
            if (!AlertEvaluator.IsSentimentKind(rule.Kind)) continue;
            if (AlertEvaluator.Threshold(rule, WatchFor(rule.Id), score, out var previous))
                fired.Add(Notification(rule, score, previous, asOfUtc, Activity.Current?.Id));
        }
        await DeliverAsync(Notifier, fired);
    }

    private void Apply(RuleSet rules)
    {
        if (rules.Version < _rules.Version) return;
        _rules = rules;
        var ids = rules.Rules.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in state.State.Rules.Keys.Where(k => !ids.Contains(k)).ToList()) state.State.Rules.Remove(gone);
    }

    private RuleWatch WatchFor(string id)
    {
        if (!state.State.Rules.TryGetValue(id, out var w)) state.State.Rules[id] = w = new RuleWatch();
        return w;
    }

    private async Task DeliverAsync(IPushNotifierGrain notifier, List<AlertNotification> fired)
    {
        if (fired.Count == 0) return;
        var directory = GrainFactory.GetGrain<IAlertDirectoryGrain>(0);
        foreach (var alert in fired)
        {
            metrics.AlertFired(alert.Kind);
            AlertsLog.AlertFired(logger, alert.RuleId, alert.Message);
            await directory.RecordFiredAsync(alert.RuleId, alert.FiredAtUtc, alert.Value);
            if (alert.WebhookUrl is not null) webhooks.Enqueue(alert, _rules.Rules.FirstOrDefault(r => r.Id == alert.RuleId)?.WebhookSecret);
        }
        if (!lifetime.ApplicationStopping.IsCancellationRequested) await notifier.PushAlertsAsync(fired);
        // Written only when something fired: the armed/active flags between firings are cheap to re-learn.
        await state.WriteStateAsync();
    }

    private AlertNotification Notification(AlertRule rule, double value, double? previous, DateTime? marketTime, string? traceParent,
        string? message = null) =>
        new(Guid.NewGuid().ToString("n"), rule.Id, rule.Symbol, rule.Kind, rule.Threshold, value, previous,
            message ?? AlertEvaluator.Describe(rule, value), time.GetUtcNow().UtcDateTime, marketTime, rule.WebhookUrl, traceParent, rule.Owner);

    /// <summary>An activity continuing the ingest request's trace across the stream hop (streams do not carry it).</summary>
    internal static Activity? StartActivity(string name, string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? PipelineMetrics.ActivitySource.StartActivity(name, ActivityKind.Internal, parent)
            : PipelineMetrics.ActivitySource.StartActivity(name);
}

namespace MarketPulse.Abstractions.Alerts;

/// <summary>The kinds of alert rule (the strings the REST API accepts).</summary>
public static class AlertKinds
{
    public const string PriceAbove = "price-above";
    public const string PriceBelow = "price-below";
    public const string SentimentAbove = "sentiment-above";
    public const string SentimentBelow = "sentiment-below";
    public const string PredictionFlip = "prediction-flip";

    /// <summary>The next day's 80 % expected move (half the band's width, in percent of the price) is above the threshold.</summary>
    public const string ExpectedMoveAbove = "expected-move-above";

    /// <summary>The next day's volume forecast is more than threshold × the mean volume of the last 22 trading days.</summary>
    public const string VolumeSpike = "volume-spike";

    public static readonly IReadOnlyList<string> All = [PriceAbove, PriceBelow, SentimentAbove, SentimentBelow, PredictionFlip, ExpectedMoveAbove, VolumeSpike];

    public static bool HasThreshold(string kind) => kind != PredictionFlip;
}

/// <summary>An alert rule: a threshold on a ticker's price, sentiment, expected move or volume forecast, or any flip of its ensemble call.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.alertrule")]
public sealed record AlertRule(
    [property: Id(0)] string Id,
    [property: Id(1)] string Symbol,
    [property: Id(2)] string Kind,
    [property: Id(3)] double? Threshold,
    [property: Id(4)] string? WebhookUrl,
    [property: Id(5)] string? Name,
    [property: Id(6)] string Owner,
    [property: Id(7)] DateTime CreatedAtUtc,
    [property: Id(8)] string? WebhookSecret = null);

/// <summary>A rule as the API lists it, with how often and when it last fired.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.alertrulestatus")]
public sealed record AlertRuleStatus(
    [property: Id(0)] AlertRule Rule,
    [property: Id(1)] long TimesFired,
    [property: Id(2)] DateTime? LastFiredAtUtc,
    [property: Id(3)] double? LastValue);

/// <summary>One firing of a rule, as pushed to SignalR clients and POSTed to the rule's webhook.</summary>
[GenerateSerializer, Immutable, Alias("marketpulse.alertnotification")]
public sealed record AlertNotification(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string RuleId,
    [property: Id(2)] string Symbol,
    [property: Id(3)] string Kind,
    [property: Id(4)] double? Threshold,
    [property: Id(5)] double Value,
    [property: Id(6)] double? PreviousValue,
    [property: Id(7)] string Message,
    [property: Id(8)] DateTime FiredAtUtc,
    [property: Id(9)] DateTime? MarketTimeUtc,
    [property: Id(10)] string? WebhookUrl,
    [property: Id(11)] string? TraceParent,
    [property: Id(12)] string? Owner = null);

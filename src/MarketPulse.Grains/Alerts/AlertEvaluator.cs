using MarketPulse.Abstractions.Alerts;

namespace MarketPulse.Grains.Alerts;

/// <summary>What a watch grain remembers per rule between observations.</summary>
[GenerateSerializer, Alias("marketpulse.alertrulewatch")]
public sealed class RuleWatch
{
    /// <summary>The threshold condition held at the last observation (a rule fires on the way in, re-arms on the way out).</summary>
    [Id(0)] public bool Active { get; set; }

    /// <summary>The last ensemble direction seen, for flips.</summary>
    [Id(1)] public string? LastDirection { get; set; }

    [Id(2)] public double? LastValue { get; set; }
}

/// <summary>
/// Pure alert semantics, kept apart from the grain so they can be tested directly. A threshold rule fires when its
/// condition becomes true (including on the first observation after the rule was created, if it already holds) and
/// fires again only after the condition has been false in between; a flip rule fires when the ensemble's call changes
/// between "up" and "down".
/// </summary>
public static class AlertEvaluator
{
    public static bool IsPriceKind(string kind) => kind is AlertKinds.PriceAbove or AlertKinds.PriceBelow;

    public static bool IsSentimentKind(string kind) => kind is AlertKinds.SentimentAbove or AlertKinds.SentimentBelow;

    public static bool IsForecastKind(string kind) => kind is AlertKinds.ExpectedMoveAbove or AlertKinds.VolumeSpike;

    /// <summary>The value a forecast rule watches: the 80 % expected move in percent, or the volume forecast's ratio to the 22-day mean.</summary>
    public static double ForecastValue(string kind, Abstractions.Forecasts.ForecastDto forecast) =>
        kind == AlertKinds.ExpectedMoveAbove ? 100 * forecast.ExpectedMove80 : forecast.VolumeRatio;

    /// <summary>Applies one observed value to a threshold rule; returns true when the rule fires.</summary>
    public static bool Threshold(AlertRule rule, RuleWatch watch, double value, out double? previous)
    {
        previous = watch.LastValue;
        watch.LastValue = value;
        if (!double.IsFinite(value) || rule.Threshold is not { } t) return false;
        var holds = rule.Kind is AlertKinds.PriceAbove or AlertKinds.SentimentAbove or AlertKinds.ExpectedMoveAbove or AlertKinds.VolumeSpike
            ? value > t : value < t;
        var fires = holds && !watch.Active;
        watch.Active = holds;
        return fires;
    }

    /// <summary>Applies one ensemble direction to a flip rule; returns true when the call flipped.</summary>
    public static bool Flip(RuleWatch watch, string direction, out string? previous)
    {
        previous = watch.LastDirection;
        if (direction is not ("up" or "down")) return false;
        watch.LastDirection = direction;
        return previous is ("up" or "down") && previous != direction;
    }

    public static string Describe(AlertRule rule, double value) => rule.Kind switch
    {
        AlertKinds.PriceAbove => $"{rule.Symbol} price {value:0.####} is above {rule.Threshold:0.####}",
        AlertKinds.PriceBelow => $"{rule.Symbol} price {value:0.####} is below {rule.Threshold:0.####}",
        AlertKinds.SentimentAbove => $"{rule.Symbol} sentiment {value:0.###} is above {rule.Threshold:0.###}",
        AlertKinds.SentimentBelow => $"{rule.Symbol} sentiment {value:0.###} is below {rule.Threshold:0.###}",
        AlertKinds.ExpectedMoveAbove => $"{rule.Symbol} expected move (80 %) for the next session is ±{value:0.##} %, above {rule.Threshold:0.##} %",
        AlertKinds.VolumeSpike => $"{rule.Symbol} volume forecast for the next session is {value:0.##}× its 22-day average, above {rule.Threshold:0.##}×",
        _ => $"{rule.Symbol} {rule.Kind} at {value:0.####}",
    };
}

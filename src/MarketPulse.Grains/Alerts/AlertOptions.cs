using MarketPulse.Core.Configuration;

namespace MarketPulse.Grains.Alerts;

/// <summary>Settings under <c>MarketPulse:Alerts</c>.</summary>
public sealed class AlertOptions
{
    public const string Section = "MarketPulse:Alerts";

    /// <summary>Retries after the first attempt of a webhook POST (transient failures: network errors, 408, 429, 5xx).</summary>
    [NonNegative] public int WebhookRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    [Positive] public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one attempt.</summary>
    [Positive] public TimeSpan WebhookAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Alerts waiting for delivery in this silo; beyond it new ones are dropped (counted and logged).</summary>
    [Positive] public int WebhookQueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Lets webhooks reach loopback, private, link-local, multicast and metadata addresses (off: such targets are refused
    /// when a rule is created and again, after name resolution, when a delivery connects). For development and tests.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Lets webhooks use plain http (off: https only).</summary>
    public bool AllowHttpTargets { get; set; }
}

using Microsoft.Extensions.Logging;

namespace MarketPulse.Grains.Alerts;

/// <summary>Log messages of the alert grains and the webhook dispatcher. Event ids 1500–1599.</summary>
internal static partial class AlertsLog
{
    [LoggerMessage(1500, LogLevel.Information, "Alert {RuleId} fired: {Message}")]
    public static partial void AlertFired(ILogger logger, string ruleId, string message);

    [LoggerMessage(1501, LogLevel.Error, "Webhook queue full: alert {DeliveryId} for rule {RuleId} dropped")]
    public static partial void WebhookQueueFull(ILogger logger, string deliveryId, string ruleId);

    [LoggerMessage(1502, LogLevel.Warning, "Webhook for rule {RuleId} refused: only https targets are allowed; alert {DeliveryId} not delivered")]
    public static partial void WebhookNotHttps(ILogger logger, string ruleId, string deliveryId);

    [LoggerMessage(1503, LogLevel.Warning, "Webhook for rule {RuleId} answered {Status} after retries; alert {DeliveryId} not delivered")]
    public static partial void WebhookFailedStatus(ILogger logger, string ruleId, int status, string deliveryId);

    [LoggerMessage(1504, LogLevel.Warning, "Webhook for rule {RuleId} refused: {Reason}; alert {DeliveryId} not delivered")]
    public static partial void WebhookTargetRefused(ILogger logger, string ruleId, string reason, string deliveryId);

    [LoggerMessage(1505, LogLevel.Warning, "Webhook for rule {RuleId} failed after retries; alert {DeliveryId} not delivered")]
    public static partial void WebhookFailed(ILogger logger, Exception exception, string ruleId, string deliveryId);
}

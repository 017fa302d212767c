using System.Net.Http.Json;
using System.Threading.Channels;
using MarketPulse.Abstractions.Alerts;
using MarketPulse.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketPulse.Grains.Alerts;

/// <summary>Settings under <c>MarketPulse:Alerts</c>.</summary>
public sealed class AlertOptions
{
    public const string Section = "MarketPulse:Alerts";

    /// <summary>Retries after the first attempt of a webhook POST (transient failures: network errors, 408, 429, 5xx).</summary>
    public int WebhookRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one attempt.</summary>
    public TimeSpan WebhookAttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Alerts waiting for delivery in this silo; beyond it new ones are dropped (counted and logged).</summary>
    public int WebhookQueueCapacity { get; set; } = 10_000;
}

/// <summary>
/// Delivers fired alerts to their webhooks from a background loop, so a slow receiver never holds up a grain.
/// Retries, backoff and per-attempt timeouts come from Microsoft.Extensions.Http.Resilience (Polly) on the named
/// client <see cref="HttpClientName"/>. Delivery is at least once: a receiver deduplicates by the
/// <c>X-MarketPulse-Delivery</c> header.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    public const string HttpClientName = "marketpulse-webhooks";
    public const string DeliveryHeader = "X-MarketPulse-Delivery";

    private readonly Channel<AlertNotification> _queue;
    private readonly IHttpClientFactory _http;
    private readonly PipelineMetrics _metrics;
    private readonly ILogger<WebhookDispatcher> _logger;

    public WebhookDispatcher(IHttpClientFactory http, IOptions<AlertOptions> options, PipelineMetrics metrics, ILogger<WebhookDispatcher> logger)
    {
        _http = http;
        _metrics = metrics;
        _logger = logger;
        _queue = Channel.CreateBounded<AlertNotification>(new BoundedChannelOptions(options.Value.WebhookQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = false,
        });
    }

    public void Enqueue(AlertNotification alert)
    {
        if (_queue.Writer.TryWrite(alert)) return;
        _metrics.WebhookDelivery("dropped");
        _logger.LogError("Webhook queue full: alert {DeliveryId} for rule {RuleId} dropped", alert.DeliveryId, alert.RuleId);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // A few deliveries in parallel, so that one receiver retrying with backoff does not delay everyone else's.
        Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DeliverLoopAsync(stoppingToken)));

    private async Task DeliverLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync(stoppingToken)) await DeliverAsync(alert, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(AlertNotification alert, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, alert.WebhookUrl) { Content = JsonContent.Create(alert) };
            request.Headers.Add(DeliveryHeader, alert.DeliveryId);
            using var response = await _http.CreateClient(HttpClientName).SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                _metrics.WebhookDelivery("delivered");
                return;
            }
            _metrics.WebhookDelivery("failed");
            _logger.LogWarning("Webhook for rule {RuleId} answered {Status} after retries; alert {DeliveryId} not delivered",
                alert.RuleId, (int)response.StatusCode, alert.DeliveryId);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _metrics.WebhookDelivery("failed");
            _logger.LogWarning(ex, "Webhook for rule {RuleId} failed after retries; alert {DeliveryId} not delivered", alert.RuleId, alert.DeliveryId);
        }
    }
}

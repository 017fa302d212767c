using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using MarketPulse.Abstractions.Alerts;
using MarketPulse.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MarketPulse.Grains.Alerts;

/// <summary>
/// Delivers fired alerts to their webhooks from a background loop, so a slow receiver never holds up a grain.
/// Retries, backoff and per-attempt timeouts come from Microsoft.Extensions.Http.Resilience (Polly) on the named
/// client <see cref="HttpClientName"/>. Delivery is at least once: a receiver deduplicates by the
/// <c>X-MarketPulse-Delivery</c> header. Every delivery is signed (<see cref="SignatureHeader"/>, see
/// <see cref="WebhookTargets.Sign"/>) with its rule's secret; the client's handler refuses inside addresses after name
/// resolution and follows no redirects.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    public const string HttpClientName = "marketpulse-webhooks";
    public const string DeliveryHeader = "X-MarketPulse-Delivery";
    public const string SignatureHeader = "X-MarketPulse-Signature";

    private readonly Channel<(AlertNotification Alert, string? Secret)> _queue;
    private readonly AlertOptions _options;
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly IHttpClientFactory _http;
    private readonly PipelineMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;

    public WebhookDispatcher(IHttpClientFactory http, IOptions<AlertOptions> options, PipelineMetrics metrics, TimeProvider time,
        ILogger<WebhookDispatcher> logger)
    {
        _http = http;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _options = options.Value;
        _queue = Channel.CreateBounded<(AlertNotification, string?)>(new BoundedChannelOptions(options.Value.WebhookQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = false,
        });
    }

    /// <summary>Queues a delivery, signed with <paramref name="secret"/> (the rule's; rules from before signing have none).</summary>
    public void Enqueue(AlertNotification alert, string? secret)
    {
        if (_queue.Writer.TryWrite((alert, secret))) return;
        _metrics.WebhookDelivery("dropped");
        AlertsLog.WebhookQueueFull(_logger, alert.DeliveryId, alert.RuleId);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // A few deliveries in parallel, so that one receiver retrying with backoff does not delay everyone else's.
        Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DeliverLoopAsync(stoppingToken)));

    private async Task DeliverLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (alert, secret) in _queue.Reader.ReadAllAsync(stoppingToken)) await DeliverAsync(alert, secret, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(AlertNotification alert, string? secret, CancellationToken ct)
    {
        // Rules made before a setting was tightened are held to today's settings.
        if (alert.WebhookUrl is null || !Uri.TryCreate(alert.WebhookUrl, UriKind.Absolute, out var target)
            || (target.Scheme != Uri.UriSchemeHttps && !_options.AllowHttpTargets))
        {
            _metrics.WebhookDelivery("refused");
            AlertsLog.WebhookNotHttps(_logger, alert.RuleId, alert.DeliveryId);
            return;
        }
        try
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(alert, JsonOptions);
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = content };
            request.Headers.Add(DeliveryHeader, alert.DeliveryId);
            if (secret is not null) request.Headers.Add(SignatureHeader, WebhookTargets.Sign(secret, _time.GetUtcNow().ToUnixTimeSeconds(), body));
            using var response = await _http.CreateClient(HttpClientName).SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
            {
                _metrics.WebhookDelivery("delivered");
                return;
            }
            _metrics.WebhookDelivery("failed");
            AlertsLog.WebhookFailedStatus(_logger, alert.RuleId, (int)response.StatusCode, alert.DeliveryId);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex.InnerException is WebhookTargetRefusedException refused)
        {
            _metrics.WebhookDelivery("refused");
            AlertsLog.WebhookTargetRefused(_logger, alert.RuleId, refused.Message, alert.DeliveryId);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _metrics.WebhookDelivery("failed");
            AlertsLog.WebhookFailed(_logger, ex, alert.RuleId, alert.DeliveryId);
        }
    }
}

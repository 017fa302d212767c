using System.Reflection;
using Azure.Messaging.EventHubs;
using MarketPulse.Abstractions;
using MarketPulse.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace MarketPulse.Server.Tests;

/// <summary>
/// <c>MarketPulse:Streams:Provider=EventHubs</c>: the silo's stream provider built exactly as in Azure (same arguments,
/// same code path), then inspected without starting the silo, so nothing contacts Event Hubs.
/// </summary>
public class EventHubsConfigurationTests
{
    private const string Namespace = "mpdevehabc123.servicebus.windows.net";
    private const string KeyConnection =
        "Endpoint=sb://mpdevehabc123.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=dGVzdGtleXRlc3RrZXl0ZXN0a2V5dGVzdGtleXRlc3Q=";

    private static WebApplication BuildSilo(string eventHubs, params string[] extra) => ServerApp.Build(
    [
        "--MarketPulse:Profile=Cluster", "--MarketPulse:Role=silo", "--urls", "http://127.0.0.1:0",
        "--ConnectionStrings:redis=127.0.0.1:1", $"--ConnectionStrings:eventhubs={eventHubs}",
        "--MarketPulse:Streams:Provider=EventHubs", .. extra,
    ]);

    /// <summary>The provider's internal view of its hub (EventHubOptions keeps hub, group and connection factory internal).</summary>
    private static (string Hub, string ConsumerGroup, EventHubConnection Connection) Hub(EventHubOptions o)
    {
        T Get<T>(string name) => (T)typeof(EventHubOptions).GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(o)!;
        var create = Get<EventHubOptions.CreateConnectionDelegate>("CreateConnection");
        return (Get<string>("EventHubName"), Get<string>("ConsumerGroup"), create(o.ConnectionOptions));
    }

    [Fact]
    public async Task The_Azure_deployment_settings_give_the_hub_the_consumer_group_the_managed_identity_and_grain_checkpoints()
    {
        // What bicep/modules/siloApp.bicep sets with streamsProvider=EventHubs.
        await using var app = BuildSilo(Namespace,
            "--MarketPulse:Streams:EventHubs:Hub=marketpulse", "--MarketPulse:Streams:EventHubs:ConsumerGroup=silos",
            "--MarketPulse:Streams:EventHubs:PrefetchCount=500", "--MarketPulse:Streams:EventHubs:CheckpointInterval=00:00:05");
        var name = MarketPulseNames.StreamProvider;

        var hub = Hub(app.Services.GetRequiredService<IOptionsMonitor<EventHubOptions>>().Get(name));
        Assert.Equal("marketpulse", hub.Hub);
        Assert.Equal("silos", hub.ConsumerGroup);
        await using (hub.Connection)
        {
            Assert.Equal(Namespace, hub.Connection.FullyQualifiedNamespace);
            Assert.Equal("marketpulse", hub.Connection.EventHubName);
            Assert.False(hub.Connection.IsClosed);
        }
        Assert.Equal(EventHubsCredential.ManagedIdentity, EventHubsTarget.Parse(Namespace).Credential);

        var receiver = app.Services.GetRequiredService<IOptionsMonitor<EventHubReceiverOptions>>().Get(name);
        Assert.Equal(500, receiver.PrefetchCount);
        Assert.False(receiver.StartFromNow, "with no checkpoint, read from the oldest retained event");

        // Checkpoints in the grain storage the silo already has (Redis), not in a Storage table.
        var checkpoints = app.Services.GetRequiredService<IOptionsMonitor<GrainStreamQueueCheckpointerOptions>>().Get(name);
        Assert.Equal(MarketPulseNames.PubSubStorage, checkpoints.StorageProviderName);
        Assert.Equal(TimeSpan.FromSeconds(5), checkpoints.PersistInterval);
        Assert.NotNull(checkpoints.CheckpointComparer);
        Assert.Equal("GrainStreamQueueCheckpointerFactory", app.Services.GetRequiredKeyedService<IStreamQueueCheckpointerFactory>(name).GetType().Name);
        Assert.IsType<EventHubAdapterFactory>(app.Services.GetRequiredKeyedService<IQueueAdapterFactory>(name));

        // Orleans' own start-up validators for this provider accept it (they run when a silo starts).
        var validators = app.Services.GetServices<IConfigurationValidator>()
            .Where(v => v is EventHubOptionsValidator or StreamCheckpointerConfigurationValidator).ToList();
        Assert.Equal(2, validators.Count);
        foreach (var v in validators) v.ValidateConfiguration();
    }

    [Fact]
    public async Task A_connection_string_is_used_as_given_and_the_defaults_apply()
    {
        await using var app = BuildSilo(KeyConnection);
        var hub = Hub(app.Services.GetRequiredService<IOptionsMonitor<EventHubOptions>>().Get(MarketPulseNames.StreamProvider));
        Assert.Equal("marketpulse", hub.Hub);
        Assert.Equal("$Default", hub.ConsumerGroup);
        await using (hub.Connection) Assert.Equal(Namespace, hub.Connection.FullyQualifiedNamespace);
        Assert.Equal(EventHubsCredential.ConnectionString, EventHubsTarget.Parse(KeyConnection).Credential);
        var checkpoints = app.Services.GetRequiredService<IOptionsMonitor<GrainStreamQueueCheckpointerOptions>>().Get(MarketPulseNames.StreamProvider);
        Assert.Equal(TimeSpan.FromSeconds(10), checkpoints.PersistInterval);
    }

    [Fact]
    public async Task Readiness_checks_the_event_hub_instead_of_the_queues_and_says_when_it_is_unreachable()
    {
        // Nothing answers for this namespace here: the check must fail within its budget, naming Event Hubs.
        await using var app = BuildSilo(Namespace);
        var health = app.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var report = await health.CheckHealthAsync(r => r.Name is "eventhubs" or "queues");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        var entry = Assert.Single(report.Entries);
        Assert.Equal("eventhubs", entry.Key);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, entry.Value.Status);
        Assert.Equal("Event Hubs not reachable", entry.Value.Description);
    }

    [Theory]
    [InlineData("https://mpdevehabc123.servicebus.windows.net/")]
    [InlineData("sb://mpdevehabc123.servicebus.windows.net")]
    [InlineData(Namespace)]
    public void A_namespace_may_be_given_bare_or_as_a_uri(string value)
    {
        var target = EventHubsTarget.Parse(value);
        Assert.Equal(Namespace, target.FullyQualifiedNamespace);
        Assert.Equal(EventHubsCredential.ManagedIdentity, target.Credential);
    }

    [Fact]
    public void Event_hubs_without_their_connection_names_it_and_no_queue_storage_is_asked_for()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ServerApp.Build(
        [
            "--MarketPulse:Profile=Cluster", "--MarketPulse:Role=silo", "--ConnectionStrings:redis=127.0.0.1:1",
            "--MarketPulse:Streams:Provider=EventHubs", "--urls", "http://127.0.0.1:0",
        ]));
        Assert.Contains("ConnectionStrings:eventhubs", ex.Message);
    }

    [Fact]
    public void A_malformed_namespace_is_refused_at_start_naming_the_setting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => BuildSilo("not a namespace"));
        Assert.Contains("ConnectionStrings:eventhubs", ex.Message);
    }
}

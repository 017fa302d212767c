using System.Net;
using System.Net.Sockets;
using Azure.Messaging.EventHubs;
using MarketPulse.Abstractions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Streams;
using StackExchange.Redis;

namespace MarketPulse.Server.Hosting;

/// <summary>
/// The Cluster profile's providers: Redis membership and grain storage, and durable streams: Azure Queue streams (Azurite
/// on a developer machine or in CI, a Storage account in Azure), or Event Hubs with
/// <c>MarketPulse:Streams:Provider=EventHubs</c>. Connection strings come from the standard <c>ConnectionStrings</c>
/// section: <c>redis</c>, and <c>queues</c> or <c>eventhubs</c>, and <c>postgres</c> for the history store
/// (registered by <see cref="OrleansHosting"/>; without it no history is kept, which the silo logs at start).
/// </summary>
public static class ClusterProviders
{
    public const string RedisConnection = "redis";
    public const string QueuesConnection = "queues";
    public const string PostgresConnection = "postgres";
    public const string EventHubsConnection = "eventhubs";

    public static void UseMarketPulseCluster(this ISiloBuilder silo, IConfiguration configuration, MarketPulseOptions options)
    {
        var o = options.Orleans;
        var redis = Required(configuration, RedisConnection);
        silo.Configure<ClusterOptions>(c => { c.ClusterId = o.ClusterId; c.ServiceId = o.ServiceId; });
        silo.ConfigureEndpoints(AdvertisedAddress(o), o.SiloPort, o.GatewayPort, listenOnAnyHostAddress: true);
        silo.UseRedisClustering(c => c.ConfigurationOptions = RedisOptions(redis));
        silo.AddMarketPulseRedisStorage(redis);
        if (options.Streams.Provider == StreamsProvider.EventHubs)
        {
            silo.AddMarketPulseEventHubStreams(Required(configuration, EventHubsConnection), options.Streams.EventHubs);
            return;
        }
        var queues = Required(configuration, QueuesConnection);
        silo.AddAzureQueueStreams(MarketPulseNames.StreamProvider, streams =>
        {
            streams.ConfigureAzureQueue(q => q.Configure(a =>
            {
                a.QueueServiceClient = QueueClient(queues);
                a.QueueNames = Enumerable.Range(0, options.Streams.Queues).Select(i => $"{o.ServiceId}-{MarketPulseNames.StreamProvider}-{i}").ToList();
                // A message read by a silo that then dies becomes visible again after this, and is delivered by the
                // silo that takes over the queue: that is what makes an acknowledged ingest survive a silo's death.
                a.MessageVisibilityTimeout = options.Streams.VisibilityTimeout;
            }));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            streams.ConfigurePullingAgent(p => p.Configure(a => a.GetQueueMsgsTimerPeriod = options.Streams.PollInterval));
        });
    }

    /// <summary>
    /// Event Hubs streams: one partition receiver per hub partition, shared out among the silos; Orleans' default
    /// Event Hubs data adapter (the batch serialised with Orleans' serializer in the event body, the symbol as the
    /// partition key, so one symbol's batches stay in one partition, in order); read positions checkpointed in the grain
    /// storage the silos already use (Orleans' grain checkpointer: no Storage account for checkpoints).
    /// </summary>
    public static ISiloBuilder AddMarketPulseEventHubStreams(this ISiloBuilder silo, string eventHubs, EventHubsStreamSettings settings)
    {
        var target = EventHubsTarget.Parse(eventHubs);
        silo.AddEventHubStreams(MarketPulseNames.StreamProvider, streams =>
        {
            streams.ConfigureEventHub(b => b.Configure(o =>
                o.ConfigureEventHubConnection(c => target.Connect(settings.Hub, c), settings.Hub, settings.ConsumerGroup)));
            streams.ConfigurePartitionReceiver(b => b.Configure(o =>
            {
                o.StartFromNow = settings.StartFromNow;
                o.PrefetchCount = settings.PrefetchCount;
            }));
            streams.UseGrainCheckpointer(b => b.Configure(o =>
            {
                o.StorageProviderName = MarketPulseNames.PubSubStorage;
                o.PersistInterval = settings.CheckpointInterval;
            }));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        });
        return silo;
    }

    /// <summary>
    /// Grain state and stream pub-sub state in Redis: the Cluster profile's Redis (JSON values, the provider's default:
    /// readable with redis-cli), or the Local profile's embedded store (<paramref name="binary"/>: Orleans' binary
    /// format, several times cheaper to write than JSON for the large states a ticker writes after every batch).
    /// </summary>
    public static ISiloBuilder AddMarketPulseRedisStorage(this ISiloBuilder silo, string redis, bool binary = false)
    {
        foreach (var name in (string[])[MarketPulseNames.GrainStorage, MarketPulseNames.PubSubStorage])
            silo.AddRedisGrainStorage(name, options =>
            {
                options.Configure(s => s.ConfigurationOptions = RedisOptions(redis));
                if (binary) options.Configure<Serializer>((s, serializer) => s.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            });
        return silo;
    }

    public static void UseMarketPulseCluster(this IClientBuilder client, IConfiguration configuration, MarketPulseOptions options)
    {
        var o = options.Orleans;
        var redis = Required(configuration, RedisConnection);
        client.Configure<ClusterOptions>(c => { c.ClusterId = o.ClusterId; c.ServiceId = o.ServiceId; });
        client.UseRedisClustering(c => c.ConfigurationOptions = RedisOptions(redis));
    }

    /// <summary>
    /// A Storage connection string (Azurite, or a key-based account), or a queue endpoint URI such as
    /// <c>https://account.queue.core.windows.net/</c>, used with the managed identity (DefaultAzureCredential, which
    /// picks the user-assigned identity named by AZURE_CLIENT_ID) — what the Bicep deployment sets.
    /// </summary>
    public static Azure.Storage.Queues.QueueServiceClient QueueClient(string queues) =>
        Uri.TryCreate(queues, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && !queues.Contains(';')
            ? new Azure.Storage.Queues.QueueServiceClient(uri, new Azure.Identity.DefaultAzureCredential())
            : new Azure.Storage.Queues.QueueServiceClient(queues);

    private static ConfigurationOptions RedisOptions(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        // Keep retrying while Redis restarts instead of failing the silo on its first blip.
        options.AbortOnConnectFail = false;
        return options;
    }

    private static string Required(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"MarketPulse:Profile=Cluster needs ConnectionStrings:{name} (environment ConnectionStrings__{name}). See docs/operations.md.");

    /// <summary>The configured address, else this host's first IPv4 address, else loopback.</summary>
    private static IPAddress AdvertisedAddress(OrleansSettings o)
    {
        if (!string.IsNullOrWhiteSpace(o.AdvertisedIPAddress))
            return IPAddress.TryParse(o.AdvertisedIPAddress, out var ip) ? ip
                : throw new InvalidOperationException($"MarketPulse:Orleans:AdvertisedIPAddress '{o.AdvertisedIPAddress}' is not an IP address");
        try
        {
            return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
                   ?? IPAddress.Loopback;
        }
        catch (SocketException)
        {
            return IPAddress.Loopback;
        }
    }
}

/// <summary>How the silos reach the Event Hubs namespace.</summary>
public enum EventHubsCredential
{
    /// <summary>A connection string with a shared access key (or the emulator's).</summary>
    ConnectionString,

    /// <summary>The namespace alone, signed in with DefaultAzureCredential (the managed identity in Azure).</summary>
    ManagedIdentity,
}

/// <summary>
/// <c>ConnectionStrings:eventhubs</c>: either a connection string (<c>Endpoint=sb://…;SharedAccessKeyName=…;…</c>), or
/// the namespace's fully-qualified name (<c>ns.servicebus.windows.net</c>, or as a URI), used with DefaultAzureCredential,
/// which picks the user-assigned identity named by AZURE_CLIENT_ID, as the queue client does. The Bicep deployment sets
/// the latter: its namespace has local (key) authentication disabled.
/// </summary>
public sealed record EventHubsTarget(string FullyQualifiedNamespace, EventHubsCredential Credential, string? ConnectionString)
{
    public static EventHubsTarget Parse(string value)
    {
        value = value.Trim();
        if (value.Contains(';'))
        {
            var properties = EventHubsConnectionStringProperties.Parse(value);
            return new EventHubsTarget(properties.FullyQualifiedNamespace, EventHubsCredential.ConnectionString, value);
        }
        var host = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : value.TrimEnd('/');
        if (Uri.CheckHostName(host) != UriHostNameType.Dns || !host.Contains('.'))
            throw new InvalidOperationException(
                $"ConnectionStrings:{ClusterProviders.EventHubsConnection} must be an Event Hubs connection string or a namespace such as 'name.servicebus.windows.net'; got '{host}'.");
        return new EventHubsTarget(host, EventHubsCredential.ManagedIdentity, null);
    }

    private static readonly Lazy<Azure.Identity.DefaultAzureCredential> Identity = new(() => new Azure.Identity.DefaultAzureCredential());

    /// <summary>A connection to <paramref name="hub"/> (created without contacting the service; it connects on first use).</summary>
    public EventHubConnection Connect(string hub, EventHubConnectionOptions options) => Credential == EventHubsCredential.ConnectionString
        ? new EventHubConnection(ConnectionString!, hub, options)
        : new EventHubConnection(FullyQualifiedNamespace, hub, Identity.Value, options);
}

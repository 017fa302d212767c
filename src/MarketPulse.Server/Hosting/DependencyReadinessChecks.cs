using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace MarketPulse.Server.Hosting;

/// <summary>
/// The Cluster profile's dependencies in <c>/health/ready</c>, each a check of its own so the JSON answer says which one
/// is down: Redis (membership, grain state) on every role, the stream queues or the event hub, and PostgreSQL (history) on silos.
/// Two-second budget each; failures say what, never secrets.
/// </summary>
public static class DependencyReadinessChecks
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public static void AddClusterDependencyChecks(this IHealthChecksBuilder health, IConfiguration configuration, MarketPulseOptions options, bool hostsSilo)
    {
        if (options.Profile != DeploymentProfile.Cluster) return;
        if (configuration.GetConnectionString(ClusterProviders.RedisConnection) is { Length: > 0 } redis)
        {
            var connection = new Lazy<Task<ConnectionMultiplexer>>(() =>
            {
                var o = ConfigurationOptions.Parse(redis);
                o.AbortOnConnectFail = false;
                o.ConnectTimeout = (int)Budget.TotalMilliseconds;
                return ConnectionMultiplexer.ConnectAsync(o);
            });
            health.AddAsyncCheck("redis", async ct =>
            {
                try
                {
                    var latency = await (await connection.Value.WaitAsync(Budget, ct)).GetDatabase().PingAsync().WaitAsync(Budget, ct);
                    return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.#} ms");
                }
                catch (Exception ex)
                {
                    return HealthCheckResult.Unhealthy("Redis not reachable", ex);
                }
            }, ["ready"]);
        }
        if (!hostsSilo) return;
        if (options.Streams.Provider == StreamsProvider.AzureQueue
            && configuration.GetConnectionString(ClusterProviders.QueuesConnection) is { Length: > 0 } queues)
        {
            var queue = $"{options.Orleans.ServiceId}-{MarketPulse.Abstractions.MarketPulseNames.StreamProvider}-0";
            health.AddAsyncCheck("queues", async ct =>
            {
                try
                {
                    var exists = await ClusterProviders.QueueClient(queues).GetQueueClient(queue).ExistsAsync(ct).WaitAsync(Budget, ct);
                    return exists.Value ? HealthCheckResult.Healthy($"queue {queue} reachable") : HealthCheckResult.Degraded($"queue {queue} not created yet");
                }
                catch (Exception ex)
                {
                    return HealthCheckResult.Unhealthy("stream queues not reachable", ex);
                }
            }, ["ready"]);
        }
        if (options.Streams.Provider == StreamsProvider.EventHubs
            && configuration.GetConnectionString(ClusterProviders.EventHubsConnection) is { Length: > 0 } eventHubs)
        {
            var hub = options.Streams.EventHubs.Hub;
            // One client for the probe's lifetime: an AMQP connection per probe would cost a handshake every few seconds.
            var client = new Lazy<EventHubProducerClient>(() =>
                new EventHubProducerClient(EventHubsTarget.Parse(eventHubs).Connect(hub, new EventHubConnectionOptions())));
            health.AddAsyncCheck("eventhubs", async ct =>
            {
                try
                {
                    var partitions = await client.Value.GetPartitionIdsAsync(ct).WaitAsync(Budget, ct);
                    return HealthCheckResult.Healthy($"hub {hub} reachable, {partitions.Length} partitions");
                }
                catch (Exception ex)
                {
                    return HealthCheckResult.Unhealthy("Event Hubs not reachable", ex);
                }
            }, ["ready"]);
        }
        // The history store's data source (registered with the silo when a connection string is configured).
        if (configuration.GetConnectionString(ClusterProviders.PostgresConnection) is { Length: > 0 })
            health.AddCheck<PostgresReadyCheck>("postgres", tags: ["ready"]);
    }
}

/// <summary>Ready when <c>SELECT 1</c> answers on the history store's data source within two seconds.</summary>
public sealed class PostgresReadyCheck(Npgsql.NpgsqlDataSource db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = db.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("history store reachable");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("history store (PostgreSQL) not reachable", ex);
        }
    }
}

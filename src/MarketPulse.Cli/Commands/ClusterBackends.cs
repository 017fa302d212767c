using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Azure.Storage.Queues;
using MarketPulse.Abstractions;
using MarketPulse.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;
using StackExchange.Redis;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// The Cluster profile for <c>bench pipeline --profile Cluster</c>: Redis membership and grain storage, Azure Queue
/// streams, with the same provider settings as the service's Cluster profile (<c>ClusterProviders</c> in the server, which
/// the CLI does not reference: the server is a web application). Starts <c>redis-server</c> (Debian's redis-server
/// package) and <c>azurite-queue</c> (npm's azurite) on free loopback ports in a temporary folder, as the server tests'
/// cluster fixture does, unless pointed at running ones; a unique service id keeps its queues apart from anyone else's.
/// </summary>
public sealed class ClusterBackends : IAsyncDisposable
{
    // Azurite's documented development account (public, emulator only).
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const int Queues = 8;

    private readonly List<Process> _processes = [];
    private readonly ConcurrentQueue<string> _output = new();
    private string? _dir;
    private bool _ownQueues;

    public string Redis { get; private set; } = "";
    public string QueueConnection { get; private set; } = "";
    public string ServiceId { get; } = $"mpbench{Guid.NewGuid():n}"[..20];

    /// <summary>The Cluster profile's stream poll period when a queue was empty (the service's default).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static string? Find(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);

    public static async Task<ClusterBackends> StartAsync(string? redis, string? queues, TextWriter progress, CancellationToken ct)
    {
        var b = new ClusterBackends();
        try
        {
            if (redis is null || queues is null) b._dir = Directory.CreateTempSubdirectory("marketpulse-bench-").FullName;
            if (redis is null)
            {
                var port = BenchSilo.FreePort();
                b.Start("redis-server", "apt-get install redis-server",
                    ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", b._dir!]);
                b.Redis = $"127.0.0.1:{port}";
                await b.WaitForPortAsync(port, ct);
                progress.WriteLine($"started redis-server on {b.Redis}");
            }
            else b.Redis = redis;
            if (queues is null)
            {
                var port = BenchSilo.FreePort();
                b.Start("azurite-queue", "npm install -g azurite",
                    ["--queueHost", "127.0.0.1", "--queuePort", $"{port}", "--location", b._dir!, "--skipApiVersionCheck", "--loose", "--silent"]);
                b._ownQueues = true;
                b.QueueConnection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
                await b.WaitForPortAsync(port, ct);
                progress.WriteLine($"started azurite-queue on 127.0.0.1:{port}");
            }
            else b.QueueConnection = queues;
            return b;
        }
        catch
        {
            await b.DisposeAsync();
            throw;
        }
    }

    private IEnumerable<string> QueueNames => Enumerable.Range(0, Queues).Select(i => $"{ServiceId}-{MarketPulseNames.StreamProvider}-{i}");

    public void Configure(ISiloBuilder silo, int siloPort, int gatewayPort)
    {
        var redis = ConfigurationOptions.Parse(Redis);
        redis.AbortOnConnectFail = false;
        silo.Configure<ClusterOptions>(c => { c.ClusterId = ServiceId; c.ServiceId = ServiceId; });
        silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
        silo.UseRedisClustering(c => c.ConfigurationOptions = redis);
        foreach (var name in (string[])[MarketPulseNames.GrainStorage, MarketPulseNames.PubSubStorage])
            silo.AddRedisGrainStorage(name, options => options.Configure(s => s.ConfigurationOptions = redis));
        silo.Services.AddSingleton(GrainStateDurability.Durable);
        silo.AddAzureQueueStreams(MarketPulseNames.StreamProvider, streams =>
        {
            streams.ConfigureAzureQueue(q => q.Configure(a =>
            {
                a.QueueServiceClient = new QueueServiceClient(QueueConnection);
                a.QueueNames = QueueNames.ToList();
                a.MessageVisibilityTimeout = TimeSpan.FromSeconds(30);
            }));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            streams.ConfigurePullingAgent(p => p.Configure(a => a.GetQueueMsgsTimerPeriod = PollInterval));
        });
    }

    private void Start(string file, string install, string[] args)
    {
        var path = Find(file) ?? throw new CliInputException($"--profile Cluster: {file} is not on PATH ({install}), or give a running one with --redis/--queues");
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Keep(file, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(file, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    private void Keep(string name, string? line)
    {
        if (line is null) return;
        _output.Enqueue($"{name}: {line}");
        while (_output.Count > 100) _output.TryDequeue(out _);
    }

    private async Task WaitForPortAsync(int port, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
            catch (System.Net.Sockets.SocketException)
            {
                throw new TimeoutException($"port {port} not listening: {string.Join('\n', _output)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_ownQueues && QueueConnection.Length > 0)
        {
            // Queues on a service someone else runs: remove ours.
            try
            {
                var client = new QueueServiceClient(QueueConnection);
                foreach (var name in QueueNames) await client.DeleteQueueAsync(name);
            }
            catch (Exception) { /* best effort */ }
        }
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                    await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (Exception) { /* already gone */ }
            p.Dispose();
        }
        if (_dir is not null)
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;
using StackExchange.Redis;

namespace MarketPulse.Server.Hosting;

/// <summary>
/// The Local profile's durable store: Microsoft Garnet (Redis-compatible) running inside the service process on a
/// loopback port, its append-only file and checkpoints under <see cref="LocalSettings.DataPath"/>. The silo talks to it
/// with the same Orleans Redis grain storage as the Cluster profile talks to Redis, so both profiles run one storage code
/// path. It starts in the host's <c>Starting</c> phase, before any hosted service (the silo included) starts, and stops
/// in its <c>Stopped</c> phase, after the silo has written every grain's state on deactivation.
/// </summary>
public sealed partial class EmbeddedStore(LocalSettings settings, string dataPath, int port, ILoggerFactory loggerFactory)
    : IHostedLifecycleService, IDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<EmbeddedStore>();
    private GarnetServer? _server;

    public string DataPath { get; } = dataPath;

    public int Port { get; } = port;

    /// <summary>StackExchange.Redis connection string of the running store.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>
    /// Garnet's command line, as the garnet-server tool takes it (so every default not named here is Garnet's own):
    /// loopback only; Lua on, because the Orleans Redis storage writes through ETag-checking scripts (EVAL/EVALSHA),
    /// which Garnet refuses by default; the append-only file committed on every write and, with
    /// <see cref="LocalSettings.WaitForCommit"/>, a write answered only once its log record is on disk; a checkpoint
    /// (which truncates the log) whenever the log passes <see cref="LocalSettings.AofSizeLimit"/>, so replay on start stays
    /// short; recovery from the latest checkpoint plus the log, failing the start rather than silently starting empty
    /// when the data directory cannot be read. Memory is sized for a single user's state, not Garnet's server defaults.
    /// </summary>
    public string[] Arguments() =>
    [
        "-q", // no banner on the console
        "--bind", "127.0.0.1",
        "--port", Port.ToString(CultureInfo.InvariantCulture),
        // The append-only file lives under the checkpoint directory (AOF/); no --logdir, which is for tiering to disk.
        "--checkpointdir", DataPath,
        "--recover",
        "--fail-on-recovery-error",
        "--aof",
        "--aof-commit-freq", "0",
        "--aof-commit-wait", settings.WaitForCommit ? "true" : "false",
        "--aof-size-limit", settings.AofSizeLimit,
        "--lua",
        // Managed file I/O: Garnet's native Linux device needs libaio, whose soname differs between distributions.
        "--device-type", "RandomAccess",
        "--memory", settings.MemorySize,
        "--index", "16m",
        "--page", "4m",
    ];

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataPath);
        var watch = Stopwatch.StartNew();
        _server = new GarnetServer(Arguments(), new WarningsOnly(loggerFactory));
        _server.Start();
        LogStarted(DataPath, Port, watch.ElapsedMilliseconds);
        return Task.CompletedTask;
    }

    /// <summary>Takes a checkpoint (so the next start reads it instead of replaying the whole log), then stops.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        try
        {
            var watch = Stopwatch.StartNew();
            var options = ConfigurationOptions.Parse(ConnectionString);
            options.AllowAdmin = true;
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            // SAVE (foreground): the process is stopping and nothing else writes any more.
            await connection.GetServer(ConnectionString).ExecuteAsync("SAVE");
            LogCheckpoint(watch.ElapsedMilliseconds);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Nothing is lost: every write is already in the append-only file; the next start replays more of it.
            LogCheckpointFailed(ex);
        }
        Dispose();
    }

    public void Dispose()
    {
        // Never Dispose(true): that deletes the log and checkpoints.
        _server?.Dispose(deleteDir: false);
        _server = null;
    }

    /// <summary>The configured port, else a free loopback port.</summary>
    public static int ResolvePort(int configured)
    {
        if (configured > 0) return configured;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Garnet logs its whole configuration, every checkpoint and recovery step at Information under generic categories
    /// ("Options", "Session"); the service shows its warnings and errors, prefixed "Garnet.", and says itself when the
    /// store started and checkpointed.
    /// </summary>
    private sealed class WarningsOnly(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Filtered(inner.CreateLogger("Garnet." + categoryName));

        public void AddProvider(ILoggerProvider provider) { }

        public void Dispose() { }

        private sealed class Filtered(ILogger inner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded store (Garnet) on 127.0.0.1:{Port}, data in {Path}, recovered and started in {Ms} ms")]
    private partial void LogStarted(string path, int port, long ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded store checkpoint taken in {Ms} ms")]
    private partial void LogCheckpoint(long ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded store checkpoint on stop failed; the next start replays the append-only file instead")]
    private partial void LogCheckpointFailed(Exception ex);
}

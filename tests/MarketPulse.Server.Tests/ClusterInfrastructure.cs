using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace MarketPulse.Server.Tests;

/// <summary>
/// Runs only where the servers the Cluster profile needs are installed (<c>redis-server</c> from Debian's
/// redis-server package, <c>azurite-queue</c> from npm's azurite). Locally without them the test is skipped with
/// that message; in CI (<c>CI</c> set, where .ci/run installs them) it runs and fails if they are missing.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        var missing = new[] { "redis-server", "azurite-queue" }.Where(b => ExternalProcess.Find(b) is null).ToList();
        if (PostgresServer.BinDir is null) missing.Add("postgresql");
        if (missing.Count > 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = $"Cluster profile test skipped: {string.Join(", ", missing)} not installed (apt-get install redis-server postgresql; npm install -g azurite)";
    }
}

/// <summary>A child process with its output kept for failure messages; killed (whole tree) on dispose.</summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    public string Name { get; }

    public ExternalProcess(string name, string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        Name = name;
        var info = new ProcessStartInfo(Find(file) ?? throw new FileNotFoundException($"{file} is not on PATH"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public string Tail => string.Join('\n', _output.TakeLast(40));

    /// <summary>SIGKILL: the process gets no chance to shut down cleanly.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM (what <c>docker stop</c>, systemd and Ctrl+C's cousin send), then waits for the process to exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (SystemKill(_process.Id, 15) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed");
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SystemKill(int pid, int signal);

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 400) _output.TryDequeue(out _);
    }

    public static string? Find(string file)
    {
        if (Path.IsPathRooted(file)) return File.Exists(file) ? file : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception)
        {
            // already gone
        }
        _process.Dispose();
    }
}

/// <summary>Redis, an Azure Queue emulator and PostgreSQL on free loopback ports, in temporary folders.</summary>
public sealed class ClusterBackends : IAsyncDisposable
{
    // Azurite's documented development account (public, emulator only).
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _dir = Directory.CreateTempSubdirectory("marketpulse-cluster-").FullName;
    private readonly List<ExternalProcess> _processes = [];
    private readonly PostgresServer _postgres = new();

    public string Postgres => _postgres.ConnectionString;

    public string Redis { get; private set; } = "";
    public string ClusterId { get; } = $"test-{Guid.NewGuid():n}";
    public string Queues { get; private set; } = "";

    public async Task StartAsync()
    {
        var redisPort = ServerFixture.FreePort();
        var queuePort = ServerFixture.FreePort();
        _processes.Add(new ExternalProcess("redis", "redis-server",
            ["--port", $"{redisPort}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir]));
        _processes.Add(new ExternalProcess("azurite", "azurite-queue",
            ["--queueHost", "127.0.0.1", "--queuePort", $"{queuePort}", "--location", _dir, "--skipApiVersionCheck", "--loose", "--silent"]));
        Redis = $"127.0.0.1:{redisPort}";
        Queues = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;";
        await WaitForPortAsync(redisPort);
        await WaitForPortAsync(queuePort);
        await _postgres.StartAsync();
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (System.Net.Sockets.SocketException)
            {
                throw new TimeoutException($"port {port} not listening: " + string.Join("\n", _processes.Select(p => $"{p.Name}: {p.Tail}")));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes) await p.DisposeAsync();
        await _postgres.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

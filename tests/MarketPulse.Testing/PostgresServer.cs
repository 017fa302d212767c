using System.Diagnostics;
using Npgsql;

namespace MarketPulse.Testing;

/// <summary>
/// Runs only where PostgreSQL's server binaries are installed (Debian package <c>postgresql</c>). Locally without them
/// the test is skipped with that message; in CI (<c>CI</c> set, where .ci/run installs them) it runs and fails.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestEnvironment.SkipUnless(PostgresServer.BinDir is not null,
                "PostgreSQL test skipped: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)") is { } reason)
            Skip = reason;
    }
}

/// <summary>
/// A throw-away PostgreSQL server: initdb into a temporary folder and postgres on a free loopback port, trust auth.
/// PostgreSQL refuses to run as root, so under root (CI) both run as the <c>postgres</c> user via runuser.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("marketpulse-pg-").FullName;
    private Process? _postgres;

    public string ConnectionString { get; private set; } = "";

    public static string? BinDir =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal)
                .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;

    private static bool IsRoot => Environment.UserName == "root";

    public async Task StartAsync()
    {
        var bin = BinDir ?? throw new InvalidOperationException("PostgreSQL server binaries not found (apt-get install postgresql)");
        var data = Path.Combine(_dir, "data");
        if (IsRoot) await RunAsync("chown", ["-R", "postgres", _dir]);
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"], asPostgres: true);
        var port = Loopback.FreePort();
        _postgres = Start(Path.Combine(bin, "postgres"),
            ["-D", data, "-p", $"{port}", "-k", _dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off"], asPostgres: true);
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
        var postgres = _postgres;
        await Eventually.True(async () =>
        {
            try
            {
                await using var c = new NpgsqlConnection(ConnectionString);
                await c.OpenAsync();
                return true;
            }
            catch (Exception) when (!postgres.HasExited)
            {
                return false;
            }
        }, "PostgreSQL to accept connections", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
    }

    private static Process Start(string file, IEnumerable<string> args, bool asPostgres)
    {
        var info = asPostgres && IsRoot ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", file } } : new ProcessStartInfo(file);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task RunAsync(string file, IEnumerable<string> args, bool asPostgres = false)
    {
        var info = asPostgres && IsRoot ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", file } } : new ProcessStartInfo(file);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} exited {p.ExitCode}: {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_postgres is { HasExited: false })
        {
            // SIGINT = PostgreSQL's fast shutdown; a kill of runuser's child tree is the fallback.
            _postgres.Kill(entireProcessTree: true);
            await _postgres.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _postgres?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

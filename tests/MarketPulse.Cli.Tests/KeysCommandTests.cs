using MarketPulse.Cli;
using MarketPulse.Cli.Commands;
using MarketPulse.Grains.Security;

namespace MarketPulse.Cli.Tests;

public sealed class KeysCommandTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([KeysCommands.Create()], args);

    [Theory]
    [InlineData("--scopes", "read,write", "--scopes")]
    [InlineData("--scopes", "", "--scopes")]
    [InlineData("--owner", "alice smith", "--owner")]
    [InlineData("--expires", "yesterday", "--expires")]
    [InlineData("--expires", "2001-01-01T00:00:00Z", "--expires")]
    public async Task Create_refuses_bad_arguments_with_exit_2_before_touching_a_cluster(string option, string value, string message)
    {
        var args = new Dictionary<string, string> { ["--name"] = "bot", ["--owner"] = "alice", ["--scopes"] = "read,ingest" };
        args[option] = value;
        var (exit, stdout, stderr) = await RunCliAsync(["keys", "create", .. args.SelectMany(a => new[] { a.Key, a.Value }), "--gateway-port", "1"]);
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Contains(message, stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Create_without_a_running_cluster_says_so()
    {
        var (exit, _, stderr) = await RunCliAsync("keys", "create", "--name", "bot", "--owner", "alice", "--scopes", "read", "--gateway-port", "1", "--connect-timeout", "2");
        Assert.Equal(1, exit);
        Assert.Contains("no MarketPulse cluster reachable", stderr);
    }

    [Fact]
    public void Expiry_is_days_from_now_or_a_future_time_and_scopes_are_normalised()
    {
        var now = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var (_, _, scopes, expires) = ApiKeyAdmin.Validate("bot", "alice@example.com", " Read , INGEST,read", "90d", now);
        Assert.Equal(["read", "ingest"], scopes);
        Assert.Equal(now.AddDays(90), expires);
        Assert.Equal(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), ApiKeyAdmin.Validate("bot", "alice", "admin", "2026-06-01T00:00:00Z", now).ExpiresAtUtc);
        Assert.Null(ApiKeyAdmin.Validate("bot", "alice", "admin", null, now).ExpiresAtUtc);
    }
}

using System.CommandLine;

namespace MarketPulse.Cli.Commands;

public static class ReplayCommand
{
    public static Command Create() =>
        CliRunner.NotYetAvailable("replay", "Replay a data directory into a running cluster.", "the market-data issue");
}

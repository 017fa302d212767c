using System.CommandLine;

namespace MarketPulse.Cli.Tests;

/// <summary>Runs the CLI in-process through <see cref="CliRunner"/> (the same error handling and exit codes as the
/// executable) with the given command groups, capturing stdout and stderr.</summary>
internal static class CliHarness
{
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(Command[] commands, string[] args)
    {
        var root = new RootCommand("test");
        foreach (var command in commands) root.Subcommands.Add(command);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliRunner.RunAsync(root, args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}

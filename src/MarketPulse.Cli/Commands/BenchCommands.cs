using System.CommandLine;

namespace MarketPulse.Cli.Commands;

public static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks; prints one JSON object as the last line of stdout.");
        bench.Subcommands.Add(BenchPipelineCommand.Create());
        bench.Subcommands.Add(BenchEnsembleCommand.Create());
        bench.Subcommands.Add(BenchPlot.Create());
        return bench;
    }
}

using System.CommandLine;
using MarketPulse.Cli;
using MarketPulse.Cli.Commands;

var root = new RootCommand("MarketPulse: train, evaluate, replay and benchmark the near-real-time market analysis service.");
root.Subcommands.Add(TrainCommands.Create());
root.Subcommands.Add(EvalCommands.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(BenchCommands.Create());
root.Subcommands.Add(KeysCommands.Create());
return await CliRunner.RunAsync(root, args);

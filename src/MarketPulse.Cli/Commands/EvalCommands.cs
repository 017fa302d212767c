using System.CommandLine;

namespace MarketPulse.Cli.Commands;

public static class EvalCommands
{
    public static Command Create()
    {
        var eval = new Command("eval", "Evaluate the shipped models; prints one JSON object as the last line of stdout.");
        eval.Subcommands.Add(EvalSentimentCommand.Create());
        eval.Subcommands.Add(EvalStockNetCommand.Create());
        eval.Subcommands.Add(EvalIntradayCommand.Create());
        eval.Subcommands.Add(EvalIntradayDirectionCommand.Create());
        eval.Subcommands.Add(EvalWalkForwardCommand.Create());
        eval.Subcommands.Add(EvalForecastsCommand.Create());
        return eval;
    }
}

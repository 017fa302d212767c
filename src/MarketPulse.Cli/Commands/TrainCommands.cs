using System.CommandLine;

namespace MarketPulse.Cli.Commands;

public static class TrainCommands
{
    public static Command Create()
    {
        var train = new Command("train", "Reproduce the shipped models from the data sets.");
        train.Subcommands.Add(TrainSentimentCommand.Create());
        train.Subcommands.Add(TrainPriceCommand.Create());
        train.Subcommands.Add(TrainForecastsCommand.Create());
        return train;
    }
}

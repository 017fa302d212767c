using System.CommandLine;
using MarketPulse.Ml.Training.Price;

namespace MarketPulse.Cli.Commands;

/// <summary><c>marketpulse train price --data DIR [--out models]</c>: reproduces the shipped price models from StockNet.</summary>
public static class TrainPriceCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Required = true, Description = "StockNet-layout directory with StockTable (e.g. ../shared/data/stocknet)." };
        var output = new Option<string>("--out") { DefaultValueFactory = _ => "models", Description = "Folder to write price.onnx/.json and price-baseline.onnx/.json." };
        var noDeep = new Option<bool>("--no-deep") { Description = "Skip the GRU (gradient boosting only)." };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 12, Description = "GRU epochs (the best on the late-train holdout's log-loss is kept)." };
        var seeds = new Option<int>("--seeds") { DefaultValueFactory = _ => 5, Description = "GRU seeds; with more than one, the average of their logits is a candidate beside the first seed's model." };
        var gbmSeeds = new Option<int>("--gbm-seeds") { DefaultValueFactory = _ => 1, Description = "Diagnostic: retrain the selected GBM setting with this many seeds and report the spread of its dev numbers (never changes what ships)." };
        var gbmBag = new Option<int>("--gbm-bag") { DefaultValueFactory = _ => PriceTraining.DefaultGbmBag, Description = "LightGbm seeds (17, 18, …) of the selected setting bagged into one graph; the bag ships if its dev MCC beats the mean of the single seeds' (1 = the single seed-17 model)." };
        var command = new Command("price", "Train the price models on the StockNet train period and select on dev.");
        command.Options.Add(data);
        command.Options.Add(output);
        command.Options.Add(noDeep);
        command.Options.Add(epochs);
        command.Options.Add(seeds);
        command.Options.Add(gbmSeeds);
        command.Options.Add(gbmBag);
        command.SetAction((parseResult, ct) =>
        {
            var dir = parseResult.GetValue(data)!;
            var e = parseResult.GetValue(epochs);
            if (e < 1) throw new CliInputException("--epochs must be at least 1");
            var n = parseResult.GetValue(seeds);
            if (n is < 1 or > 20) throw new CliInputException("--seeds must be between 1 and 20");
            var g = parseResult.GetValue(gbmSeeds);
            if (g is < 1 or > 50) throw new CliInputException("--gbm-seeds must be between 1 and 50");
            var bag = parseResult.GetValue(gbmBag);
            if (bag is < 1 or > 64) throw new CliInputException("--gbm-bag must be between 1 and 64");
            var scorer = CliModels.LoadLexicon();
            var training = new PriceTraining(parseResult.InvocationConfiguration.Error);
            try
            {
                training.Run(dir, parseResult.GetValue(output)!, scorer, parseResult.GetValue(noDeep) ? null : new GruPriceTrainer.Options(Epochs: e), ct, n, g, bag);
            }
            catch (InvalidDataException ex)
            {
                throw new CliInputException(ex.Message);
            }
            foreach (var c in training.Candidates)
                parseResult.InvocationConfiguration.Output.WriteLine($"{c.Name,-16} {c.Config,-48} dev acc {c.DevAccuracy:P2} MCC {c.DevMcc:F3} Brier {c.DevBrier:F4} n={c.DevN}");
            return Task.FromResult(0);
        });
        return command;
    }
}

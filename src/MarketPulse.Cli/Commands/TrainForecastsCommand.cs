using System.CommandLine;
using MarketPulse.Ml.Forecasting;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Evaluation;
using MarketPulse.Ml.Training.Forecasting;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// <c>marketpulse train forecasts --data DIR</c>: fits the volatility, expected-move and volume model on target days in
/// [--from, --to) (default: from the first month with posts to the end of the train period, before dev) and writes
/// <c>forecast.json</c>.
/// </summary>
public static class TrainForecastsCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Required = true, Description = "StockNet-layout directory (price/raw, tweet/preprocessed)." };
        var from = new Option<string>("--from") { DefaultValueFactory = _ => "2014-01-15", Description = "First training target day (inclusive)." };
        var to = new Option<string>("--to") { DefaultValueFactory = _ => "2015-08-01", Description = "End of the training target days (exclusive)." };
        var output = new Option<string>("--out") { DefaultValueFactory = _ => "models", Description = "Folder to write forecast.json into." };
        var recipe = new Option<string>("--recipe") { DefaultValueFactory = _ => ForecastRecipe.Default.Name, Description = "Recipe: " + string.Join(", ", ForecastRecipe.Candidates.Keys) };
        recipe.AcceptOnlyFromAmong([.. ForecastRecipe.Candidates.Keys]);
        var command = new Command("forecasts", "Train the volatility, expected-move and volume model.");
        command.Options.Add(data);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(output);
        command.Options.Add(recipe);
        command.SetAction(async (parseResult, ct) =>
        {
            var config = parseResult.InvocationConfiguration;
            var f = CliArguments.ParseDay(parseResult.GetValue(from)!, "--from");
            var t = CliArguments.ParseDay(parseResult.GetValue(to)!, "--to");
            if (t <= f) throw new CliInputException($"--to ({t:yyyy-MM-dd}) must be after --from ({f:yyyy-MM-dd})");
            var panel = CliModels.LoadForecastPanel(parseResult.GetValue(data)!, f.AddDays(-10), t, config.Error);
            var r = ForecastRecipe.Candidates[parseResult.GetValue(recipe)!];
            ForecastModelFileWriter(panel, f, t, r, parseResult.GetValue(output)!, config.Error, out var path);
            await config.Output.WriteLineAsync($"{{\"model\":\"{path}\"}}");
            return 0;
        });
        return command;
    }

    private static void ForecastModelFileWriter(ForecastPanel panel, DateOnly from, DateOnly to, ForecastRecipe recipe, string folder, TextWriter progress, out string path)
    {
        Core.Forecasting.ForecastModel model;
        try
        {
            model = ForecastTrainer.Train(panel, from, to, recipe, $"{ForecastTrainer.VersionPrefix}{recipe.Name}-v1");
        }
        catch (InvalidDataException ex)
        {
            throw new CliInputException(ex.Message);
        }
        Directory.CreateDirectory(folder);
        path = Path.Combine(folder, ForecastModelFile.DefaultFileName);
        ForecastModelFile.Save(model, path);
        progress.WriteLine($"trained {model.Version} on {model.TrainingRows:N0} target days [{from:yyyy-MM-dd}, {to:yyyy-MM-dd}); bands z: "
            + $"{model.Bands.P025:F3} {model.Bands.P10:F3} {model.Bands.P90:F3} {model.Bands.P975:F3}; wrote {path}");
    }
}

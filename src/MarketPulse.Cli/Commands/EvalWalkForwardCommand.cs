using System.CommandLine;
using MarketPulse.Ml.Training.Evaluation;
using MarketPulse.Ml.Training.Price;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// <c>marketpulse eval walkforward --data DIR --from D --to D [--bag K]</c>: the price model's training recipe refitted
/// every month on earlier data only and scored out of sample, with day-clustered intervals.
/// </summary>
public static class EvalWalkForwardCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Required = true, Description = "StockNet-layout directory with StockTable (e.g. ../shared/data/stocknet)." };
        var from = new Option<string>("--from")
        {
            DefaultValueFactory = _ => "2014-09-01",
            Description = "First target day (YYYY-MM-DD, inclusive). Each calendar month from here is one fold.",
        };
        var to = new Option<string>("--to") { DefaultValueFactory = _ => "2015-10-01", Description = "End target day (YYYY-MM-DD, exclusive)." };
        var bag = new Option<int>("--bag")
        {
            DefaultValueFactory = _ => PriceTraining.DefaultGbmBag,
            Description = "LightGbm seeds per fold and model, as the shipped bag (1 = one seed; faster, noisier).",
        };
        var recipe = new Option<string>("--recipe")
        {
            DefaultValueFactory = _ => WalkForwardRecipe.Shipped.Name,
            Description = "Training recipe: shipped (price-gbm-v4's), or a candidate (calibration-6m, rolling-12m, logistic), which is then compared with the shipped recipe on the same folds.",
        };
        recipe.AcceptOnlyFromAmong([.. WalkForwardRecipe.All.Select(r => r.Name)]);
        var sentiment = new Option<string>("--sentiment")
        {
            DefaultValueFactory = _ => "transformer",
            Description = "Scorer of the sentiment signal in the service backtest (\"service\" in the JSON): transformer (the production model; default) or lexicon (faster). The price model's text features always use the lexicon, as in training.",
        };
        sentiment.AcceptOnlyFromAmong("transformer", "lexicon");
        var output = new Option<string?>("--out")
        {
            Description = "Also write the JSON to this file (models/price-walkforward.json is the report GET /api/models shows beside the live scores).",
        };
        var command = new Command("walkforward", "Walk-forward evaluation of the price model's recipe on StockNet-layout data: refit monthly on earlier targets only, score every month out of sample.");
        command.Options.Add(data);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(bag);
        command.Options.Add(recipe);
        command.Options.Add(sentiment);
        command.Options.Add(output);
        command.SetAction(async (parseResult, ct) =>
        {
            var f = CliArguments.ParseDay(parseResult.GetValue(from)!, "--from");
            var t = CliArguments.ParseDay(parseResult.GetValue(to)!, "--to");
            if (t <= f) throw new CliInputException($"--to ({t:yyyy-MM-dd}) must be after --from ({f:yyyy-MM-dd})");
            var k = parseResult.GetValue(bag);
            if (k is < 1 or > 64) throw new CliInputException("--bag must be between 1 and 64");
            var dir = parseResult.GetValue(data)!;
            // Fail before minutes of training, not after.
            if (parseResult.GetValue(output) is { } target && Path.GetDirectoryName(Path.GetFullPath(target)) is { } folder && !Directory.Exists(folder))
                throw new CliInputException($"--out {target}: the folder {folder} does not exist");
            WalkForwardResult result;
            try
            {
                StockNetData.RequireLayout(dir);
                using var transformer = parseResult.GetValue(sentiment) == "transformer" ? CliModels.LoadTransformer() : null;
                result = new StockNetWalkForward(parseResult.InvocationConfiguration.Error).Run(dir, f, t, k, CliModels.LoadLexicon(), ct,
                    WalkForwardRecipe.Find(parseResult.GetValue(recipe)!), transformer);
            }
            catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
            {
                throw new CliInputException(ex.Message);
            }
            if (result.N == 0) parseResult.InvocationConfiguration.Error.WriteLine($"warning: no StockNet samples with target days in [{f:yyyy-MM-dd}, {t:yyyy-MM-dd})");
            var json = result.ToJson();
            if (parseResult.GetValue(output) is { } file)
            {
                try
                {
                    await File.WriteAllTextAsync(file, json + "\n", ct);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new CliInputException($"--out {file}: {ex.Message}");
                }
            }
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(json);
            return 0;
        });
        return command;
    }
}

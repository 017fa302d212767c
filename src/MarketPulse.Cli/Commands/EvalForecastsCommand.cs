using System.CommandLine;
using System.Text.Json;
using MarketPulse.Core.Forecasting;
using MarketPulse.Ml.Forecasting;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Evaluation;
using MarketPulse.Ml.Training.Forecasting;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// <c>marketpulse eval forecasts --data DIR --from D --to D [--out FILE]</c>: the shipped volatility, expected-move, volume
/// and direction forecasts, causally, against HAR, EWMA and the trailing mean computed by the same code.
/// </summary>
public static class EvalForecastsCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Required = true, Description = "StockNet-layout directory (price/raw, tweet/preprocessed)." };
        var from = new Option<string>("--from") { Required = true, Description = "First target day (YYYY-MM-DD, inclusive)." };
        var to = new Option<string>("--to") { Required = true, Description = "End target day (YYYY-MM-DD, exclusive)." };
        var output = new Option<string?>("--out") { Description = "Write one JSON line per (symbol, target day) to this file." };
        var model = new Option<string?>("--model") { Description = "Forecast model file (default: the shipped models/forecast.json)." };
        var walkForward = new Option<string?>("--walk-forward")
        {
            Description = "Instead of the shipped model, refit this recipe at the start of every month on earlier target days (from --train-from): "
                + string.Join(", ", ForecastRecipe.Candidates.Keys),
        };
        var trainFrom = new Option<string>("--train-from") { DefaultValueFactory = _ => "2014-01-15", Description = "First training target day of the walk-forward's refits." };
        var direction = new Option<string>("--direction")
        {
            DefaultValueFactory = _ => "transformer",
            Description = "The ensemble's direction calls for the Brier comparison: transformer (the service's sentiment signal; default), lexicon, or none.",
        };
        direction.AcceptOnlyFromAmong("transformer", "lexicon", "none");
        var command = new Command("forecasts", "Causal evaluation of the volatility, expected-move, volume and direction forecasts against HAR and EWMA.");
        foreach (var o in new Option[] { data, from, to, output, model, walkForward, trainFrom, direction }) command.Options.Add(o);
        command.SetAction(async (parseResult, ct) =>
        {
            var config = parseResult.InvocationConfiguration;
            var f = CliArguments.ParseDay(parseResult.GetValue(from)!, "--from");
            var t = CliArguments.ParseDay(parseResult.GetValue(to)!, "--to");
            if (t <= f) throw new CliInputException($"--to ({t:yyyy-MM-dd}) must be after --from ({f:yyyy-MM-dd})");
            var recipeName = parseResult.GetValue(walkForward);
            if (recipeName is not null && !ForecastRecipe.Candidates.ContainsKey(recipeName))
                throw new CliInputException($"--walk-forward: unknown recipe '{recipeName}' (one of {string.Join(", ", ForecastRecipe.Candidates.Keys)})");
            var result = Run(parseResult.GetValue(data)!, f, t, parseResult.GetValue(model), recipeName is null ? null : ForecastRecipe.Candidates[recipeName],
                CliArguments.ParseDay(parseResult.GetValue(trainFrom)!, "--train-from"), parseResult.GetValue(direction)!, parseResult.GetValue(output),
                config.Error, ct);
            await config.Output.WriteLineAsync(result.ToJson());
            return 0;
        });
        return command;
    }

    public static ForecastEvalResult Run(string dir, DateOnly from, DateOnly to, string? modelPath, ForecastRecipe? walkForward, DateOnly trainFrom,
        string direction, string? outPath, TextWriter progress, CancellationToken ct = default)
    {
        try
        {
            StockNetData.RequireLayout(dir);
            // Walk-forward refits read the posts of their training days too.
            var textsFrom = (walkForward is null ? from : (trainFrom < from ? trainFrom : from)).AddDays(-10);
            using var price = PriceModel.Load(CliModels.PriceModelPath(PriceModel.DefaultFileName));
            var scorer = CliModels.LoadLexicon();
            using var transformer = direction == "transformer" ? CliModels.LoadTransformer() : null;
            var data = StockNetData.Load(dir, scorer, price.Card.SectorOf, textsFrom, to, progress, transformer);
            var panel = ForecastPanel.From(data);

            Func<DateOnly, ForecastModel> schedule;
            if (walkForward is null)
            {
                var shipped = ForecastModelFile.Load(modelPath ?? CliModels.PriceModelPath(ForecastModelFile.DefaultFileName));
                schedule = _ => shipped;
            }
            else
            {
                var refits = new Dictionary<DateOnly, ForecastModel>();
                schedule = target =>
                {
                    var month = new DateOnly(target.Year, target.Month, 1);
                    if (!refits.TryGetValue(month, out var m))
                    {
                        refits[month] = m = ForecastTrainer.Train(panel, trainFrom, month, walkForward, $"{ForecastTrainer.VersionPrefix}{walkForward.Name}-wf{month:yyyyMM}");
                        progress.WriteLine($"{month:yyyy-MM}: {walkForward.Name} refitted on {m.TrainingRows:N0} target days before it");
                    }
                    return m;
                };
            }

            Dictionary<(string, DateOnly), double>? calls = null;
            StockNetEvalResult? directionResult = null;
            if (direction != "none")
            {
                calls = [];
                directionResult = StockNetEvaluation.Run(data, price, priceOnly: null, from, to, progress, ct,
                    onCall: c => { if (!double.IsNaN(c.Ensemble)) calls[(c.Symbol, c.Target)] = c.Ensemble; });
            }

            using var writer = outPath is null ? null : new StreamWriter(outPath);
            var result = ForecastEvaluation.Run(panel, schedule, from, to, progress,
                calls is null ? null : (s, d) => calls.TryGetValue((s, d), out var p) ? p : null,
                writer is null ? null : r => writer.WriteLine(JsonSerializer.Serialize(r)));
            if (result.N == 0) progress.WriteLine($"warning: no scorable target days in [{from:yyyy-MM-dd}, {to:yyyy-MM-dd})");
            return directionResult is null ? result : result with
            {
                Direction = new DirectionResult(new Dictionary<string, double>
                {
                    ["ensemble"] = directionResult.Brier,
                    ["always_rise"] = directionResult.BySignal[StockNetEvaluation.AlwaysRise].Brier,
                    ["price"] = directionResult.BySignal[StockNetEvaluation.Price].Brier,
                })
                { N = directionResult.N },
            };
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliInputException(ex.Message);
        }
    }
}

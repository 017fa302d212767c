using System.CommandLine;
using System.Globalization;
using MarketPulse.Core.Ensemble;
using MarketPulse.Ml.Price;
using MarketPulse.Ml.Training.Evaluation;

namespace MarketPulse.Cli.Commands;

/// <summary><c>marketpulse eval stocknet --data DIR --from D --to D</c>: the shipped models and the ensemble, causally (each prediction sees only data before its prediction time).</summary>
public static class EvalStockNetCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Required = true, Description = "StockNet-layout directory (price/raw, price/preprocessed, tweet/preprocessed)." };
        var from = new Option<string>("--from") { Required = true, Description = "First target day (YYYY-MM-DD, inclusive)." };
        var to = new Option<string>("--to") { Required = true, Description = "End target day (YYYY-MM-DD, exclusive)." };
        var model = new Option<string?>("--model") { Description = "Price model .onnx (default: the shipped models/price.onnx)." };
        var sentiment = new Option<string>("--sentiment")
        {
            DefaultValueFactory = _ => "transformer",
            Description = "Scorer of the sentiment signal: transformer (the production model the live sentiment grain uses; default) or lexicon. The price model's text features always use the lexicon, as in training.",
        };
        sentiment.AcceptOnlyFromAmong("transformer", "lexicon");
        var stacking = new Option<string>("--stacking")
        {
            DefaultValueFactory = _ => "service",
            Description = "Ensemble stacking variant: service (the served settings: per-day evidence, no bias), day-bias, outcome, outcome-no-bias (the variants compared on the train period).",
        };
        stacking.AcceptOnlyFromAmong("service", "day-bias", "outcome", "outcome-no-bias", "price-prior");
        var command = new Command("stocknet", "Causal evaluation of the shipped models and the ensemble on StockNet-layout data.");
        command.Options.Add(data);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(model);
        command.Options.Add(sentiment);
        command.Options.Add(stacking);
        command.SetAction(async (parseResult, ct) =>
        {
            var config = parseResult.InvocationConfiguration;
            var f = CliArguments.ParseDay(parseResult.GetValue(from)!, "--from");
            var t = CliArguments.ParseDay(parseResult.GetValue(to)!, "--to");
            if (t <= f) throw new CliInputException($"--to ({t:yyyy-MM-dd}) must be after --from ({f:yyyy-MM-dd})");
            var dir = parseResult.GetValue(data)!;
            var modelPath = parseResult.GetValue(model) ?? CliModels.PriceModelPath(PriceModel.DefaultFileName);
            var variant = parseResult.GetValue(stacking) switch
            {
                "day-bias" => SignalMix.StackingDefaults with { FitBias = true },
                "outcome" => SignalMix.StackingDefaults with { FitBias = true, WeighByDay = false },
                "outcome-no-bias" => SignalMix.StackingDefaults with { WeighByDay = false },
                "price-prior" => SignalMix.StackingDefaults with { PriorWeights = [1, 0, 0], Bias = 0 },
                _ => SignalMix.StackingDefaults,
            };
            var result = Run(dir, f, t, modelPath, config.Error, ct, parseResult.GetValue(sentiment) == "transformer", variant);
            await config.Output.WriteLineAsync(result.ToJson());
            return 0;
        });
        return command;
    }

    public static StockNetEvalResult Run(string dir, DateOnly from, DateOnly to, string modelPath, TextWriter progress, CancellationToken ct = default,
        bool transformerSentiment = true, StackingOptions? stacking = null)
    {
        try
        {
            StockNetData.RequireLayout(dir);
            using var price = PriceModel.Load(modelPath);
            var baselinePath = Path.Combine(Path.GetDirectoryName(modelPath)!, "price-baseline.onnx");
            using var priceOnly = File.Exists(baselinePath) ? PriceModel.Load(baselinePath) : null;
            var scorer = CliModels.LoadLexicon();
            // Texts older than the longest look-back of any feature (two 5-day windows) cannot matter.
            using var transformer = transformerSentiment ? CliModels.LoadTransformer() : null;
            var data = StockNetData.Load(dir, scorer, price.Card.SectorOf, from.AddDays(-15), to, progress, transformer);
            var result = StockNetEvaluation.Run(data, price, priceOnly, from, to, progress, ct, options: stacking);
            if (result.Samples == 0) progress.WriteLine($"warning: no StockNet samples with target days in [{from:yyyy-MM-dd}, {to:yyyy-MM-dd})");
            return result;
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliInputException(ex.Message);
        }
    }
}

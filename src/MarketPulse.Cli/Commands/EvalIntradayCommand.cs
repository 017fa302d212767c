using System.CommandLine;
using System.Text.Json;
using MarketPulse.Ml.Forecasting;
using MarketPulse.Ml.Training.Forecasting;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// <c>marketpulse eval intraday-volatility --data DIR [--out FILE]</c>: walk-forward next-30-minutes realised variance on LEAN minute
/// trade bars, the HAR model on deseasonalised slot variance against the seasonal-HAR and previous-slot baselines.
/// </summary>
public static class EvalIntradayCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Required = true, Description = "LEAN data folder (root, Data/, or equity/usa/minute/)." };
        var output = new Option<string?>("--out") { Description = "Write one JSON line per forecast (symbol, day, slot) to this file." };
        var command = new Command("intraday-volatility",
            "Walk-forward next-30-minutes volatility on LEAN minute trade bars: HAR on deseasonalised slot variance vs seasonal HAR and the previous slot.");
        command.Options.Add(data);
        command.Options.Add(output);
        command.SetAction(async (parseResult, ct) =>
        {
            var config = parseResult.InvocationConfiguration;
            var outPath = parseResult.GetValue(output);
            IntradayEvalResult result;
            try
            {
                var dir = parseResult.GetValue(data)!;
                // Check the input before creating the output file.
                Ingestion.Lean.LeanMinuteFiles.FindRoot(dir);
                using var writer = outPath is null ? null : new StreamWriter(outPath);
                result = IntradayEvaluation.Run(dir, config.Error, writer is null ? null : r => writer.WriteLine(JsonSerializer.Serialize(r)));
            }
            catch (Exception ex) when (ex is InvalidDataException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                throw new CliInputException(ex.Message);
            }
            if (result.N == 0) await config.Error.WriteLineAsync("warning: no slot could be scored (too few days for a model)");
            await config.Output.WriteLineAsync(result.ToJson());
            return 0;
        });
        return command;
    }
}

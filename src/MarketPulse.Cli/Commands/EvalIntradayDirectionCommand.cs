using System.CommandLine;
using MarketPulse.Ml.Training.Price;

namespace MarketPulse.Cli.Commands;

/// <summary><c>marketpulse eval intraday --lean DIR</c>: walk-forward 5-minute direction on LEAN minute bars.</summary>
public static class EvalIntradayDirectionCommand
{
    public static Command Create()
    {
        var lean = new Option<string>("--lean") { Required = true, Description = "LEAN data folder (root, Data/, or equity/usa/minute/)." };
        var permutations = new Option<int>("--permutations") { DefaultValueFactory = _ => 2000, Description = "Label permutations for the p-value." };
        var command = new Command("intraday", "Walk-forward 5-minute direction on LEAN minute trade bars vs majority and persistence baselines.");
        command.Options.Add(lean);
        command.Options.Add(permutations);
        command.SetAction(async (parseResult, ct) =>
        {
            var n = parseResult.GetValue(permutations);
            if (n < 1) throw new CliInputException("--permutations must be at least 1");
            IntradayResult result;
            try
            {
                result = new IntradayWalkForward(parseResult.InvocationConfiguration.Error).Run(parseResult.GetValue(lean)!, n);
            }
            catch (InvalidDataException ex)
            {
                throw new CliInputException(ex.Message);
            }
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(result.ToJson());
            return 0;
        });
        return command;
    }
}

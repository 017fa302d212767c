using MarketPulse.Cli.Commands;

namespace MarketPulse.Cli.Tests;

/// <summary><c>train price</c>: argument handling, reproduction of the shipped files, and the seed-spread diagnostic on the real StockNet data (GBM only: 2 runs of 33 LightGbm fits, about a minute).</summary>
public sealed class TrainPriceCommandTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([TrainCommands.Create()], args);

    [Theory]
    [InlineData("--gbm-seeds", "0", "--gbm-seeds must be between 1 and 50")]
    [InlineData("--gbm-bag", "0", "--gbm-bag must be between 1 and 64")]
    [InlineData("--gbm-bag", "65", "--gbm-bag must be between 1 and 64")]
    [InlineData("--seeds", "0", "--seeds must be between 1 and 20")]
    [InlineData("--epochs", "0", "--epochs must be at least 1")]
    public async Task Bad_arguments_exit_two_before_any_training(string option, string value, string expected)
    {
        var (exit, _, stderr) = await RunCliAsync("train", "price", "--data", "/nonexistent", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }

    [SharedDataFact("stocknet")]
    public async Task Training_reproduces_the_shipped_bag_byte_for_byte_and_the_seed_spread_never_changes_it()
    {
        var data = SharedData.Path("stocknet");
        var plain = Directory.CreateTempSubdirectory("mp-train-price-");
        var spread = Directory.CreateTempSubdirectory("mp-train-price-seeds-");
        try
        {
            var (exit1, _, err1) = await RunCliAsync("train", "price", "--data", data, "--no-deep", "--out", plain.FullName);
            Assert.True(exit1 == 0, err1);
            // The default run trains the 16-seed bag, compares it with the single seeds' mean and reproduces exactly the
            // files that ship (the GBM wins the family comparison, so --no-deep writes the same winner).
            Assert.Contains("GBM bag of 16: dev MCC", err1);
            foreach (var file in new[] { "price.onnx", "price.json", "price-baseline.onnx", "price-baseline.json" })
                Assert.True(File.ReadAllBytes(RepoPaths.Path("models", file))
                    .SequenceEqual(File.ReadAllBytes(Path.Combine(plain.FullName, file))), $"train price no longer reproduces models/{file}");
            Assert.Equal("v4", System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(plain.FullName, "price.json"))).RootElement.GetProperty("version").GetString());
            var (exit3, _, err3) = await RunCliAsync("train", "price", "--data", data, "--no-deep", "--gbm-seeds", "3", "--out", spread.FullName);
            Assert.True(exit3 == 0, err3);

            // Progress goes to stderr: one line with the three seeds' dev MCCs, their mean and the mean model's numbers.
            var line = err3.Split('\n').Single(l => l.StartsWith("GBM seeds 17..19", StringComparison.Ordinal));
            var mccs = line[(line.IndexOf("dev MCC ", StringComparison.Ordinal) + 8)..line.IndexOf(';')].Split(", ");
            Assert.Equal(3, mccs.Length);
            Assert.Equal(3, mccs.Select(m => double.Parse(m, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Count()); // the seed matters
            Assert.Contains("mean of the 3 calibrated probabilities", line);

            Assert.Equal(File.ReadAllBytes(Path.Combine(plain.FullName, "price.onnx")), File.ReadAllBytes(Path.Combine(spread.FullName, "price.onnx")));
            Assert.Equal(File.ReadAllText(Path.Combine(plain.FullName, "price.json")), File.ReadAllText(Path.Combine(spread.FullName, "price.json")));
        }
        finally
        {
            plain.Delete(true);
            spread.Delete(true);
        }
    }
}

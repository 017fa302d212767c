using MarketPulse.Cli.Commands;

namespace MarketPulse.Cli.Tests;

/// <summary>Argument handling of <c>train sentiment</c> (training itself takes minutes and is run by hand; see the model card).</summary>
public sealed class TrainSentimentCommandTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([TrainCommands.Create()], args);

    [Theory]
    [InlineData("--seeds", "1,x", "'x' is not an integer")]
    [InlineData("--seeds", "1,2,1", "listed twice")]
    [InlineData("--seeds", ",", "at least one seed")]
    [InlineData("--soup", "stew", "stew")]
    [InlineData("--epochs", "0", "--epochs must be positive")]
    public async Task Bad_arguments_exit_two_before_any_training(string option, string value, string expected)
    {
        var (exit, _, stderr) = await RunCliAsync("train", "sentiment", option, value, "--phrasebank", "/nonexistent");
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public async Task Missing_phrasebank_exits_two()
    {
        var (exit, _, stderr) = await RunCliAsync("train", "sentiment", "--phrasebank", "/nonexistent/phrasebank");
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public void Seeds_parse_in_order() => Assert.Equal([20251125, 1, 2], TrainSentimentCommand.ParseSeeds("20251125, 1,2"));
}

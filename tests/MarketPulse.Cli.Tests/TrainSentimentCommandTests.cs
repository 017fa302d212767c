using MarketPulse.Cli.Commands;
using MarketPulse.Ml.Training.Sentiment;

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
    [InlineData("--label-smoothing", "1", "--label-smoothing must be in [0, 1)")]
    [InlineData("--layer-decay", "0", "--layer-decay must be in (0, 1]")]
    [InlineData("--layer-decay", "1.5", "--layer-decay must be in (0, 1]")]
    [InlineData("--soft-targets", "votes", "votes")]
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

    [Theory]
    [InlineData("greedy", SentimentTrainingPipeline.Combine.Greedy)]
    [InlineData("greedy-epochs", SentimentTrainingPipeline.Combine.GreedyEpochs)]
    [InlineData("swa", SentimentTrainingPipeline.Combine.Swa)]
    public void Soup_names_round_trip(string text, SentimentTrainingPipeline.Combine combine)
    {
        Assert.Equal(combine, TrainSentimentCommand.ParseCombine(text));
        Assert.Equal(text, SentimentTrainingPipeline.Name(combine));
    }

    private sealed record Ingredient(string Name, double Score, string Members = "");

    [Fact]
    public void Greedy_soup_adds_best_first_and_keeps_an_ingredient_only_if_the_score_does_not_drop()
    {
        // Own scores rank B, then A and C (a tie: the given order keeps A first), then D; a soup's score is looked up by its members.
        var soups = new Dictionary<string, double> { ["BA"] = 0.815, ["BC"] = 0.83, ["BCD"] = 0.83 };
        Ingredient[] ingredients = [new("A", 0.81), new("B", 0.82), new("C", 0.81), new("D", 0.79)];
        var trials = new List<string>();
        var (soup, steps) = SentimentTrainingPipeline.GreedySoup(ingredients, i => i.Score, members =>
        {
            var key = string.Concat(members.Select(m => m.Name));
            trials.Add(key);
            return new Ingredient("soup", soups[key], key);
        });
        Assert.Equal(["BA", "BC", "BCD"], trials); // A lowers the soup (dropped), C raises it, D ties (kept)
        Assert.Equal("BCD", soup.Members);
        Assert.Equal([("A", false), ("C", true), ("D", true)], steps.Select(s => (s.Item.Name, s.Kept)));
        Assert.Equal([0.815, 0.83, 0.83], steps.Select(s => s.Score));
    }

    /// <summary>A PhraseBank-format folder: 8 positive sentences (one falls in the validation split) over the four agreement files.</summary>
    private static string AgreementFixture(bool with66 = true)
    {
        var dir = Directory.CreateTempSubdirectory("mp-agree-cli-").FullName;
        string[] sentences = [.. Enumerable.Range(1, 8).Select(i => $"Net sales rose by {i} % in the quarter .@positive")];
        File.WriteAllLines(Path.Combine(dir, "Sentences_50Agree.txt"), sentences);
        if (with66) File.WriteAllLines(Path.Combine(dir, "Sentences_66Agree.txt"), sentences[..6]);
        File.WriteAllLines(Path.Combine(dir, "Sentences_75Agree.txt"), sentences[..4]);
        File.WriteAllLines(Path.Combine(dir, "Sentences_AllAgree.txt"), sentences[..2]);
        return dir;
    }

    [Fact]
    public async Task Soft_targets_without_an_agreement_file_exit_two_before_any_training()
    {
        var dir = AgreementFixture(with66: false);
        try
        {
            var (exit, _, stderr) = await RunCliAsync("train", "sentiment", "--phrasebank", dir, "--soft-targets", "agreement",
                "--runs-dir", Path.Combine(dir, "runs"), "--out", Path.Combine(dir, "out"), "--card", Path.Combine(dir, "card.md"));
            Assert.Equal(2, exit);
            Assert.Contains("Sentences_66Agree.txt", stderr);
            Assert.False(Directory.Exists(Path.Combine(dir, "runs"))); // refused before any run started
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Agreement_masses_follow_the_training_sentences_only()
    {
        var dir = AgreementFixture();
        try
        {
            var all50 = MarketPulse.Ml.Sentiment.PhraseBank.ReadFile(Path.Combine(dir, "Sentences_50Agree.txt"));
            var (train, validation) = new MarketPulse.Ml.Sentiment.PhraseBank.ValidationSplit(all50).Split(all50);
            Assert.Single(validation);
            var log = new StringWriter();
            var masses = SentimentTrainingPipeline.AgreementMasses(dir, train, log);
            Assert.Equal(train.Count, masses.Length);
            // Sentence i (1-based) is in AllAgree for i ≤ 2, 75Agree for i ≤ 4, 66Agree for i ≤ 6, else only 50Agree.
            double Expected(string text) => int.Parse(text.Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture) switch
            {
                <= 2 => 1.0,
                <= 4 => 0.87,
                <= 6 => 0.70,
                _ => 0.575,
            };
            Assert.Equal(train.Select(r => Expected(r.Text)), masses);
            Assert.Contains("AllAgree", log.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SharedDataFact("phrasebank")]
    public async Task Calibrate_only_reproduces_the_shipped_json_byte_for_byte_and_writes_the_card_block()
    {
        var dir = Directory.CreateTempSubdirectory("mp-calibrate-").FullName;
        try
        {
            var models = RepoPaths.Models;
            var json = File.ReadAllText(Path.Combine(models, "sentiment-minilm.json"));
            // The shipped model without its temperature, as it was before calibration.
            var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
            node.Remove("temperature");
            File.WriteAllText(Path.Combine(dir, "sentiment-minilm.json"), node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            File.Copy(Path.Combine(models, "sentiment-minilm.weights"), Path.Combine(dir, "sentiment-minilm.weights"));
            var card = Path.Combine(dir, "card.md");
            File.WriteAllText(card, "# card\n");

            var (exit, _, stderr) = await RunCliAsync("train", "sentiment", "--calibrate-only", "--phrasebank", SharedData.Path("phrasebank"),
                "--out", dir, "--card", card);

            Assert.Equal(0, exit);
            Assert.Equal(json, File.ReadAllText(Path.Combine(dir, "sentiment-minilm.json"))); // what train sentiment writes is what ships
            var text = File.ReadAllText(card);
            Assert.Contains(SentimentTrainingPipeline.CalibrationBegin, text);
            Assert.Contains("2-fold cross-fitted", text);
            Assert.Contains("ships in `models/sentiment-minilm.json`", text);
            Assert.Contains("T = 1: T = ", stderr);
            // Run again: the card block is replaced, not appended.
            (exit, _, _) = await RunCliAsync("train", "sentiment", "--calibrate-only", "--phrasebank", SharedData.Path("phrasebank"), "--out", dir, "--card", card);
            Assert.Equal(0, exit);
            Assert.Equal(text, File.ReadAllText(card));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SharedDataFact("phrasebank")]
    public async Task Calibrate_only_without_a_model_exits_two()
    {
        var dir = Directory.CreateTempSubdirectory("mp-calibrate-empty-").FullName;
        try
        {
            var (exit, _, stderr) = await RunCliAsync("train", "sentiment", "--calibrate-only", "--phrasebank", SharedData.Path("phrasebank"),
                "--out", dir, "--card", Path.Combine(dir, "card.md"));
            Assert.Equal(2, exit);
            Assert.Contains("no loadable sentiment model", stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Seeds_parse_in_order() => Assert.Equal([20251125, 1, 2], TrainSentimentCommand.ParseSeeds("20251125, 1,2"));
}

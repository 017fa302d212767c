using System.CommandLine;
using System.Text;
using System.Text.Json;
using MarketPulse.Cli;
using MarketPulse.Cli.Commands;
using MarketPulse.Core.Sentiment;

namespace MarketPulse.Cli.Tests;

public sealed class EvalSentimentCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mp-phrasebank-").FullName;
    private static readonly LexiconSentimentScorer Scorer = LexiconSentimentScorer.LoadShipped(RepoPaths.Models);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Small50 =
    [
        "Operating profit rose and the results were good .@positive",         // good → positive: right
        "The company reported a terrible loss .@negative",                     // terrible, loss → negative: right
        "The company is based in Helsinki .@neutral",                          // no lexicon word → neutral: right
        "Sales fell 5 % but the outlook is great .@negative",                 // "but" makes it positive: wrong
    ];

    private static readonly string[] SmallAll =
    [
        "Net sales increased , a great result .@positive",
        "The board met on Tuesday .@neutral",
    ];

    private void Write(string name, IEnumerable<string> lines, Encoding encoding) =>
        File.WriteAllText(Path.Combine(_dir, name), string.Join('\n', lines), encoding);

    private static Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(params string[] args) =>
        CliHarness.RunAsync([EvalCommands.Create()], args);

    [Fact]
    public async Task Scores_a_small_directory_with_hand_checked_metrics()
    {
        Write(EvalSentimentCommand.File50Agree, Small50, new UTF8Encoding(false));
        Write(EvalSentimentCommand.FileAllAgree, SmallAll, Encoding.Latin1);

        var r = await EvalSentimentCommand.RunAsync(_dir, Scorer, TextWriter.Null);

        Assert.Equal("lexicon-vader-v2", r.Model);
        Assert.Equal(4, r.N50Agree);
        Assert.Equal(0.75, r.Accuracy50Agree, 12);
        // positive: tp 1, actual 1, predicted 2 → 2/3; negative: 1,2,1 → 2/3; neutral: 1,1,1 → 1.
        Assert.Equal((2.0 / 3 + 2.0 / 3 + 1) / 3, r.MacroF150Agree, 12);
        Assert.Equal(2, r.NAllAgree);
        Assert.Equal(1.0, r.AccuracyAllAgree, 12);
        // The negative class is absent and never predicted: F1 0, so macro-F1 is 2/3 even at full accuracy.
        Assert.Equal(2.0 / 3, r.MacroF1AllAgree, 12);
        Assert.True(r.SentencesPerSec > 0);
    }

    [Fact]
    public async Task Command_prints_one_json_line_last_and_exits_zero()
    {
        Write(EvalSentimentCommand.File50Agree, Small50, new UTF8Encoding(false));
        Write(EvalSentimentCommand.FileAllAgree, SmallAll, new UTF8Encoding(false));

        var (exit, stdout, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir);

        Assert.Equal(0, exit);
        var last = stdout.TrimEnd().Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        // The design's fields first, in order; the speed-versus-arithmetic fields are additions after them.
        string[] fields = ["model", "n_50agree", "accuracy_50agree", "macro_f1_50agree", "n_allagree", "accuracy_allagree", "macro_f1_allagree", "sentences_per_sec",
            "precision", "model_gflops_per_sec", "matmul_peak_gflops_per_sec", "fraction_of_peak",
            "mean_confidence_50agree", "ece_50agree", "mean_confidence_allagree", "ece_allagree", "nll_50agree", "nll_allagree", "temperature"];
        Assert.Equal(fields, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4, json.RootElement.GetProperty("n_50agree").GetInt32());
        Assert.StartsWith("minilm", json.RootElement.GetProperty("model").GetString()); // the shipped production model
        Assert.InRange(json.RootElement.GetProperty("fraction_of_peak").GetDouble(), 0.01, 1.5);
        // Calibration: the chosen class's probability is at least 1/3, and ECE is a weighted mean of |accuracy − confidence|.
        Assert.InRange(json.RootElement.GetProperty("mean_confidence_50agree").GetDouble(), 1 / 3.0, 1);
        Assert.InRange(json.RootElement.GetProperty("ece_50agree").GetDouble(), 0, 1);
        Assert.Contains("read 4 sentences", stderr);
    }

    [Fact]
    public async Task Both_precisions_in_one_run_give_one_json_line_each_with_their_own_peak()
    {
        Write(EvalSentimentCommand.File50Agree, Small50, new UTF8Encoding(false));
        Write(EvalSentimentCommand.FileAllAgree, SmallAll, new UTF8Encoding(false));

        var (exit, stdout, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir, "--precision", "float32", "int8");

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["float32", "int8"], lines.Select(l => l.GetProperty("precision").GetString()));
        Assert.Equal(lines[0].GetProperty("model").GetString() + "-int8", lines[1].GetProperty("model").GetString());
        Assert.All(lines, l => Assert.Equal(4, l.GetProperty("n_50agree").GetInt32()));
        // Int8 is measured against the int8 matrix-multiply peak, not the float32 one (which it can exceed).
        Assert.NotEqual(lines[0].GetProperty("matmul_peak_gflops_per_sec").GetDouble(), lines[1].GetProperty("matmul_peak_gflops_per_sec").GetDouble());
        Assert.Contains("int8 vs float32: accuracy", stderr);
    }

    [Fact]
    public async Task An_unknown_precision_or_one_for_the_lexicon_is_a_bad_argument()
    {
        Write(EvalSentimentCommand.File50Agree, Small50, new UTF8Encoding(false));
        Write(EvalSentimentCommand.FileAllAgree, SmallAll, new UTF8Encoding(false));
        var (exit, stdout, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir, "--precision", "fp16");
        Assert.Equal(2, exit);
        Assert.Contains("fp16", stderr);
        Assert.Contains("int8", stderr); // the accepted values are listed
        Assert.DoesNotContain("{", stdout);
        (exit, _, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir, "--model", "lexicon", "--precision", "int8");
        Assert.Equal(2, exit);
        Assert.Contains("--precision applies to --model production only", stderr);
    }

    [SharedDataFact("phrasebank")]
    public async Task Validation_split_scores_only_the_held_out_part_of_the_training_sentences()
    {
        var dir = SharedData.Path("phrasebank");
        static int Lines(string path) => File.ReadAllLines(path, Encoding.Latin1).Count(l => l.Trim().Length > 0);
        var (exit, stdout, _) = await RunCliAsync("eval", "sentiment", "--phrasebank", dir, "--validation-split", "--no-peak");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var n = json.RootElement.GetProperty("n_50agree").GetInt32();
        Assert.InRange(n, 0.14 * Lines(Path.Combine(dir, EvalSentimentCommand.File50Agree)), 0.16 * Lines(Path.Combine(dir, EvalSentimentCommand.File50Agree)));
        Assert.True(json.RootElement.GetProperty("validation_split").GetBoolean());
        // Far above the lexicon's 0.55: the fine-tuned model, not the fast path.
        Assert.True(json.RootElement.GetProperty("accuracy_50agree").GetDouble() > 0.8);
        Assert.True(json.RootElement.GetProperty("accuracy_allagree").GetDouble() > 0.9);
        // With the shipped temperature (docs/models/sentiment.md, "calibration"): the uncalibrated model said 0.96 on
        // average at 0.83 accuracy (ECE 0.144, NLL 0.844); calibrated, confidence is close to the hit rate.
        Assert.True(json.RootElement.GetProperty("temperature").GetDouble() > 1);
        Assert.InRange(json.RootElement.GetProperty("mean_confidence_50agree").GetDouble(), 0.78, 0.9);
        Assert.True(json.RootElement.GetProperty("ece_50agree").GetDouble() < 0.1);
        Assert.True(json.RootElement.GetProperty("nll_50agree").GetDouble() < 0.6);
    }

    [SharedDataFact("phrasebank", "loughran_mcdonald")]
    public async Task The_lexicon_path_can_still_be_evaluated_and_unknown_models_are_bad_arguments()
    {
        Write(EvalSentimentCommand.File50Agree, Small50, new UTF8Encoding(false));
        Write(EvalSentimentCommand.FileAllAgree, SmallAll, new UTF8Encoding(false));
        var (exit, stdout, _) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir, "--model", "lexicon");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        Assert.Equal("lexicon-vader-v2", json.RootElement.GetProperty("model").GetString());
        var (bad, _, error) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir, "--model", "gpt");
        Assert.Equal(2, bad);
        Assert.Contains("gpt", error);
    }

    private static string SharedLmCsv => SharedData.Path("loughran_mcdonald", "inputs", "LM_MasterDictionary_1993-2021.csv");

    [SharedDataFact("phrasebank", "loughran_mcdonald")]
    public async Task Lexicon_with_loughran_mcdonald_beats_vader_alone_on_the_validation_split()
    {
        var dir = SharedData.Path("phrasebank");
        var (exit, stdout, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", dir, "--validation-split", "--model", "lexicon", "--lexicon-lm", SharedLmCsv);
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        Assert.Equal("lexicon-vader-lm-v1", json.RootElement.GetProperty("model").GetString());
        Assert.Contains("Loughran-McDonald lists from", stderr);
        // Measured (docs/models/sentiment.md): VADER alone 0.516 / 0.568, with the lists (Finance mode) 0.623 / 0.683.
        Assert.InRange(json.RootElement.GetProperty("accuracy_50agree").GetDouble(), 0.60, 0.65);
        Assert.InRange(json.RootElement.GetProperty("accuracy_allagree").GetDouble(), 0.66, 0.71);

        var (plainExit, plainOut, _) = await RunCliAsync("eval", "sentiment", "--phrasebank", dir, "--validation-split", "--model", "lexicon");
        Assert.Equal(0, plainExit);
        using var plain = JsonDocument.Parse(plainOut.TrimEnd().Split('\n')[^1]);
        Assert.InRange(plain.RootElement.GetProperty("accuracy_50agree").GetDouble(), 0.49, 0.54);
    }

    [SharedDataFact("loughran_mcdonald")]
    public async Task Bad_loughran_mcdonald_paths_and_files_exit_two_with_the_reason()
    {
        Write(EvalSentimentCommand.File50Agree, Small50, new UTF8Encoding(false));
        Write(EvalSentimentCommand.FileAllAgree, SmallAll, new UTF8Encoding(false));
        var missing = Path.Combine(_dir, "no-such-lm.csv");
        var (exit, stdout, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir, "--model", "lexicon", "--lexicon-lm", missing);
        Assert.Equal(2, exit);
        Assert.Contains($"--lexicon-lm: file '{missing}' does not exist", stderr);
        Assert.DoesNotContain("{", stdout);

        var malformed = Path.Combine(_dir, "lm.csv");
        File.WriteAllText(malformed, "Word,Negative,Positive\nLOSS,2009,0\nGAIN,zero,2009\n");
        (exit, _, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir, "--model", "lexicon", "--lexicon-lm", malformed);
        Assert.Equal(2, exit);
        Assert.Contains("line 3", stderr);
        Assert.DoesNotContain("   at ", stderr); // a message, not a stack trace

        (exit, _, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir, "--lexicon-lm", SharedLmCsv);
        Assert.Equal(2, exit);
        Assert.Contains("--model lexicon only", stderr);

        (exit, _, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", _dir, "--model", "lexicon", "--lexicon-lm", SharedLmCsv, "--lexicon-lm-mode", "Sideways");
        Assert.Equal(2, exit);
        Assert.Contains("Sideways", stderr);
    }

    [Fact]
    public void Latin1_and_utf8_are_both_decoded()
    {
        const string text = "Seppälä 's net sales grew .@positive";
        Assert.Equal(text, EvalSentimentCommand.Decode(Encoding.Latin1.GetBytes(text)));
        Assert.Equal(text, EvalSentimentCommand.Decode(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray()));
    }

    [Fact]
    public async Task Missing_directory_exits_two_with_a_message()
    {
        var (exit, stdout, stderr) = await RunCliAsync("eval", "sentiment", "--phrasebank", Path.Combine(_dir, "nope"));
        Assert.Equal(CliRunner.BadInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public async Task Missing_file_is_bad_input()
    {
        Write(EvalSentimentCommand.File50Agree, Small50, Encoding.UTF8);
        var ex = await Assert.ThrowsAsync<CliInputException>(() => EvalSentimentCommand.RunAsync(_dir, Scorer, TextWriter.Null));
        Assert.Contains(EvalSentimentCommand.FileAllAgree, ex.Message);
    }

    [Fact]
    public async Task Too_many_malformed_lines_is_bad_input()
    {
        Write(EvalSentimentCommand.File50Agree, [.. Small50, "no label here", "bad label@maybe"], Encoding.UTF8);
        Write(EvalSentimentCommand.FileAllAgree, SmallAll, Encoding.UTF8);
        var ex = await Assert.ThrowsAsync<CliInputException>(() => EvalSentimentCommand.RunAsync(_dir, Scorer, TextWriter.Null));
        Assert.Contains("2 of 6 lines", ex.Message);
        Assert.Contains("line 5", ex.Message);
    }

    [Fact]
    public async Task A_rare_malformed_line_is_skipped_with_a_warning()
    {
        var many = Enumerable.Repeat(Small50[2], 150).Append("stray line without a label").ToArray();
        Write(EvalSentimentCommand.File50Agree, many, Encoding.UTF8);
        Write(EvalSentimentCommand.FileAllAgree, SmallAll, Encoding.UTF8);
        var progress = new StringWriter();
        var r = await EvalSentimentCommand.RunAsync(_dir, Scorer, progress);
        Assert.Equal(150, r.N50Agree);
        Assert.Contains("skipped 1 malformed line(s), first at line 151", progress.ToString());
    }

    [SharedDataFact("phrasebank")]
    public async Task Shared_phrasebank_gives_the_expected_counts_and_a_lexicon_level_accuracy()
    {
        var dir = SharedData.Path("phrasebank");
        static int Lines(string path) => File.ReadAllLines(path, Encoding.Latin1).Count(l => l.Trim().Length > 0);

        var r = await EvalSentimentCommand.RunAsync(dir, Scorer, TextWriter.Null);

        Assert.Equal(Lines(Path.Combine(dir, EvalSentimentCommand.File50Agree)), r.N50Agree);
        Assert.Equal(Lines(Path.Combine(dir, EvalSentimentCommand.FileAllAgree)), r.NAllAgree);
        // VADER is a general-purpose lexicon: on financial news it sits far below FinBERT (0.86) and near 0.5–0.6.
        // Measured 0.5466 / 0.5727; these bounds catch a broken scorer or parser, they are not a tuning target.
        Assert.InRange(r.Accuracy50Agree, 0.50, 0.60);
        Assert.InRange(r.AccuracyAllAgree, 0.52, 0.63);
        Assert.InRange(r.MacroF150Agree, 0.44, 0.55);
    }
}

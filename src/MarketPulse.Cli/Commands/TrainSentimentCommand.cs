using System.CommandLine;
using System.Globalization;
using MarketPulse.Ml.Training;
using MarketPulse.Ml.Training.Sentiment;
using Spectre.Console;
using static MarketPulse.Ml.Training.Sentiment.SentimentTrainingPipeline;

namespace MarketPulse.Cli.Commands;

/// <summary>
/// <c>marketpulse train sentiment</c>: parses the options and runs <see cref="SentimentTrainingPipeline"/> (fine-tune MiniLM
/// on the PhraseBank training part, pick what ships by the held-out validation split, write <c>models/sentiment-minilm.*</c>
/// and the generated sections of the model card) with progress bars.
/// </summary>
public static class TrainSentimentCommand
{
    public static Combine ParseCombine(string text)
    {
        foreach (var c in Enum.GetValues<Combine>())
            if (Name(c) == text) return c;
        throw new CliInputException($"--soup: '{text}' is not one of {string.Join(", ", CombineNames)}");
    }

    public static Command Create()
    {
        var phrasebank = new Option<string>("--phrasebank") { Description = "PhraseBank-format folder (Sentences_50Agree.txt, Sentences_AllAgree.txt).", DefaultValueFactory = _ => DefaultPhraseBank() };
        var output = new Option<string>("--out") { Description = "Models folder to write sentiment-minilm.* into.", DefaultValueFactory = _ => "models" };
        var card = new Option<string>("--card") { Description = "Model card to update (its generated section).", DefaultValueFactory = _ => Path.Combine("docs", "models", "sentiment.md") };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => new FineTuneOptions().Epochs };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => new FineTuneOptions().BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate of the encoder.", DefaultValueFactory = _ => new FineTuneOptions().EncoderLearningRate };
        var limit = new Option<int>("--limit") { Description = "Train on only N sentences (timing runs; 0 = all).", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => Environment.ProcessorCount };
        var seeds = new Option<string>("--seeds")
        {
            Description = "Comma-separated seeds of the data order and dropout, one fine-tuning run each (the head init is the same for all).",
            DefaultValueFactory = _ => DefaultSeeds,
        };
        var seed = new Option<int?>("--seed") { Description = "One seed (same as --seeds N)." };
        var combine = new Option<string>("--soup")
        {
            Description = "What ships when several seeds ran: best (the best single run), uniform (mean of all runs' weights), "
                + "greedy (runs' best epochs added best-first to the mean while 50Agree validation accuracy does not drop), "
                + "swa (mean of the last 3 epochs of every run), greedy-epochs (as greedy, over every epoch of every run). "
                + "The probability ensemble is always reported, never shipped.",
            DefaultValueFactory = _ => DefaultCombine,
        };
        combine.AcceptOnlyFromAmong(CombineNames);
        var runsDir = new Option<string>("--runs-dir")
        {
            Description = "Where each seed's run is kept; a run with the same options found there is reused instead of trained again.",
            DefaultValueFactory = _ => Path.Combine("artifacts", "sentiment-runs"),
        };
        var retrain = new Option<bool>("--retrain") { Description = "Ignore runs kept in --runs-dir and train every seed again." };
        var labelSmoothing = new Option<double>("--label-smoothing") { Description = "Label smoothing of the training loss (0 = none).", DefaultValueFactory = _ => new FineTuneOptions().LabelSmoothing };
        var layerDecay = new Option<double>("--layer-decay") { Description = "Layer-wise lr decay per encoder layer from the top (1 = none).", DefaultValueFactory = _ => new FineTuneOptions().LayerDecay };
        var softTargets = new Option<string>("--soft-targets")
        {
            Description = "Training targets: none (one-hot on the majority label) or agreement (the majority label gets 1.0 / 0.87 / 0.70 / 0.575 "
                + "for AllAgree / 75Agree / 66Agree / only 50Agree sentences, the rest goes to the neighbouring class; needs all four PhraseBank files).",
            DefaultValueFactory = _ => "none",
        };
        softTargets.AcceptOnlyFromAmong("none", "agreement");
        var calibrateOnly = new Option<bool>("--calibrate-only")
        {
            Description = "Train nothing: fit the temperature of the model already in --out on the validation split (its weights untouched), "
                + "write it into its json if the card's rule ships it, and regenerate the card's calibration block. `train sentiment` does the same after every training.",
        };
        var command = new Command("sentiment", "Fine-tune the MiniLM sentiment model on Financial PhraseBank (the training part).");
        foreach (var o in new Option[] { phrasebank, output, card, epochs, batch, lr, limit, threads, seeds, seed, combine, runsDir, retrain, labelSmoothing, layerDecay, softTargets, calibrateOnly }) command.Options.Add(o);
        command.SetAction((parseResult, ct) =>
        {
            var options = new FineTuneOptions
            {
                Epochs = Positive(parseResult.GetValue(epochs), "--epochs"),
                BatchSize = Positive(parseResult.GetValue(batch), "--batch-size"),
                EncoderLearningRate = parseResult.GetValue(lr) is > 0 and < 1 and var l ? l : throw new CliInputException("--lr must be in (0, 1)"),
                Limit = Math.Max(0, parseResult.GetValue(limit)),
                Threads = Positive(parseResult.GetValue(threads), "--threads"),
                LabelSmoothing = parseResult.GetValue(labelSmoothing) is >= 0 and < 1 and var ls ? ls : throw new CliInputException("--label-smoothing must be in [0, 1)"),
                LayerDecay = parseResult.GetValue(layerDecay) is > 0 and <= 1 and var ld ? ld : throw new CliInputException("--layer-decay must be in (0, 1]"),
                SoftTargets = parseResult.GetValue(softTargets) == "agreement" ? SoftTargets.Agreement : SoftTargets.None,
            };
            var log = parseResult.InvocationConfiguration.Error;
            try
            {
                if (parseResult.GetValue(calibrateOnly))
                {
                    SentimentTrainingPipeline.CalibrateOnly(parseResult.GetValue(phrasebank)!, parseResult.GetValue(output)!, parseResult.GetValue(card)!, log, ct);
                    return Task.FromResult(0);
                }
                var seedList = parseResult.GetValue(seed) is { } one ? [one] : ParseSeeds(parseResult.GetValue(seeds)!);
                var how = ParseCombine(parseResult.GetValue(combine)!);
                SentimentTrainingPipeline.Run(parseResult.GetValue(phrasebank)!, parseResult.GetValue(output)!, parseResult.GetValue(card)!, options, seedList, how,
                    parseResult.GetValue(runsDir)!, parseResult.GetValue(retrain), log, ct, ProgressBars(log));
            }
            catch (TrainingInputException ex)
            {
                throw new CliInputException(ex.Message);
            }
            return Task.FromResult(0);
        });
        return command;
    }

    public static int[] ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new CliInputException("--seeds: give at least one seed");
        var seeds = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out seeds[i]))
                throw new CliInputException($"--seeds: '{parts[i]}' is not an integer");
        if (seeds.Distinct().Count() != seeds.Length) throw new CliInputException("--seeds: a seed is listed twice");
        return seeds;
    }

    private static int Positive(int value, string name) => value > 0 ? value : throw new CliInputException($"{name} must be positive");

    private static string DefaultPhraseBank()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "phrasebank");
            if (Directory.Exists(candidate)) return candidate;
        }
        return Path.Combine("..", "shared", "data", "phrasebank");
    }

    /// <summary>Each seed's fine-tuning under Spectre progress bars, one per epoch, written to <paramref name="log"/>.</summary>
    private static SentimentTrainingPipeline.SeedProgress ProgressBars(TextWriter log)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(log) });
        return (options, train) =>
        {
            console.MarkupLine(Markup.Escape($"seed {options.Seed}: fine-tuning ({options.Epochs} epochs)"));
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var tasks = new Dictionary<int, ProgressTask>();
                    train(new SentimentTrainingPipeline.SynchronousProgress<FineTuneProgress>(p =>
                    {
                        if (!tasks.TryGetValue(p.Epoch, out var task))
                            tasks[p.Epoch] = task = ctx.AddTask($"seed {options.Seed} epoch {p.Epoch}/{p.Epochs}", maxValue: p.StepsPerEpoch);
                        task.Value = p.Step;
                        task.Description = $"seed {options.Seed} epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3}";
                        if (p.Message is not null) console.MarkupLine(Markup.Escape($"seed {options.Seed} {p.Message}"));
                    }));
                });
        };
    }
}

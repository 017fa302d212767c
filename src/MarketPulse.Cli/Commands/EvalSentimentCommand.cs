using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Sentiment;

namespace MarketPulse.Cli.Commands;

/// <summary>The CLI contract's result of <c>eval sentiment</c>; property names are the contract.</summary>
public sealed record SentimentEvalResult(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("n_50agree")] int N50Agree,
    [property: JsonPropertyName("accuracy_50agree")] double Accuracy50Agree,
    [property: JsonPropertyName("macro_f1_50agree")] double MacroF150Agree,
    [property: JsonPropertyName("n_allagree")] int NAllAgree,
    [property: JsonPropertyName("accuracy_allagree")] double AccuracyAllAgree,
    [property: JsonPropertyName("macro_f1_allagree")] double MacroF1AllAgree,
    [property: JsonPropertyName("sentences_per_sec")] double SentencesPerSec,
    [property: JsonPropertyName("precision"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Precision = null,
    [property: JsonPropertyName("validation_split"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool ValidationSplit = false,
    [property: JsonPropertyName("model_gflops_per_sec"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ModelGflopsPerSec = null,
    [property: JsonPropertyName("matmul_peak_gflops_per_sec"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? MatMulPeakGflopsPerSec = null,
    [property: JsonPropertyName("fraction_of_peak"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? FractionOfPeak = null,
    [property: JsonPropertyName("mean_confidence_50agree"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? MeanConfidence50Agree = null,
    [property: JsonPropertyName("ece_50agree"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Ece50Agree = null,
    [property: JsonPropertyName("mean_confidence_allagree"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? MeanConfidenceAllAgree = null,
    [property: JsonPropertyName("ece_allagree"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? EceAllAgree = null,
    [property: JsonPropertyName("nll_50agree"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Nll50Agree = null,
    [property: JsonPropertyName("nll_allagree"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? NllAllAgree = null,
    [property: JsonPropertyName("temperature"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Temperature = null)
{
    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary><c>marketpulse eval sentiment --phrasebank DIR</c>: the shipped sentiment model on Financial PhraseBank.</summary>
public static class EvalSentimentCommand
{
    public const string File50Agree = "Sentences_50Agree.txt";
    public const string FileAllAgree = "Sentences_AllAgree.txt";

    /// <summary>Above this share of unparseable lines the directory is probably not PhraseBank, so refuse rather than score noise.</summary>
    public const double MaxMalformedShare = 0.01;

    public static Command Create()
    {
        var phrasebank = new Option<string>("--phrasebank")
        {
            Required = true,
            Description = $"Folder with {File50Agree} and {FileAllAgree} (lines 'sentence@label', Latin-1 or UTF-8).",
        };
        var model = new Option<string>("--model")
        {
            Description = "production (default): the fine-tuned transformer; lexicon: the VADER fast path.",
            DefaultValueFactory = _ => "production",
        };
        model.AcceptOnlyFromAmong("production", "lexicon");
        var validationSplit = new Option<bool>("--validation-split")
        {
            Description = "Score only the held-out validation split of the training part (the sentences training never saw; "
                + "the split is defined by DIR's 50Agree file, so use it on the directory the model was trained from).",
        };
        var precision = new Option<string[]>("--precision")
        {
            Description = "Arithmetic of the production model: float32 (default) or int8 (weight matrix multiplies quantised at load). "
                + "Give both (--precision float32 int8) to measure them in one run, same sentences and same load: one JSON line each.",
            DefaultValueFactory = _ => [SentimentPrecision.Float32.ToName()],
            AllowMultipleArgumentsPerToken = true,
        };
        precision.AcceptOnlyFromAmong(SentimentPrecisions.Names);
        var noPeak = new Option<bool>("--no-peak") { Description = "Skip measuring the matrix-multiply peak." };
        var lexiconLm = new Option<string?>("--lexicon-lm")
        {
            Description = "With --model lexicon: merge the Loughran-McDonald lists from this file (Master Dictionary CSV "
                + "'Word,Negative,Positive' or the .cat word lists). Not shipped: their licence forbids commercial use without permission.",
        };
        var lexiconLmMode = new Option<LoughranMcDonaldMode>("--lexicon-lm-mode")
        {
            Description = "How the lists are merged: Fill, FixSign, Override or Finance (default; chosen on the PhraseBank training part).",
            DefaultValueFactory = _ => LoughranMcDonaldCombination.Default.Mode,
        };
        var command = new Command("sentiment", "Score the shipped sentiment model on a PhraseBank-format directory.");
        command.Options.Add(phrasebank);
        command.Options.Add(model);
        command.Options.Add(validationSplit);
        command.Options.Add(precision);
        command.Options.Add(noPeak);
        command.Options.Add(lexiconLm);
        command.Options.Add(lexiconLmMode);
        command.SetAction(async (parseResult, ct) =>
        {
            var config = parseResult.InvocationConfiguration;
            var options = new EvalOptions(parseResult.GetValue(validationSplit), !parseResult.GetValue(noPeak));
            SentimentEvalResult result;
            var lmPath = parseResult.GetValue(lexiconLm);
            var precisions = parseResult.GetValue(precision)!.Distinct().Select(p => SentimentPrecisions.Parse(p, "--precision")).ToArray();
            if (parseResult.GetValue(model) == "lexicon")
            {
                if (precisions is not [SentimentPrecision.Float32]) throw new CliInputException("--precision applies to --model production only");
                var scorer = lmPath is null ? CliModels.LoadLexicon()
                    : CliModels.LoadLexicon(CliModels.LoadLoughranMcDonald(lmPath), LoughranMcDonaldCombination.Default with { Mode = parseResult.GetValue(lexiconLmMode) });
                if (scorer.Combination is { } c)
                    await config.Error.WriteLineAsync($"Loughran-McDonald lists from {lmPath} merged ({c.Mode}, valence {c.NegativeValence}/{c.PositiveValence}): {scorer.ChangedByLoughranMcDonald} words changed");
                result = await RunAsync(parseResult.GetValue(phrasebank)!, scorer, config.Error, options, ct);
            }
            else if (lmPath is not null)
            {
                throw new CliInputException("--lexicon-lm applies to --model lexicon only");
            }
            else
            {
                var transformers = new List<TransformerSentimentScorer>();
                try
                {
                    foreach (var p in precisions) transformers.Add(CliModels.LoadTransformer(p));
                    foreach (var r in await RunAsync(parseResult.GetValue(phrasebank)!, transformers, config.Error, options, ct))
                        await config.Output.WriteLineAsync(r.ToJson());
                }
                finally
                {
                    foreach (var t in transformers) t.Dispose();
                }
                return 0;
            }
            await config.Output.WriteLineAsync(result.ToJson());
            return 0;
        });
        return command;
    }

    public sealed record EvalOptions(bool ValidationSplitOnly = false, bool MeasurePeak = false);

    public static Task<SentimentEvalResult> RunAsync(string directory, ISentimentScorer scorer, TextWriter progress, CancellationToken ct = default) =>
        RunAsync(directory, scorer, progress, new EvalOptions(), ct);

    public static async Task<SentimentEvalResult> RunAsync(string directory, ISentimentScorer scorer, TextWriter progress, EvalOptions options, CancellationToken ct = default)
    {
        if (scorer is TransformerSentimentScorer transformer) return (await RunAsync(directory, [transformer], progress, options, ct))[0];
        var (set50, setAll) = await ReadSetsAsync(directory, progress, options, ct);
        var scoring = Stopwatch.StartNew();
        var (acc50, f150) = Evaluate(set50, scorer, progress, File50Agree, ct);
        var (accAll, f1All) = Evaluate(setAll, scorer, progress, FileAllAgree, ct);
        scoring.Stop();
        var perSecond = (set50.Count + setAll.Count) / Math.Max(scoring.Elapsed.TotalSeconds, 1e-9);
        progress.WriteLine($"scored {set50.Count + setAll.Count} sentences in {scoring.Elapsed.TotalMilliseconds:F0} ms ({perSecond:F0}/s)");
        return new SentimentEvalResult(scorer.Name, set50.Count, acc50, f150, setAll.Count, accAll, f1All, perSecond, null, options.ValidationSplitOnly);
    }

    /// <summary>
    /// One or more transformers (e.g. float32 and int8) in one run: each file is scored by every model in turn, so that they
    /// share the machine's load as closely as a sequential run allows; one result per model, in the order given.
    /// </summary>
    public static async Task<IReadOnlyList<SentimentEvalResult>> RunAsync(string directory, IReadOnlyList<TransformerSentimentScorer> scorers,
        TextWriter progress, EvalOptions options, CancellationToken ct = default)
    {
        var (set50, setAll) = await ReadSetsAsync(directory, progress, options, ct);
        LabelledSentence[] rows50 = [.. set50.Select(r => new LabelledSentence(r.Text, r.Label))];
        LabelledSentence[] rowsAll = [.. setAll.Select(r => new LabelledSentence(r.Text, r.Label))];
        // On a shared machine the peak is measured before and after the model run and the higher one is kept, so that a
        // busy moment during one probe cannot inflate the reported fraction. Each precision has its own peak.
        var precisions = scorers.Select(s => s.Precision).Distinct().ToArray();
        var peaks = precisions.ToDictionary(p => p, p => options.MeasurePeak ? MatMulPeak.MeasureGflops(precision: p) : 0);
        var e50 = new SentimentEvaluation[scorers.Count];
        var eAll = new SentimentEvaluation[scorers.Count];
        for (var i = 0; i < scorers.Count; i++)
        {
            e50[i] = SentimentEvaluation.Run(scorers[i], rows50, ct: ct);
            progress.WriteLine($"{File50Agree} ({scorers[i].Precision.ToName()}): {e50[i].Count} scored, accuracy {e50[i].Accuracy:F4}, {e50[i].SentencesPerSecond:F1}/s");
        }
        for (var i = 0; i < scorers.Count; i++)
        {
            eAll[i] = SentimentEvaluation.Run(scorers[i], rowsAll, ct: ct);
            progress.WriteLine($"{FileAllAgree} ({scorers[i].Precision.ToName()}): {eAll[i].Count} scored, accuracy {eAll[i].Accuracy:F4}, {eAll[i].SentencesPerSecond:F1}/s");
        }
        if (options.MeasurePeak)
            foreach (var p in precisions)
            {
                peaks[p] = Math.Max(peaks[p], MatMulPeak.MeasureGflops(precision: p));
                progress.WriteLine($"matrix-multiply peak (ONNX Runtime, 1024², {p.ToName()}): {peaks[p]:F1} GFLOP/s");
            }

        var results = new List<SentimentEvalResult>(scorers.Count);
        for (var i = 0; i < scorers.Count; i++)
        {
            var seconds = e50[i].Seconds + eAll[i].Seconds;
            var perSecond = (e50[i].Count + eAll[i].Count) / Math.Max(seconds, 1e-9);
            var modelGflops = (e50[i].Flops + eAll[i].Flops) / Math.Max(seconds, 1e-9) / 1e9;
            double? peak = options.MeasurePeak ? peaks[scorers[i].Precision] : null;
            progress.WriteLine($"{scorers[i].Name}: scored {e50[i].Count + eAll[i].Count} sentences in {seconds:F1} s ({perSecond:F1}/s, "
                + $"{(e50[i].Tokens + eAll[i].Tokens) / (double)Math.Max(1, e50[i].Count + eAll[i].Count):F1} tokens each, {modelGflops:F1} GFLOP/s of matmul work"
                + (peak is { } pk ? $", {modelGflops / pk:P0} of the {scorers[i].Precision.ToName()} peak)" : ")"));
            results.Add(new SentimentEvalResult(scorers[i].Name, set50.Count, e50[i].Accuracy, e50[i].MacroF1, setAll.Count, eAll[i].Accuracy,
                eAll[i].MacroF1, perSecond, scorers[i].Precision.ToName(), options.ValidationSplitOnly, Round(modelGflops), Round(peak),
                modelGflops / peak is { } f ? Math.Round(f, 3) : null,
                Math.Round(e50[i].MeanConfidence, 4), Math.Round(e50[i].Ece, 4), Math.Round(eAll[i].MeanConfidence, 4), Math.Round(eAll[i].Ece, 4),
                Math.Round(e50[i].Nll, 4), Math.Round(eAll[i].Nll, 4), scorers[i].Info.EffectiveTemperature));
        }
        for (var i = 1; i < results.Count; i++)
            progress.WriteLine($"{results[i].Precision} vs {results[0].Precision}: accuracy {100 * (results[i].Accuracy50Agree - results[0].Accuracy50Agree):+0.00;-0.00} points (50Agree), "
                + $"{100 * (results[i].AccuracyAllAgree - results[0].AccuracyAllAgree):+0.00;-0.00} points (AllAgree); speed ×{results[i].SentencesPerSec / results[0].SentencesPerSec:F2}");
        return results;
    }

    private static async Task<(List<(string Text, SentimentLabel Label)> Set50, List<(string Text, SentimentLabel Label)> SetAll)> ReadSetsAsync(
        string directory, TextWriter progress, EvalOptions options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
            throw new CliInputException($"--phrasebank: directory '{directory}' does not exist");
        var path50 = RequireFile(directory, File50Agree);
        var pathAll = RequireFile(directory, FileAllAgree);

        var set50 = await ReadAsync(path50, progress, ct);
        var setAll = await ReadAsync(pathAll, progress, ct);
        if (options.ValidationSplitOnly)
        {
            var split = new PhraseBank.ValidationSplit(set50.Select(r => new LabelledSentence(r.Text, r.Label)));
            set50 = set50.Where(r => split.IsValidation(new LabelledSentence(r.Text, r.Label))).ToList();
            setAll = setAll.Where(r => split.IsValidation(new LabelledSentence(r.Text, r.Label))).ToList();
            progress.WriteLine($"validation split only: {set50.Count} sentences of 50Agree, {setAll.Count} of AllAgree");
        }
        return (set50, setAll);
    }

    private static double? Round(double? x) => x is { } v ? Math.Round(v, 2) : null;

    private static string RequireFile(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? path : throw new CliInputException($"--phrasebank: {name} not found in '{directory}'");
    }

    /// <summary>Strict UTF-8 when the bytes are valid UTF-8, otherwise Latin-1 (the original release's encoding).</summary>
    public static string Decode(byte[] bytes) => PhraseBank.Decode(bytes);

    public static async Task<List<(string Text, SentimentLabel Label)>> ReadAsync(string path, TextWriter progress, CancellationToken ct)
    {
        var (parsed, malformed) = PhraseBank.Parse(Decode(await File.ReadAllBytesAsync(path, ct)));
        var rows = parsed.Select(r => (r.Text, r.Label)).ToList();
        var total = rows.Count + malformed.Count;
        var name = Path.GetFileName(path);
        if (total == 0) throw new CliInputException($"{name}: no sentences");
        if (malformed.Count > MaxMalformedShare * total)
            throw new CliInputException($"{name}: {malformed.Count} of {total} lines are not 'sentence@positive|neutral|negative' (first at line {malformed[0]})");
        if (malformed.Count > 0)
            progress.WriteLine($"warning: {name}: skipped {malformed.Count} malformed line(s), first at line {malformed[0]}");
        progress.WriteLine($"read {rows.Count} sentences from {name}");
        return rows;
    }

    /// <returns>Accuracy and macro-averaged F1 over the three classes (a class never predicted nor present scores F1 = 0).</returns>
    public static (double Accuracy, double MacroF1) Evaluate(IReadOnlyList<(string Text, SentimentLabel Label)> rows, ISentimentScorer scorer,
        TextWriter progress, string name, CancellationToken ct)
    {
        var confusion = new int[3, 3];
        var step = Math.Max(1, rows.Count / 4);
        for (var i = 0; i < rows.Count; i++)
        {
            if (i % 1024 == 0) ct.ThrowIfCancellationRequested();
            var predicted = scorer.Score(rows[i].Text).Label;
            confusion[(int)rows[i].Label + 1, (int)predicted + 1]++;
            if ((i + 1) % step == 0) progress.WriteLine($"{name}: {i + 1}/{rows.Count}");
        }
        return Metrics(confusion);
    }

    public static (double Accuracy, double MacroF1) Metrics(int[,] confusion)
    {
        int correct = 0, total = 0;
        double f1Sum = 0;
        for (var c = 0; c < 3; c++)
        {
            int tp = confusion[c, c], actual = 0, predicted = 0;
            for (var k = 0; k < 3; k++) { actual += confusion[c, k]; predicted += confusion[k, c]; }
            correct += tp;
            total += actual;
            f1Sum += actual + predicted == 0 ? 0 : 2.0 * tp / (actual + predicted);
        }
        return (total == 0 ? 0 : correct / (double)total, f1Sum / 3);
    }
}

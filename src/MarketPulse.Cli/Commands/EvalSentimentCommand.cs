using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MarketPulse.Core.Sentiment;

namespace MarketPulse.Cli.Commands;

/// <summary>The design's §4 result of <c>eval sentiment</c>; property names are the contract.</summary>
public sealed record SentimentEvalResult(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("n_50agree")] int N50Agree,
    [property: JsonPropertyName("accuracy_50agree")] double Accuracy50Agree,
    [property: JsonPropertyName("macro_f1_50agree")] double MacroF150Agree,
    [property: JsonPropertyName("n_allagree")] int NAllAgree,
    [property: JsonPropertyName("accuracy_allagree")] double AccuracyAllAgree,
    [property: JsonPropertyName("macro_f1_allagree")] double MacroF1AllAgree,
    [property: JsonPropertyName("sentences_per_sec")] double SentencesPerSec)
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
        var command = new Command("sentiment", "Score the shipped sentiment model on a PhraseBank-format directory.");
        command.Options.Add(phrasebank);
        command.SetAction(async (parseResult, ct) =>
        {
            var config = parseResult.InvocationConfiguration;
            var scorer = LoadShippedScorer();
            var result = await RunAsync(parseResult.GetValue(phrasebank)!, scorer, config.Error, ct);
            await config.Output.WriteLineAsync(result.ToJson());
            return 0;
        });
        return command;
    }

    /// <summary>The models folder of the working directory (a checkout) wins over the copy beside the executable.</summary>
    public static LexiconSentimentScorer LoadShippedScorer()
    {
        string[] candidates = [Path.Combine(Environment.CurrentDirectory, "models"), Path.Combine(AppContext.BaseDirectory, "models")];
        var dir = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, LexiconSentimentScorer.LexiconFileName)))
            ?? throw new CliInputException($"shipped sentiment model not found: no {LexiconSentimentScorer.LexiconFileName} in {string.Join(" or ", candidates)}");
        return LexiconSentimentScorer.LoadShipped(dir);
    }

    public static async Task<SentimentEvalResult> RunAsync(string directory, ISentimentScorer scorer, TextWriter progress, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(directory) || !Directory.Exists(directory))
            throw new CliInputException($"--phrasebank: directory '{directory}' does not exist");
        var path50 = RequireFile(directory, File50Agree);
        var pathAll = RequireFile(directory, FileAllAgree);

        var set50 = await ReadAsync(path50, progress, ct);
        var setAll = await ReadAsync(pathAll, progress, ct);

        var scoring = Stopwatch.StartNew();
        var (acc50, f150) = Evaluate(set50, scorer, progress, File50Agree, ct);
        var (accAll, f1All) = Evaluate(setAll, scorer, progress, FileAllAgree, ct);
        scoring.Stop();
        var perSecond = (set50.Count + setAll.Count) / Math.Max(scoring.Elapsed.TotalSeconds, 1e-9);
        progress.WriteLine($"scored {set50.Count + setAll.Count} sentences in {scoring.Elapsed.TotalMilliseconds:F0} ms ({perSecond:F0}/s)");
        return new SentimentEvalResult(scorer.Name, set50.Count, acc50, f150, setAll.Count, accAll, f1All, perSecond);
    }

    private static string RequireFile(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? path : throw new CliInputException($"--phrasebank: {name} not found in '{directory}'");
    }

    /// <summary>Strict UTF-8 when the bytes are valid UTF-8, otherwise Latin-1 (the original release's encoding).</summary>
    public static string Decode(byte[] bytes)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(span);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.Latin1.GetString(span);
        }
    }

    public static async Task<List<(string Text, SentimentLabel Label)>> ReadAsync(string path, TextWriter progress, CancellationToken ct)
    {
        var text = Decode(await File.ReadAllBytesAsync(path, ct));
        var rows = new List<(string, SentimentLabel)>();
        var malformed = new List<int>();
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            // Sentences may contain '@' themselves; the label is after the last one.
            var at = line.LastIndexOf('@');
            SentimentLabel? label = at <= 0 ? null : line[(at + 1)..].Trim().ToLowerInvariant() switch
            {
                "positive" => SentimentLabel.Positive,
                "neutral" => SentimentLabel.Neutral,
                "negative" => SentimentLabel.Negative,
                _ => null,
            };
            if (label is null || line[..at].Trim().Length == 0) { malformed.Add(lineNo); continue; }
            rows.Add((line[..at].Trim(), label.Value));
        }
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

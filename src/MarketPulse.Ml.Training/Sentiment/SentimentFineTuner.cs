using System.Diagnostics;
using MarketPulse.Core.Sentiment;
using MarketPulse.Ml.Sentiment;
using TorchSharp;
using static TorchSharp.torch;

namespace MarketPulse.Ml.Training.Sentiment;

public sealed record FineTuneOptions
{
    // Defaults = the shipped run, chosen by validation accuracy among the runs listed in docs/models/sentiment.md.
    public int Epochs { get; init; } = 5;
    public int BatchSize { get; init; } = 16;
    public int MaxLength { get; init; } = SentimentTokenizer.DefaultMaxLength;
    public double EncoderLearningRate { get; init; } = 1e-4;
    public double HeadLearningRate { get; init; } = 1e-3;
    public double WarmupShare { get; init; } = 0.1;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Seeds the data order and dropout. The head's initial weights always come from <see cref="InitSeed"/>, so runs
    /// with different seeds start from one point (pretrained encoder + one head) and their weights can be averaged (soup).</summary>
    public int Seed { get; init; } = InitSeed;
    public const int InitSeed = 20251125;
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);
    /// <summary>Train on only the first N shuffled sentences (0 = all): for timing an epoch before committing to a run.</summary>
    public int Limit { get; init; }
    /// <summary>Label smoothing of the cross-entropy target (0 = plain cross-entropy, the shipped recipe).</summary>
    public double LabelSmoothing { get; init; }
    /// <summary>Layer-wise learning-rate decay: encoder layer l (0 = bottom) gets the encoder lr × decay^(top − l); 1 = one lr for all.</summary>
    public double LayerDecay { get; init; } = 1.0;
    /// <summary>Agreement-aware soft targets (<see cref="Sentiment.SoftTargets.Agreement"/>) or one-hot (the shipped recipe).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SoftTargets>))]
    public SoftTargets SoftTargets { get; init; }
}

public sealed record FineTuneProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, string? Message = null);

public sealed record EpochResult(int Epoch, double TrainLoss, double Accuracy50, double MacroF150, double AccuracyAll, double MacroF1All, double Seconds);

public sealed record FineTuneResult(TunedWeights Weights, IReadOnlyList<EpochResult> Epochs, int BestEpoch, int TrainCount, int Validation50Count, int ValidationAllCount);

/// <summary>
/// Fine-tunes the MiniLM encoder with a 3-class head on the PhraseBank training part. Model selection (which epoch is
/// shipped) uses only the held-out validation split of the training part; the word/position embeddings stay frozen
/// (they are most of the parameters and would have to be shipped too).
/// </summary>
public static class SentimentFineTuner
{
    public static FineTuneResult Train(IReadOnlyList<LabelledSentence> train, IReadOnlyList<LabelledSentence> validation50,
        IReadOnlyList<LabelledSentence> validationAll, FineTuneOptions options, IProgress<FineTuneProgress>? progress = null,
        Action<TunedWeights, EpochResult>? onNewBest = null, CancellationToken ct = default, Action<TunedWeights, EpochResult>? onEpoch = null,
        IReadOnlyList<double>? majorityMass = null)
    {
        // One target row per training sentence (one-hot, label-smoothed and/or agreement-aware: one mechanism). Plain
        // one-hot keeps the class-index cross-entropy, bit-for-bit the recipe of the kept baseline runs.
        if (options.SoftTargets == SoftTargets.Agreement && majorityMass is null)
            throw new ArgumentException("agreement soft targets need each training sentence's majority mass", nameof(majorityMass));
        if (majorityMass is not null && majorityMass.Count != train.Count)
            throw new ArgumentException($"{majorityMass.Count} majority masses for {train.Count} training sentences", nameof(majorityMass));
        var soft = options.LabelSmoothing > 0 || options.SoftTargets != SoftTargets.None;
        var targets = soft
            ? train.Select((r, i) => SentimentTargets.Distribution(r.Label,
                options.SoftTargets == SoftTargets.Agreement ? majorityMass![i] : 1.0, options.LabelSmoothing)).ToArray()
            : null;
        TorchNativeCompat.EnsureLoadable();
        torch.set_num_threads(options.Threads);
        torch.manual_seed(FineTuneOptions.InitSeed);
        var random = new Random(options.Seed);
        var tokenizer = new SentimentTokenizer(options.MaxLength);
        var onnx = OnnxInitializers.Read(MiniLmAssets.BaseModel);

        using var model = new MiniLmClassifier();
        model.LoadPretrained(onnx);
        model.FreezeEmbeddings();
        // Same head init for every seed; the default seed keeps the generator untouched so the first shipped run reproduces.
        if (options.Seed != FineTuneOptions.InitSeed) torch.manual_seed(options.Seed);

        var order = Enumerable.Range(0, train.Count).ToArray();
        random.Shuffle(order);
        if (options.Limit > 0) order = order[..Math.Min(options.Limit, order.Length)];
        var stepsPerEpoch = (order.Length + options.BatchSize - 1) / options.BatchSize;
        var totalSteps = stepsPerEpoch * options.Epochs;
        var warmup = Math.Max(1, (int)(totalSteps * options.WarmupShare));

        var groups = new List<TorchSharp.Modules.AdamW.ParamGroup>();
        if (options.LayerDecay == 1.0)
        {
            groups.Add(new(model.EncoderParameters(), new TorchSharp.Modules.AdamW.Options { LearningRate = options.EncoderLearningRate, weight_decay = options.WeightDecay }));
        }
        else
        {
            for (var layer = 0; layer < MiniLmAssets.Layers; layer++)
                groups.Add(new(model.EncoderLayerParameters(layer), new TorchSharp.Modules.AdamW.Options
                {
                    LearningRate = options.EncoderLearningRate * Math.Pow(options.LayerDecay, MiniLmAssets.Layers - 1 - layer),
                    weight_decay = options.WeightDecay,
                }));
        }
        groups.Add(new(model.HeadParameters(), new TorchSharp.Modules.AdamW.Options { LearningRate = options.HeadLearningRate, weight_decay = 0 }));
        using var optimizer = optim.AdamW(groups);
        var scheduler = optim.lr_scheduler.LambdaLR(optimizer,
            step => step < warmup ? (step + 1) / (double)warmup : Math.Max(0, (totalSteps - step) / (double)Math.Max(1, totalSteps - warmup)));

        var epochs = new List<EpochResult>();
        TunedWeights? best = null;
        var bestEpoch = 0;
        var bestAccuracy = double.NegativeInfinity;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.train();
            random.Shuffle(order);
            double lossSum = 0;
            for (var step = 0; step < stepsPerEpoch; step++)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batchIndex = order.Skip(step * options.BatchSize).Take(options.BatchSize).ToArray();
                var rows = batchIndex.Select(i => train[i]).ToArray();
                var (ids, mask) = ToTensors(tokenizer.EncodeBatch(rows.Select(r => r.Text).ToArray()));
                Tensor loss;
                if (targets is null)
                {
                    var labels = tensor(rows.Select(r => (long)((int)r.Label + 1)).ToArray());
                    loss = nn.functional.cross_entropy(model.call(ids, mask), labels);
                }
                else
                {
                    loss = SoftCrossEntropy(model.call(ids, mask), tensor(batchIndex.SelectMany(i => targets[i]).ToArray(), [batchIndex.Length, 3]));
                }
                optimizer.zero_grad();
                loss.backward();
                nn.utils.clip_grad_norm_(model.parameters().Where(p => p.requires_grad), 1.0);
                optimizer.step();
                scheduler.step();
                var value = loss.item<float>();
                lossSum += value;
                progress?.Report(new FineTuneProgress(epoch, options.Epochs, step + 1, stepsPerEpoch, value));
            }
            var (acc50, f150) = Evaluate(model, tokenizer, validation50);
            var (accAll, f1All) = Evaluate(model, tokenizer, validationAll);
            var result = new EpochResult(epoch, lossSum / stepsPerEpoch, acc50, f150, accAll, f1All, clock.Elapsed.TotalSeconds);
            epochs.Add(result);
            progress?.Report(new FineTuneProgress(epoch, options.Epochs, stepsPerEpoch, stepsPerEpoch, result.TrainLoss,
                $"epoch {epoch}: loss {result.TrainLoss:F4}, validation 50Agree acc {acc50:F4} F1 {f150:F4}, AllAgree acc {accAll:F4} F1 {f1All:F4} ({result.Seconds:F0} s)"));
            // Selection by the 50Agree validation accuracy only; ties keep the earlier epoch.
            var exported = onEpoch is null && !(acc50 > bestAccuracy) ? null : model.Export(onnx);
            if (exported is not null) onEpoch?.Invoke(exported, result);
            if (acc50 > bestAccuracy)
            {
                bestAccuracy = acc50;
                bestEpoch = epoch;
                best = exported!;
                onNewBest?.Invoke(best, result);
            }
        }
        return new FineTuneResult(best!, epochs, bestEpoch, order.Length, validation50.Count, validationAll.Count);
    }

    /// <summary>Cross-entropy against target distributions (rows of <paramref name="targets"/>): −Σ q·log softmax(logits), averaged over the batch.</summary>
    public static Tensor SoftCrossEntropy(Tensor logits, Tensor targets) => -(targets * nn.functional.log_softmax(logits, 1)).sum(1).mean();

    public static (Tensor Ids, Tensor Mask) ToTensors(TokenBatch batch) =>
        (tensor(batch.InputIds, [batch.Rows, batch.Length]), tensor(batch.AttentionMask, [batch.Rows, batch.Length]));

    public static (double Accuracy, double MacroF1) Evaluate(MiniLmClassifier model, SentimentTokenizer tokenizer, IReadOnlyList<LabelledSentence> rows)
    {
        if (rows.Count == 0) return (0, 0);
        model.eval();
        var confusion = new int[3, 3];
        using (no_grad())
        {
            for (var start = 0; start < rows.Count; start += 64)
            {
                using var scope = NewDisposeScope();
                var chunk = rows.Skip(start).Take(64).ToArray();
                var (ids, mask) = ToTensors(tokenizer.EncodeBatch(chunk.Select(r => r.Text).ToArray()));
                var predicted = model.call(ids, mask).argmax(1).data<long>().ToArray();
                for (var i = 0; i < chunk.Length; i++) confusion[(int)chunk[i].Label + 1, predicted[i]]++;
            }
        }
        model.train();
        return ClassificationMetrics.AccuracyAndMacroF1(confusion);
    }
}

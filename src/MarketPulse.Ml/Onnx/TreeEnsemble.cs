using System.Buffers.Binary;
using Google.Protobuf;

namespace MarketPulse.Ml.Onnx;

/// <summary>
/// The regression trees behind one score output of an ONNX graph, read once from the graph so the score can be
/// evaluated, and explained (<see cref="TreeShapley"/>), without ONNX Runtime. Understands exactly what the price GBMs
/// are made of: ML.NET's LightGbm export (<c>ai.onnx.ml</c> <c>TreeEnsembleRegressor</c>, one target, SUM, no post
/// transform, then an <c>Identity</c>) and the seed bag <see cref="OnnxGraphAverage"/> builds from such exports (a
/// <c>Mean</c> over the members). Anything else on the score's path makes <see cref="TryRead"/> answer null with the
/// reason, so callers fall back to what works for any graph.
/// All trees of all members are flattened into one list; the members' averaging weight is folded into the leaf values,
/// so the score is <see cref="Bias"/> + the sum of one leaf value per tree.
/// Node semantics as in onnx/defs/traditionalml (and ONNX Runtime's tree_ensemble_common.h): a branch goes to its true
/// child when <c>x CMP threshold</c> holds, or when x is NaN and the node's missing value tracks true.
/// </summary>
public sealed class TreeEnsemble
{
    private enum Mode : byte { Leaf, Leq, Lt, Gte, Gt, Eq, Neq }

    // One entry per node, all trees together (one array of structs: a walk touches one cache line per node); a leaf has
    // Feature = -1 and its (weighted) value in Value.
    private readonly Node[] _nodes;
    private readonly int[] _roots;
    private readonly int[][] _treeFeatures;

    private TreeEnsemble(List<Node> nodes, List<int> roots, double bias, int featureCount)
    {
        _nodes = [.. nodes.Select(n => n.Mode == Mode.Leaf ? n with { Feature = -1 } : n)];
        _roots = [.. roots];
        Bias = bias;
        FeatureCount = featureCount;
        _treeFeatures = new int[_roots.Length][];
        for (var t = 0; t < _roots.Length; t++)
        {
            var used = new SortedSet<int>();
            var stack = new Stack<int>([_roots[t]]);
            while (stack.TryPop(out var n))
            {
                if (_nodes[n].Feature < 0) continue;
                used.Add(_nodes[n].Feature);
                stack.Push(_nodes[n].True);
                stack.Push(_nodes[n].False);
            }
            _treeFeatures[t] = [.. used];
        }
    }

    /// <summary>The weighted sum of the members' base values.</summary>
    public double Bias { get; }
    public int FeatureCount { get; }
    public int TreeCount => _roots.Length;

    /// <summary>The features tree <paramref name="tree"/> splits on, ascending.</summary>
    public IReadOnlyList<int> TreeFeatures(int tree) => _treeFeatures[tree];

    /// <summary>The distinct thresholds the trees compare feature <paramref name="feature"/> with, ascending.</summary>
    public IReadOnlyList<float> Thresholds(int feature) =>
        [.. _nodes.Where(n => n.Feature == feature).Select(n => n.Threshold).Distinct().Order()];

    /// <summary>The score ONNX Runtime computes for this row (in double; the runtime sums in float).</summary>
    public double Score(ReadOnlySpan<float> x)
    {
        var sum = Bias;
        foreach (var root in _roots) sum += _nodes[Leaf(root, x)].Value;
        return sum;
    }

    /// <summary>The (weighted) value of the leaf tree <paramref name="tree"/> sends the row to.</summary>
    public double TreeValue(int tree, ReadOnlySpan<float> x) => _nodes[Leaf(_roots[tree], x)].Value;

    internal int Root(int tree) => _roots[tree];
    internal bool IsLeaf(int node) => _nodes[node].Feature < 0;
    internal int Feature(int node) => _nodes[node].Feature;
    internal double LeafValue(int node) => _nodes[node].Value;

    /// <summary>The child a value of this node's feature goes to.</summary>
    internal int Child(int node, float value)
    {
        ref readonly var n = ref _nodes[node];
        var goesTrue = n.Mode switch
        {
            Mode.Leq => value <= n.Threshold,
            Mode.Lt => value < n.Threshold,
            Mode.Gte => value >= n.Threshold,
            Mode.Gt => value > n.Threshold,
            Mode.Eq => value == n.Threshold,
            _ => value != n.Threshold,
        } || (n.MissingTrue && float.IsNaN(value));
        return goesTrue ? n.True : n.False;
    }

    private int Leaf(int node, ReadOnlySpan<float> x)
    {
        while (_nodes[node].Feature >= 0) node = Child(node, x[_nodes[node].Feature]);
        return node;
    }

    /// <summary>
    /// Reads the trees computing <paramref name="output"/> from the graph input <paramref name="input"/> ([N, featureCount]).
    /// </summary>
    /// <returns>Null, with <paramref name="reason"/>, when the score's path holds anything but the supported ops.</returns>
    public static TreeEnsemble? TryRead(byte[] onnx, string input, string output, int featureCount, out string reason)
    {
        try
        {
            var model = OnnxProtoReader.ReadFields(UnsafeByteOperations.UnsafeWrap(onnx));
            var graph = OnnxProtoReader.ReadFields(model.FirstOrDefault(f => f.Number == 7).Bytes
                ?? throw new NotSupportedException("no graph"));
            var producers = new Dictionary<string, ByteString>(StringComparer.Ordinal);
            foreach (var f in graph.Where(f => f.Number == 1))
                foreach (var o in OnnxProtoReader.ReadNode(f.Bytes!).Outputs)
                    producers[o] = f.Bytes!;
            var nodes = new List<Node>();
            var roots = new List<int>();
            var bias = 0.0;

            void Add(string value, double weight, int depth)
            {
                if (depth > 64) throw new NotSupportedException("score path too deep");
                if (!producers.TryGetValue(value, out var bytes)) throw new NotSupportedException($"'{value}' is not computed by a node");
                var node = OnnxProtoReader.ReadNode(bytes);
                switch (node.Domain, node.Op)
                {
                    case ("" or "ai.onnx", "Identity"):
                        Add(node.Inputs[0], weight, depth + 1);
                        break;
                    case ("" or "ai.onnx", "Mean"):
                        foreach (var i in node.Inputs) Add(i, weight / node.Inputs.Count, depth + 1);
                        break;
                    case ("ai.onnx.ml", "TreeEnsembleRegressor"):
                        if (node.Inputs.Count != 1 || node.Inputs[0] != input)
                            throw new NotSupportedException($"{node.Name} reads [{string.Join(", ", node.Inputs)}], not the input '{input}'");
                        if (node.Outputs[0] != value) throw new NotSupportedException($"{node.Name}: '{value}' is not its first output");
                        bias += weight * ReadRegressor(bytes, weight, featureCount, nodes, roots);
                        break;
                    default:
                        throw new NotSupportedException($"op {node.Domain}:{node.Op} ({node.Name}) on the score path");
                }
            }

            Add(output, 1.0, 0);
            reason = "";
            return new TreeEnsemble(nodes, roots, bias, featureCount);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidDataException or InvalidProtocolBufferException)
        {
            reason = e.Message;
            return null;
        }
    }

    private record struct Node(int Feature, float Threshold, Mode Mode, bool MissingTrue, int True, int False, double Value);

    /// <summary>Appends one TreeEnsembleRegressor's trees (leaf values times <paramref name="weight"/>); returns its base value.</summary>
    private static double ReadRegressor(ByteString bytes, double weight, int featureCount, List<Node> nodes, List<int> roots)
    {
        var a = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        foreach (var f in OnnxProtoReader.ReadFields(bytes).Where(f => f.Number == 5))
        {
            var attribute = OnnxAttribute.Read(f.Bytes!);
            a[attribute.Name] = attribute;
        }
        // Everything else (the opset-3 *_as_tensor forms, classifier attributes) is refused rather than misread;
        // nodes_hitrates only guides the runtime's memory layout.
        string[] known = ["post_transform", "n_targets", "base_values", "aggregate_function", "nodes_treeids", "nodes_nodeids",
            "nodes_featureids", "nodes_modes", "nodes_values", "nodes_truenodeids", "nodes_falsenodeids",
            "nodes_missing_value_tracks_true", "nodes_hitrates", "target_treeids", "target_nodeids", "target_ids", "target_weights"];
        if (a.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new NotSupportedException($"attribute {unknown}");
        if (a.TryGetValue("post_transform", out var pt) && pt.String is not ("" or "NONE")) throw new NotSupportedException($"post_transform {pt.String}");
        if (a.TryGetValue("aggregate_function", out var agg) && agg.String is not ("" or "SUM")) throw new NotSupportedException($"aggregate_function {agg.String}");
        if (a.TryGetValue("n_targets", out var nt) && nt.Int != 1) throw new NotSupportedException($"n_targets {nt.Int}");
        var baseValues = a.GetValueOrDefault("base_values")?.Floats ?? [];
        if (baseValues.Count > 1) throw new NotSupportedException("more than one base value");

        List<long> Ints(string name) => a.GetValueOrDefault(name)?.Ints ?? throw new InvalidDataException($"no {name}");
        var treeIds = Ints("nodes_treeids");
        var nodeIds = Ints("nodes_nodeids");
        var featureIds = Ints("nodes_featureids");
        var trueIds = Ints("nodes_truenodeids");
        var falseIds = Ints("nodes_falsenodeids");
        var modes = a.GetValueOrDefault("nodes_modes")?.Strings ?? throw new InvalidDataException("no nodes_modes");
        var values = a.GetValueOrDefault("nodes_values")?.Floats ?? throw new InvalidDataException("no nodes_values");
        var missing = a.GetValueOrDefault("nodes_missing_value_tracks_true")?.Ints ?? [];
        var n = treeIds.Count;
        if (new[] { nodeIds.Count, featureIds.Count, trueIds.Count, falseIds.Count, modes.Count, values.Count }.Any(c => c != n)
            || (missing.Count != 0 && missing.Count != n))
            throw new InvalidDataException("nodes_* attributes of different lengths");

        var offset = nodes.Count;
        var index = new Dictionary<(long Tree, long Node), int>();
        for (var i = 0; i < n; i++)
        {
            var mode = modes[i] switch
            {
                "LEAF" => Mode.Leaf,
                "BRANCH_LEQ" => Mode.Leq,
                "BRANCH_LT" => Mode.Lt,
                "BRANCH_GTE" => Mode.Gte,
                "BRANCH_GT" => Mode.Gt,
                "BRANCH_EQ" => Mode.Eq,
                "BRANCH_NEQ" => Mode.Neq,
                var m => throw new NotSupportedException($"node mode {m}"),
            };
            if (mode != Mode.Leaf && (featureIds[i] < 0 || featureIds[i] >= featureCount))
                throw new InvalidDataException($"node reads feature {featureIds[i]} of {featureCount}");
            if (!index.TryAdd((treeIds[i], nodeIds[i]), offset + i)) throw new InvalidDataException($"duplicate node {treeIds[i]}/{nodeIds[i]}");
            nodes.Add(new Node((int)featureIds[i], values[i], mode, missing.Count != 0 && missing[i] != 0, -1, -1, 0));
        }
        var isChild = new bool[n];
        for (var i = 0; i < n; i++)
        {
            if (nodes[offset + i].Mode == Mode.Leaf) continue;
            int Resolve(long id) => index.TryGetValue((treeIds[i], id), out var j) ? j
                : throw new InvalidDataException($"tree {treeIds[i]} node {nodeIds[i]} points to missing node {id}");
            var (t, f) = (Resolve(trueIds[i]), Resolve(falseIds[i]));
            isChild[t - offset] = isChild[f - offset] = true;
            nodes[offset + i] = nodes[offset + i] with { True = t, False = f };
        }

        var targetTrees = Ints("target_treeids");
        var targetNodes = Ints("target_nodeids");
        var targetIds = Ints("target_ids");
        var targetWeights = a.GetValueOrDefault("target_weights")?.Floats ?? throw new InvalidDataException("no target_weights");
        if (targetNodes.Count != targetTrees.Count || targetIds.Count != targetTrees.Count || targetWeights.Count != targetTrees.Count)
            throw new InvalidDataException("target_* attributes of different lengths");
        for (var i = 0; i < targetTrees.Count; i++)
        {
            if (targetIds[i] != 0) throw new NotSupportedException($"target id {targetIds[i]}");
            if (!index.TryGetValue((targetTrees[i], targetNodes[i]), out var j) || nodes[j].Mode != Mode.Leaf)
                throw new InvalidDataException($"target weight for node {targetTrees[i]}/{targetNodes[i]}, not a leaf");
            // Summed the way the runtime sums several weights of one leaf, and scaled by the member's weight in the bag.
            nodes[j] = nodes[j] with { Value = nodes[j].Value + weight * targetWeights[i] };
        }

        // Each tree's root is its one node no branch points to; walking from it must reach every node of the tree once.
        var treeRoots = new Dictionary<long, int>();
        for (var i = 0; i < n; i++)
        {
            if (isChild[i]) continue;
            if (!treeRoots.TryAdd(treeIds[i], offset + i)) throw new InvalidDataException($"tree {treeIds[i]} has more than one root");
        }
        var seen = new bool[n];
        foreach (var root in treeRoots.OrderBy(r => r.Key).Select(r => r.Value))
        {
            var stack = new Stack<(int Node, int Depth)>([(root, 0)]);
            while (stack.TryPop(out var top))
            {
                if (seen[top.Node - offset] || top.Depth > 256) throw new InvalidDataException("tree is not a tree (a node reached twice, or too deep)");
                seen[top.Node - offset] = true;
                var node = nodes[top.Node];
                if (node.Mode == Mode.Leaf) continue;
                stack.Push((node.True, top.Depth + 1));
                stack.Push((node.False, top.Depth + 1));
            }
            roots.Add(root);
        }
        if (seen.Contains(false)) throw new InvalidDataException("nodes not reachable from a root");
        return baseValues.Count == 0 ? 0 : baseValues[0];
    }

    /// <summary>
    /// An <c>AttributeProto</c>: name = 1, f = 2, i = 3, s = 4, floats = 7, ints = 8, strings = 9 (repeated numbers either
    /// packed or one field each, as protobuf allows).
    /// </summary>
    private sealed record OnnxAttribute(string Name, long Int, string String, List<float> Floats, List<long> Ints, List<string> Strings)
    {
        public static OnnxAttribute Read(ByteString bytes)
        {
            string name = "", s = "";
            long i = 0;
            List<float> floats = [];
            List<long> ints = [];
            List<string> strings = [];
            var input = bytes.CreateCodedInput();
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var packed = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1: name = input.ReadString(); break;
                    case 3: i = input.ReadInt64(); break;
                    case 4: s = input.ReadBytes().ToStringUtf8(); break;
                    case 7 when packed:
                        var fb = input.ReadBytes().Span;
                        for (var k = 0; k + 4 <= fb.Length; k += 4) floats.Add(BinaryPrimitives.ReadSingleLittleEndian(fb.Slice(k, 4)));
                        break;
                    case 7: floats.Add(input.ReadFloat()); break;
                    case 8 when packed:
                        var ib = input.ReadBytes().CreateCodedInput();
                        while (!ib.IsAtEnd) ints.Add(ib.ReadInt64());
                        break;
                    case 8: ints.Add(input.ReadInt64()); break;
                    case 9: strings.Add(input.ReadBytes().ToStringUtf8()); break;
                    case 2 or 13 or 20: input.SkipLastField(); break; // f, doc_string, type
                    case var other: throw new NotSupportedException($"attribute field {other}");
                }
            }
            return new OnnxAttribute(name, i, s, floats, ints, strings);
        }
    }
}

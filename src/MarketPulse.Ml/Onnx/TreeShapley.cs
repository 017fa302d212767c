namespace MarketPulse.Ml.Onnx;

/// <summary>
/// Exact Shapley values of a <see cref="TreeEnsemble"/>'s score for the single-reference (interventional) game
/// v(S) = f(x on S, r elsewhere): φ sums to f(x) − f(r). Each tree is walked once, following x and r together while they
/// take the same branch; where they part on a feature not yet decided on the path, the walk forks into "feature from x"
/// and "feature from r", and a later split on that feature follows the side chosen. A leaf reached with the set A of
/// features taken from x and B taken from r is worth v(S) = value iff A ⊆ S and B ∩ S = ∅; that game's Shapley values
/// are value·(|A|−1)!|B|!/(|A|+|B|)! for each feature of A and −value·|A|!(|B|−1)!/(|A|+|B|)! for each of B, and the
/// Shapley value is linear in the game, so the leaves' shares add up. Cost: one path per leaf at most, no subset enumeration.
/// </summary>
public static class TreeShapley
{
    /// <summary>Adds every tree's Shapley values to <paramref name="phi"/> (length <see cref="TreeEnsemble.FeatureCount"/>).</summary>
    public static void Add(TreeEnsemble trees, ReadOnlySpan<float> x, ReadOnlySpan<float> reference, Span<double> phi)
    {
        Check(trees, x, reference, phi);
        var n = trees.FeatureCount;
        Span<sbyte> side = n <= 256 ? stackalloc sbyte[n] : new sbyte[n];
        Span<int> fromX = n <= 256 ? stackalloc int[n] : new int[n];
        Span<int> fromR = n <= 256 ? stackalloc int[n] : new int[n];
        side.Clear();
        for (var t = 0; t < trees.TreeCount; t++) Walk(trees, trees.Root(t), x, reference, side, fromX, 0, fromR, 0, phi);
    }

    /// <summary>Adds tree <paramref name="tree"/>'s Shapley values to <paramref name="phi"/>.</summary>
    public static void AddTree(TreeEnsemble trees, int tree, ReadOnlySpan<float> x, ReadOnlySpan<float> reference, Span<double> phi)
    {
        Check(trees, x, reference, phi);
        var n = trees.FeatureCount;
        Walk(trees, trees.Root(tree), x, reference, new sbyte[n], new int[n], 0, new int[n], 0, phi);
    }

    private static void Check(TreeEnsemble trees, ReadOnlySpan<float> x, ReadOnlySpan<float> reference, Span<double> phi)
    {
        if (x.Length != trees.FeatureCount || reference.Length != trees.FeatureCount || phi.Length != trees.FeatureCount)
            throw new ArgumentException($"rows and contributions must have {trees.FeatureCount} features");
    }

    private static void Walk(TreeEnsemble trees, int node, ReadOnlySpan<float> x, ReadOnlySpan<float> r, Span<sbyte> side,
        Span<int> fromX, int a, Span<int> fromR, int b, Span<double> phi)
    {
        while (!trees.IsLeaf(node))
        {
            var f = trees.Feature(node);
            var viaX = trees.Child(node, x[f]);
            if (side[f] > 0) { node = viaX; continue; }
            var viaR = trees.Child(node, r[f]);
            if (side[f] < 0 || viaX == viaR) { node = viaR; continue; }
            side[f] = 1;
            fromX[a] = f;
            Walk(trees, viaX, x, r, side, fromX, a + 1, fromR, b, phi);
            side[f] = -1;
            fromR[b] = f;
            Walk(trees, viaR, x, r, side, fromX, a, fromR, b + 1, phi);
            side[f] = 0;
            return;
        }
        var value = trees.LeafValue(node);
        if (value == 0) return;
        if (a > 0)
        {
            var share = value * Weight(a, b);
            for (var i = 0; i < a; i++) phi[fromX[i]] += share;
        }
        if (b > 0)
        {
            var share = value * Weight(b, a);
            for (var i = 0; i < b; i++) phi[fromR[i]] -= share;
        }
    }

    /// <summary>(k−1)!·m!/(k+m)! = (1/k)·Π_{i≤m} i/(k+i), without factorials that overflow.</summary>
    private static double Weight(int k, int m)
    {
        var w = 1.0 / k;
        for (var i = 1; i <= m; i++) w *= (double)i / (k + i);
        return w;
    }
}

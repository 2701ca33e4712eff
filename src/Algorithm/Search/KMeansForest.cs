using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.Algorithm.Search;

/// <summary>
/// Several k-means trees over the same keys (built with different seeds) searched best first with one gap-priority
/// heap (<see cref="BestFirstOptions.GapPriority"/>): every root starts at priority 0, so the first descents of
/// all trees come first, then the branches any descent nearly took, under one budget of distance computations.
/// Different partitions put different boundaries between a query and its nearest key.
/// </summary>
internal sealed class KMeansForest : INearestKeySearch
{
    private const int NodeBits = 26;
    private readonly KMeansTree[] _trees;
    private readonly int _capacity;
    private readonly int _branching;
    [ThreadStatic] private static double[]? t_keys;
    [ThreadStatic] private static int[]? t_nodes;
    [ThreadStatic] private static double[]? t_distances;

    public KMeansForest(IReadOnlyList<KMeansTree> trees, int budget)
    {
        if (trees.Count < 1 || trees.Count > 32) throw Mbi.Core.Errors.BadInputException.For("forest trees", trees.Count, "between 1 and 32", "2");
        if (budget < 1) throw Mbi.Core.Errors.BadInputException.For("best-first budget", budget, ">= 1 distance computation", "224");
        _trees = [.. trees];
        foreach (var t in _trees)
        {
            if (t.Rows != _trees[0].Rows || !ReferenceEquals(t.Kernel, _trees[0].Kernel))
                throw new ArgumentException("the trees of a forest must index the same keys with the same kernel", nameof(trees));
            if (t.Nodes.Length >= 1 << NodeBits) throw new ArgumentException("a tree has too many nodes for the forest's heap", nameof(trees));
            _capacity += t.Nodes.Length;
            _branching = Math.Max(_branching, t.Branching);
        }
        Budget = budget;
    }

    public DistanceKernel Kernel => _trees[0].Kernel;
    public int Rows => _trees[0].Rows;
    public int Budget { get; }
    public IReadOnlyList<KMeansTree> Trees => _trees;

    public SearchResult Nearest(ReadOnlySpan<ulong> query)
    {
        double[] keys = t_keys is { } k && k.Length >= _capacity ? k : (t_keys = new double[_capacity]);
        int[] heap = t_nodes is { } h && h.Length >= _capacity ? h : (t_nodes = new int[_capacity]);
        double[] distances = t_distances is { } d0 && d0.Length >= _branching ? d0 : (t_distances = new double[_branching]);
        int size = 0, computations = 0, scans = 0, bestRow = -1;
        double best = double.PositiveInfinity;
        // Every tree's first descent comes first and is always made (the count passes the budget only if the
        // budget is below their sum); then the branches any descent nearly took, while the budget lasts.
        for (int t = 0; t < _trees.Length; t++)
            Descend(query, t, 0, 0, forced: true, keys, heap, ref size, distances, ref computations, ref scans, ref best, ref bestRow);
        while (size > 0)
        {
            double priority = keys[0];
            int entry = KMeansTree.Pop(keys, heap, ref size);
            if (!Descend(query, entry >> NodeBits, entry & ((1 << NodeBits) - 1), priority, forced: false, keys, heap, ref size, distances,
                    ref computations, ref scans, ref best, ref bestRow)) break;
        }
        return new SearchResult(bestRow, best, scans, computations);
    }

    /// <summary>Descends tree t from a node to a leaf, pushing the siblings passed; false if the budget stopped it.</summary>
    private bool Descend(ReadOnlySpan<ulong> query, int t, int node, double priority, bool forced, double[] keys, int[] heap, ref int size,
        double[] distances, ref int computations, ref int scans, ref double best, ref int bestRow)
    {
        KMeansTree tree = _trees[t];
        var nodes = tree.Nodes;
        while (true)
        {
            TreeNode n = nodes[node];
            int cost = n.IsLeaf ? n.LeafCount : n.ChildCount;
            if (!forced && computations + cost > Budget) return false;
            computations += cost;
            scans++;
            if (n.IsLeaf)
            {
                NearestMatch m = Kernel.Nearest(tree.Leaves, query, n.LeafRow, n.LeafCount);
                int row = tree.LeafRowIds[m.Row];
                if (m.Distance < best || (m.Distance == best && row < bestRow)) { best = m.Distance; bestRow = row; }
                return true;
            }
            Span<double> d = distances.AsSpan(0, n.ChildCount);
            Kernel.Distances(tree.Centroids, query, n.CentroidRow, n.ChildCount, d);
            int nearest = 0;
            for (int c = 1; c < n.ChildCount; c++) if (d[c] < d[nearest]) nearest = c;
            for (int c = 0; c < n.ChildCount; c++)
                if (c != nearest) KMeansTree.Push(keys, heap, ref size, priority + (d[c] - d[nearest]), (t << NodeBits) | (n.FirstChild + c));
            node = n.FirstChild + nearest;
        }
    }
}

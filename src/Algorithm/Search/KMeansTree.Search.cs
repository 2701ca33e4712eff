using Mbi.Algorithm.Memorization.Keys;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Search;

/// <summary>
/// Best-first search of a <see cref="KMeansTree"/> under a budget of distance computations (issue #13 item 2):
/// a min-heap holds every node whose centroid has been scored but not yet visited, keyed by its priority
/// <c>max(0, d(q, centroid) - BoundWeight x radius)</c>; the search repeatedly takes the best node and descends
/// from it to a leaf by nearest centroid, pushing the siblings passed on the way. Nodes are scanned whole (a node
/// is one array); the search stops at the first node whose scan would pass <see cref="Budget"/>, except on the
/// first descent, which always reaches a leaf (so a lookup always returns a key; only a budget below one descent
/// is passed). The order nodes are visited in does not depend on the budget, so a larger budget scans a superset
/// of the nodes and never finds a farther key. With BoundWeight = 1 the
/// priority is a true lower bound (the weighted popcount distance is a metric; radius = farthest key of the
/// subtree from its centroid), so the search also stops when no remaining node can beat the best key: with an
/// unlimited budget it then returns the exact nearest key.
/// </summary>
public sealed record BestFirstOptions
{
    /// <summary>Most distance computations (keys plus centroids scored) a lookup may make.</summary>
    public int Budget { get; init; } = 224;

    /// <summary>
    /// How much of a node's radius is taken off its centroid distance: 0 = pure centroid distance (the usual
    /// priority search), 1 = the triangle-inequality lower bound (admissible: exact pruning).
    /// </summary>
    public double BoundWeight { get; init; }

    /// <summary>
    /// Gap priority instead: a node's priority is the sum, over the descent that reached it, of how much farther
    /// its centroid was than the nearest sibling's (d(q, c) - min d(q, c')), so the search next explores the
    /// branches the descent nearly took, at any depth (BoundWeight is then ignored).
    /// </summary>
    public bool GapPriority { get; init; }

    /// <summary>
    /// Gap priority only: a gap met at depth d counts GapDepthFactor^d times (1 = plain sum; above 1 deep gaps
    /// weigh more, so the search goes back to branches near the root sooner).
    /// </summary>
    public double GapDepthFactor { get; init; } = 1;

    /// <summary>Checks every option once (names the option).</summary>
    public void Validate()
    {
        if (!double.IsFinite(GapDepthFactor) || GapDepthFactor <= 0)
            throw BadInputException.For("gap depth factor", GapDepthFactor, "a finite number > 0", "1");
        if (Budget < 1) throw BadInputException.For("best-first budget", Budget, ">= 1 distance computation", "224");
        if (!double.IsFinite(BoundWeight) || BoundWeight < 0 || BoundWeight > 1)
            throw BadInputException.For("best-first bound weight", BoundWeight, "between 0 and 1", "0");
    }
}

public sealed partial class KMeansTree
{
    /// <summary>Per-thread heap of the best-first search: grown once, then reused (no allocation per lookup).</summary>
    [ThreadStatic] private static double[]? t_heapKeys;
    [ThreadStatic] private static int[]? t_heapNodes;
    [ThreadStatic] private static double[]? t_distances;

    /// <summary>Best-first options of this view of the tree, or null (single descent or beam).</summary>
    public BestFirstOptions? BestFirst { get; }

    /// <summary>
    /// Radius of each node: the largest distance from its centroid to a key of its subtree (the root, which has
    /// no centroid, has +infinity). Null until a best-first view is made.
    /// </summary>
    public ReadOnlySpan<double> Radii => _radii;

    /// <summary>The same tree searched best first under <paramref name="options"/> (no copy of the keys).</summary>
    public KMeansTree WithBestFirst(BestFirstOptions options)
    {
        options.Validate();
        return new KMeansTree(Kernel, _nodes, Centroids, _centroidElements, Leaves, _leafRowIds, Rows,
            _radii ?? ComputeRadii(Kernel, _nodes, Centroids, Leaves, _leafRowIds), 1, options);
    }

    private SearchResult BestFirstSearch(ReadOnlySpan<ulong> query, BestFirstOptions options, NearestSet? top)
    {
        double[] radii = _radii!;
        int capacity = _nodes.Length + 1;
        double[] heapKeys = t_heapKeys is { } hk && hk.Length >= capacity ? hk : (t_heapKeys = new double[capacity]);
        int[] heapNodes = t_heapNodes is { } hn && hn.Length >= capacity ? hn : (t_heapNodes = new int[capacity]);
        double[] distances = t_distances is { } td && td.Length >= _branching ? td : (t_distances = new double[_branching]);
        int budget = options.Budget;
        bool gap = options.GapPriority;
        double depthFactor = options.GapDepthFactor;
        double boundWeight = gap ? 0 : options.BoundWeight;
        bool admissible = !gap && boundWeight >= 1;

        int size = 0, computations = 0, scans = 0, bestRow = -1;
        double best = double.PositiveInfinity;
        Push(heapKeys, heapNodes, ref size, 0, 0);
        while (size > 0)
        {
            double priority = heapKeys[0];
            int node = Pop(heapKeys, heapNodes, ref size);
            if (admissible && priority >= (top?.Bound ?? best)) break; // nothing left can be nearer than the best key (the k-th best when k are kept)
            while (true)
            {
                TreeNode n = _nodes[node];
                int cost = n.IsLeaf ? n.LeafCount : n.ChildCount;
                if (computations + cost > budget && bestRow >= 0) return new SearchResult(bestRow, best, scans, computations);
                computations += cost;
                scans++;
                if (n.IsLeaf)
                {
                    ScanLeaf(query, n, top, ref best, ref bestRow);
                    break;
                }
                Span<double> d = distances.AsSpan(0, n.ChildCount);
                Kernel.Distances(Centroids, query, n.CentroidRow, n.ChildCount, d);
                double depthScale = depthFactor == 1 ? 1 : Math.Pow(depthFactor, n.Depth);
                int nearest = -1;
                double nearestKey = double.PositiveInfinity;
                for (int c = 0; c < n.ChildCount; c++)
                {
                    int child = n.FirstChild + c;
                    double key = Math.Max(0, d[c] - boundWeight * radii[child]);
                    if (key < nearestKey || (key == nearestKey && nearest >= 0 && d[c] < d[nearest])) { nearestKey = key; nearest = c; }
                }
                for (int c = 0; c < n.ChildCount; c++)
                {
                    if (c == nearest) continue;
                    double key = gap ? priority + (d[c] - d[nearest]) * depthScale : Math.Max(0, d[c] - boundWeight * radii[n.FirstChild + c]);
                    if (admissible && key >= (top?.Bound ?? best)) continue;
                    Push(heapKeys, heapNodes, ref size, key, n.FirstChild + c);
                }
                if (admissible && nearestKey >= (top?.Bound ?? best)) break;
                node = n.FirstChild + nearest;
            }
        }
        return new SearchResult(bestRow, best, scans, computations);
    }

    // Binary min-heap on (key, node): ties go to the lower node index, so the order is deterministic.
    /// <summary>Min-heap of (priority, node) in two flat arrays, ties to the lower node; shared with <see cref="KMeansForest"/>.</summary>
    internal static void Push(double[] keys, int[] nodes, ref int size, double key, int node)
    {
        int i = size++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Less(key, node, keys[parent], nodes[parent])) break;
            keys[i] = keys[parent];
            nodes[i] = nodes[parent];
            i = parent;
        }
        keys[i] = key;
        nodes[i] = node;
    }

    internal static int Pop(double[] keys, int[] nodes, ref int size)
    {
        int top = nodes[0];
        size--;
        if (size == 0) return top;
        double key = keys[size];
        int node = nodes[size];
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && Less(keys[child + 1], nodes[child + 1], keys[child], nodes[child])) child++;
            if (!Less(keys[child], nodes[child], key, node)) break;
            keys[i] = keys[child];
            nodes[i] = nodes[child];
            i = child;
        }
        keys[i] = key;
        nodes[i] = node;
        return top;
    }

    private static bool Less(double keyA, int nodeA, double keyB, int nodeB) => keyA < keyB || (keyA == keyB && nodeA < nodeB);

    /// <summary>For every node, the largest distance from its centroid to a key of its subtree.</summary>
    private static double[] ComputeRadii(DistanceKernel kernel, TreeNode[] nodes, KeyTable centroids, KeyTable leaves, int[] leafRowIds)
    {
        var parent = new int[nodes.Length];
        parent[0] = -1;
        for (int i = 0; i < nodes.Length; i++)
            for (int c = 0; c < nodes[i].ChildCount; c++) parent[nodes[i].FirstChild + c] = i;
        var radii = new double[nodes.Length];
        radii[0] = double.PositiveInfinity;
        Span<ulong> key = stackalloc ulong[kernel.Layout.WordsPerKey];
        Span<ulong> centre = stackalloc ulong[kernel.Layout.WordsPerKey];
        for (int i = 0; i < nodes.Length; i++)
        {
            if (!nodes[i].IsLeaf) continue;
            for (int r = nodes[i].LeafRow; r < nodes[i].LeafRow + nodes[i].LeafCount; r++)
            {
                leaves.CopyRow(r, key);
                for (int a = i; parent[a] >= 0; a = parent[a])
                {
                    TreeNode p = nodes[parent[a]];
                    centroids.CopyRow(p.CentroidRow + (a - p.FirstChild), centre);
                    radii[a] = Math.Max(radii[a], kernel.Distance(key, centre));
                }
            }
        }
        return radii;
    }
}

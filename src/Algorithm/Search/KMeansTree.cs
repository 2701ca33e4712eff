using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.Algorithm.Search;

/// <summary>
/// A node of the hierarchical k-means tree. An inner node holds the centroids of its children in rows
/// [CentroidRow, CentroidRow + ChildCount) of <see cref="KMeansTree.Centroids"/> (at most 32: one array; only a
/// root built with <see cref="KMeansTreeOptions.RootBranching"/> > 32 spans several arrays);
/// a leaf holds LUT keys in rows [LeafRow, LeafRow + LeafCount) of <see cref="KMeansTree.Leaves"/>.
/// Both ranges start on an 8-row block.
/// </summary>
public readonly record struct TreeNode(int FirstChild, int ChildCount, int CentroidRow, int LeafRow, int LeafCount, int Depth)
{
    /// <summary>True for a leaf (its keys are scanned exactly).</summary>
    public bool IsLeaf => ChildCount == 0;
}

/// <summary>Options of <see cref="KMeansTree.Build"/>.</summary>
public sealed record KMeansTreeOptions
{
    /// <summary>Children per inner node: its centroids fill one 32-row array.</summary>
    public int Branching { get; init; } = 32;
    /// <summary>A node with at most this many keys becomes a leaf (scanned exactly).</summary>
    public int LeafSize { get; init; } = 32;
    /// <summary>k-medians refinement rounds per split.</summary>
    public int Iterations { get; init; } = 8;
    /// <summary>Seed of the k-medians initialisation.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Search beam: nodes kept per level (1 = the paper's single descent).</summary>
    public int Beam { get; init; } = 1;
    /// <summary>
    /// Best-first search with gap priority under this many distance computations per lookup
    /// (<see cref="BestFirstOptions"/>; 0 = single descent or <see cref="Beam"/>).
    /// </summary>
    public int Budget { get; init; }
    /// <summary>
    /// Children of the root: more than <see cref="Branching"/> makes a wider first level, several arrays of
    /// centroids scanned in full (0 = <see cref="Branching"/>).
    /// </summary>
    public int RootBranching { get; init; }
    /// <summary>
    /// Spill (keys stored in more than one leaf): in a split of at most <see cref="SpillMaxKeys"/> keys, a key
    /// whose distance to another centroid is within (1 + SpillRatio) of its distance to its own also joins every such group that
    /// then still fits one leaf (LeafSize keys): boundary keys fill the free rows of neighbouring leaves. 0 = every key in exactly one leaf.
    /// </summary>
    public double SpillRatio { get; init; }
    /// <summary>
    /// Balanced leaves: a node of at most Branching x LeafSize keys is split into ceil(keys / LeafSize) leaves
    /// of at most LeafSize keys each (k-medians with a capacity: keys taken nearest-pair first), so leaves are
    /// full arrays instead of many small ones. A query still descends to the nearest centroid, so a key can sit
    /// in a leaf other than its nearest centroid's (spill puts it in both).
    /// </summary>
    public bool BalancedLeaves { get; init; }
    /// <summary>Splits of at most this many keys spill (0 = Branching x LeafSize: the splits into leaves).</summary>
    public int SpillMaxKeys { get; init; }
    /// <summary>
    /// Overlapping splits (a spill tree): in the top <see cref="OverlapLevels"/> levels, a key also joins every other
    /// group whose centroid is within (1 + OverlapRatio) of its distance to its own, so a query near a boundary
    /// finds its neighbours on either side (0 = off). Copies grow the groups: count the stored rows.
    /// </summary>
    public double OverlapRatio { get; init; }
    /// <summary>Levels from the root whose splits overlap (with <see cref="OverlapRatio"/> > 0).</summary>
    public int OverlapLevels { get; init; } = 1;
    /// <summary>
    /// Neighbour spill: after the tree is built, every leaf also stores (up to <see cref="LeafCapacity"/> rows) the
    /// keys that are among the NeighbourSpill nearest other keys of its own keys but sit in other leaves
    /// (0 = off). Build with a <see cref="LeafSize"/> below the capacity to leave rows free.
    /// </summary>
    public int NeighbourSpill { get; init; }
    /// <summary>Rows a leaf array may hold once neighbours are spilled into it (0 = <see cref="LeafSize"/>; 32 = one array).</summary>
    public int LeafCapacity { get; init; }
    /// <summary>Distances per key of the best-first search that finds each key's neighbours at build time.</summary>
    public int NeighbourSearchBudget { get; init; } = 1024;
    /// <summary>
    /// Query fill: after the tree is built, each leaf's free rows (up to <see cref="LeafCapacity"/>) first take the exact
    /// nearest keys that these recorded fit queries needed when they descended into it (most-voted first), then the
    /// neighbour spill's keys (with <see cref="NeighbourSpill"/>). Null = off. The queries must have been recorded for
    /// these keys, metric and weights (<see cref="FitQueries.Fingerprint"/>).
    /// </summary>
    public FitQueries? QueryFill { get; init; }

    /// <summary>Checks every option once (names the option).</summary>
    public void Validate()
    {
        if (RootBranching < 0) throw Mbi.Core.Errors.BadInputException.For("root_branching", RootBranching, ">= 0 (0 = the branching)", "128");
        if (!double.IsFinite(SpillRatio) || SpillRatio < 0) throw Mbi.Core.Errors.BadInputException.For("spill_ratio", SpillRatio, "a finite number >= 0", "0.1");
        if (SpillMaxKeys < 0) throw Mbi.Core.Errors.BadInputException.For("spill_max_keys", SpillMaxKeys, ">= 0 (0 = branching x leaf size)", "1024");
        if (Budget < 0) throw Mbi.Core.Errors.BadInputException.For("best-first budget", Budget, ">= 0 distance computations (0 = single descent or beam)", "224");
        if (Budget > 0 && Beam > 1) throw Mbi.Core.Errors.BadInputException.For("beam", Beam, "1 when a best-first budget is set (the two searches exclude each other)", "1");
        if (Beam < 1 || Beam > 64) throw Mbi.Core.Errors.BadInputException.For("beam", Beam, "between 1 and 64", "1");
        if (Branching < 2) throw Mbi.Core.Errors.BadInputException.For("branching", Branching, ">= 2", "32");
        if (LeafSize < 1) throw Mbi.Core.Errors.BadInputException.For("leaf_size", LeafSize, ">= 1", "32");
        if (Iterations < 1) throw Mbi.Core.Errors.BadInputException.For("k-means iterations", Iterations, ">= 1", "8");
        if (!double.IsFinite(OverlapRatio) || OverlapRatio < 0) throw Mbi.Core.Errors.BadInputException.For("overlap ratio", OverlapRatio, "a finite number >= 0", "0.05");
        if (OverlapLevels < 0) throw Mbi.Core.Errors.BadInputException.For("overlap levels", OverlapLevels, ">= 0", "1");
        if (NeighbourSpill < 0 || NeighbourSpill > 32) throw Mbi.Core.Errors.BadInputException.For("neighbour spill", NeighbourSpill, "between 0 and 32 neighbours per key", "2");
        if (LeafCapacity != 0 && LeafCapacity < LeafSize) throw Mbi.Core.Errors.BadInputException.For("leaf capacity", LeafCapacity, $"0 or >= the leaf size ({LeafSize})", "32");
        if (NeighbourSearchBudget < 1) throw Mbi.Core.Errors.BadInputException.For("neighbour search budget", NeighbourSearchBudget, ">= 1 distance computation", "1024");
    }
}

/// <summary>
/// Hierarchical k-means (k-medians, the L1 centre) tree over a LUT's keys (paper Sec. III-C, Fig. 4(b)):
/// each split clusters a node's keys into at most 32 groups by the lookup distance itself, recursively
/// until a node holds no more than the leaf size. A query descends by nearest centroid and scans its leaf
/// exactly, so a lookup costs levels x (at most 32) distances instead of one per LUT row. Centroids are
/// medians of quantized elements, hence themselves valid keys that an array can store.
/// Deterministic from the seed. Search allocates nothing.
/// </summary>
public sealed partial class KMeansTree : INearestKeySearch
{
    private readonly TreeNode[] _nodes;
    private readonly int[] _leafRowIds;
    private readonly int _branching;

    private readonly byte[] _centroidElements;
    private readonly double[]? _radii;

    private KMeansTree(DistanceKernel kernel, TreeNode[] nodes, KeyTable centroids, byte[] centroidElements, KeyTable leaves, int[] leafRowIds, int rows,
        double[]? radii, int beam = 1, BestFirstOptions? bestFirst = null)
    {
        _centroidElements = centroidElements;
        _radii = radii;
        Beam = beam;
        BestFirst = bestFirst;
        Kernel = kernel;
        _nodes = nodes;
        Centroids = centroids;
        Leaves = leaves;
        _leafRowIds = leafRowIds;
        Rows = rows;
        foreach (var n in nodes) _branching = Math.Max(_branching, n.ChildCount);
        _branching = Math.Max(1, _branching);
    }

    /// <summary>The distance kernel the tree is built and searched with.</summary>
    public DistanceKernel Kernel { get; }
    /// <summary>Rows of the lookup table the tree holds.</summary>
    public int Rows { get; }
    /// <summary>Nodes kept per level: 1 is the paper's single descent; more scan more arrays for better matches.</summary>
    public int Beam { get; }
    /// <summary>Children per inner node.</summary>
    public int Branching => _branching;
    /// <summary>Every node, the root first.</summary>
    public ReadOnlySpan<TreeNode> Nodes => _nodes;
    /// <summary>Centroid keys of inner nodes (block-padded; see <see cref="TreeNode"/>).</summary>
    internal KeyTable Centroids { get; }
    /// <summary>
    /// Centroids as key elements (stride ElementsPerKey, same rows as <see cref="Centroids"/>): the quantized
    /// levels an array stores binary coded, for mapping nodes onto 32x32 arrays.
    /// </summary>
    public ReadOnlySpan<byte> CentroidElements => _centroidElements;
    /// <summary>LUT keys regrouped by leaf (block-padded).</summary>
    internal KeyTable Leaves { get; }
    /// <summary>LUT row of each row of <see cref="Leaves"/> (-1 for padding).</summary>
    public ReadOnlySpan<int> LeafRowIds => _leafRowIds;

    /// <summary>Levels from the root to the deepest leaf.</summary>
    public int Depth
    {
        get
        {
            int depth = 0;
            foreach (var n in _nodes) depth = Math.Max(depth, n.Depth + 1);
            return depth;
        }
    }

    /// <summary>Number of leaves.</summary>
    public int LeafCount
    {
        get
        {
            int leaves = 0;
            foreach (var n in _nodes) if (n.IsLeaf) leaves++;
            return leaves;
        }
    }

    /// <summary>Keys stored in the leaves: <see cref="Rows"/> plus every spilled or overlapping copy.</summary>
    public long StoredKeys
    {
        get
        {
            long keys = 0;
            foreach (var n in _nodes) if (n.IsLeaf) keys += n.LeafCount;
            return keys;
        }
    }

    /// <summary>Centroid rows stored in the inner nodes (one per child).</summary>
    public long CentroidRowCount
    {
        get
        {
            long rows = 0;
            foreach (var n in _nodes) rows += n.ChildCount;
            return rows;
        }
    }

    /// <summary>The same tree searched with a beam of <paramref name="beam"/> nodes per level (no copy of the data).</summary>
    public KMeansTree WithBeam(int beam)
    {
        if (beam < 1 || beam > 64) throw Mbi.Core.Errors.BadInputException.For("beam", beam, "between 1 and 64", "1");
        return new KMeansTree(Kernel, _nodes, Centroids, _centroidElements, Leaves, _leafRowIds, Rows, _radii, beam);
    }

    /// <summary>The same tree searched with another distance (same key layout), e.g. while tuning weights.</summary>
    public KMeansTree WithKernel(DistanceKernel kernel)
    {
        if (kernel.Layout.Spec != Kernel.Layout.Spec || kernel.Layout.Metric != Kernel.Layout.Metric)
            throw new ArgumentException("the kernel's key layout differs from the tree's", nameof(kernel));
        return new KMeansTree(kernel, _nodes, Centroids, _centroidElements, Leaves, _leafRowIds, Rows,
            BestFirst is null ? null : ComputeRadii(kernel, _nodes, Centroids, Leaves, _leafRowIds), Beam, BestFirst);
    }

    /// <summary>Descends to a leaf (a beam of <see cref="Beam"/> nodes per level) and scans it; returns the best row found.</summary>
    public SearchResult Nearest(ReadOnlySpan<ulong> query) => Search(query, null);

    SearchResult INearestKeySearch.NearestK(ReadOnlySpan<ulong> query, NearestSet nearest)
    {
        nearest.Clear();
        return Search(query, nearest);
    }

    private SearchResult Search(ReadOnlySpan<ulong> query, NearestSet? top) =>
        BestFirst is { } options ? BestFirstSearch(query, options, top) : Beam == 1 ? Descend(query, top) : BeamSearch(query, top);

    [ThreadStatic] private static double[]? t_leafDistances;

    /// <summary>Scans one leaf: the best key so far, and with <paramref name="top"/> every key offered to the k nearest.</summary>
    private void ScanLeaf(ReadOnlySpan<ulong> query, TreeNode n, NearestSet? top, ref double best, ref int bestRow)
    {
        if (top is null)
        {
            NearestMatch m = Kernel.Nearest(Leaves, query, n.LeafRow, n.LeafCount);
            int row = _leafRowIds[m.Row];
            if (m.Distance < best || (m.Distance == best && row < bestRow)) { best = m.Distance; bestRow = row; }
            return;
        }
        double[] d = t_leafDistances is { } ld && ld.Length >= n.LeafCount ? ld : (t_leafDistances = new double[Math.Max(64, n.LeafCount)]);
        Kernel.Distances(Leaves, query, n.LeafRow, n.LeafCount, d);
        top.OfferAll(d.AsSpan(0, n.LeafCount), _leafRowIds, n.LeafRow);
        (best, bestRow) = (top.Distances[0], top.Rows[0]);
    }

    /// <summary>The leaf node a single descent by nearest centroid reaches (lowest child on ties), counting levels and centroid distances.</summary>
    private int LeafOf(ReadOnlySpan<ulong> query, ref int levels, ref int computations)
    {
        int node = 0;
        TreeNode n = _nodes[0];
        while (!n.IsLeaf)
        {
            NearestMatch m = Kernel.Nearest(Centroids, query, n.CentroidRow, n.ChildCount);
            levels++;
            computations += n.ChildCount;
            node = n.FirstChild + (m.Row - n.CentroidRow);
            n = _nodes[node];
        }
        return node;
    }

    private SearchResult Descend(ReadOnlySpan<ulong> query, NearestSet? top)
    {
        int levels = 0, computations = 0;
        TreeNode n = _nodes[LeafOf(query, ref levels, ref computations)];
        double best = double.PositiveInfinity;
        int bestRow = -1;
        ScanLeaf(query, n, top, ref best, ref bestRow);
        return new SearchResult(bestRow, best, levels + 1, computations + n.LeafCount);
    }

    /// <summary>
    /// Keeps the <see cref="Beam"/> nearest nodes of each level (by their centroid distance), scans every leaf
    /// reached, and returns the best key of those leaves. Levels counts rounds of array scans.
    /// </summary>
    private SearchResult BeamSearch(ReadOnlySpan<ulong> query, NearestSet? top)
    {
        int beam = Beam, width = beam * _branching;
        Span<int> frontier = stackalloc int[beam];
        Span<int> candidates = stackalloc int[width];
        Span<double> distances = stackalloc double[width];
        frontier[0] = 0;
        int count = 1, levels = 0, computations = 0, bestRow = -1;
        double best = double.PositiveInfinity;
        while (count > 0)
        {
            int n = 0;
            for (int f = 0; f < count; f++)
            {
                TreeNode node = _nodes[frontier[f]];
                if (node.IsLeaf)
                {
                    ScanLeaf(query, node, top, ref best, ref bestRow);
                    computations += node.LeafCount;
                    continue;
                }
                Kernel.Distances(Centroids, query, node.CentroidRow, node.ChildCount, distances.Slice(n, node.ChildCount));
                computations += node.ChildCount;
                for (int c = 0; c < node.ChildCount; c++) candidates[n + c] = node.FirstChild + c;
                n += node.ChildCount;
            }
            levels++;
            // Partial selection sort: the beam nearest candidates become the next frontier.
            count = Math.Min(beam, n);
            for (int i = 0; i < count; i++)
            {
                int min = i;
                for (int j = i + 1; j < n; j++)
                    if (distances[j] < distances[min]) min = j;
                (distances[i], distances[min]) = (distances[min], distances[i]);
                (candidates[i], candidates[min]) = (candidates[min], candidates[i]);
                frontier[i] = candidates[i];
            }
        }
        return new SearchResult(bestRow, best, levels, computations);
    }
}

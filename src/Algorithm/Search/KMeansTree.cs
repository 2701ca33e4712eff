using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.Algorithm.Search;

/// <summary>
/// A node of the hierarchical k-means tree. An inner node holds the centroids of its children in rows
/// [CentroidRow, CentroidRow + ChildCount) of <see cref="KMeansTree.Centroids"/> (at most 32: one array);
/// a leaf holds LUT keys in rows [LeafRow, LeafRow + LeafCount) of <see cref="KMeansTree.Leaves"/>.
/// Both ranges start on an 8-row block.
/// </summary>
public readonly record struct TreeNode(int FirstChild, int ChildCount, int CentroidRow, int LeafRow, int LeafCount, int Depth)
{
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
    public ulong Seed { get; init; } = 1;

    public void Validate()
    {
        if (Branching < 2) throw Mbi.Core.Errors.BadInputException.For("--branching", Branching, ">= 2", "32");
        if (LeafSize < 1) throw Mbi.Core.Errors.BadInputException.For("--leaf-size", LeafSize, ">= 1", "32");
        if (Iterations < 1) throw Mbi.Core.Errors.BadInputException.For("k-means iterations", Iterations, ">= 1", "8");
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

    private KMeansTree(DistanceKernel kernel, TreeNode[] nodes, KeyTable centroids, KeyTable leaves, int[] leafRowIds, int rows)
    {
        Kernel = kernel;
        _nodes = nodes;
        Centroids = centroids;
        Leaves = leaves;
        _leafRowIds = leafRowIds;
        Rows = rows;
    }

    public DistanceKernel Kernel { get; }
    public int Rows { get; }
    public ReadOnlySpan<TreeNode> Nodes => _nodes;
    /// <summary>Centroid keys of inner nodes (block-padded; see <see cref="TreeNode"/>).</summary>
    public KeyTable Centroids { get; }
    /// <summary>LUT keys regrouped by leaf (block-padded).</summary>
    public KeyTable Leaves { get; }
    /// <summary>LUT row of each row of <see cref="Leaves"/> (-1 for padding).</summary>
    public ReadOnlySpan<int> LeafRowIds => _leafRowIds;

    public int Depth
    {
        get
        {
            int depth = 0;
            foreach (var n in _nodes) depth = Math.Max(depth, n.Depth + 1);
            return depth;
        }
    }

    public int LeafCount
    {
        get
        {
            int leaves = 0;
            foreach (var n in _nodes) if (n.IsLeaf) leaves++;
            return leaves;
        }
    }

    public SearchResult Nearest(ReadOnlySpan<ulong> query)
    {
        int node = 0, levels = 0, computations = 0;
        TreeNode n = _nodes[0];
        while (!n.IsLeaf)
        {
            NearestMatch m = Kernel.Nearest(Centroids, query, n.CentroidRow, n.ChildCount);
            levels++;
            computations += n.ChildCount;
            node = n.FirstChild + (m.Row - n.CentroidRow);
            n = _nodes[node];
        }
        NearestMatch leaf = Kernel.Nearest(Leaves, query, n.LeafRow, n.LeafCount);
        return new SearchResult(_leafRowIds[leaf.Row], leaf.Distance, levels + 1, computations + n.LeafCount);
    }
}

using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.CoSim.Arrays;

namespace Mbi.CoSim.Mapping;

/// <summary>
/// Nearest-key search done by the arrays: the tree is descended as in <see cref="KMeansTree"/>, but every
/// node's rows are compared by an <see cref="IArrayModel"/>: per split the array reads each row's code, the
/// integer codes are summed per component (patch, hidden, location), the three sums are weighted by a, b, c over
/// a+b+c in the kernel's own arithmetic (<see cref="DistanceKernel.FromComponentCounts"/>), and the smallest wins
/// (ties: lowest row). Ideal arrays therefore give the digital search's distances bit for bit, and tied keys stay tied
/// (hardware sums integers exactly; only the simulation's floating point could split them). For a non-ideal
/// model it also runs the same query on ideal arrays and counts lookups whose winner changed (the winner is
/// farther, in exact distance, than the ideal arrays' winner). Distances are on the kernel's scale (over a+b+c) so mixed MBI's
/// threshold means the same thing. A tree with a best-first view (<see cref="KMeansTree.BestFirst"/>, gap priority) is
/// searched best first here too, on the arrays' sums, under the same budget of rows compared. One instance per thread;
/// nothing is allocated per lookup.
/// </summary>
internal sealed class CircuitTreeSearch : INearestKeySearch
{
    private readonly MappedTree _mapped;
    private readonly IArrayModel _model;
    private readonly int[] _componentOf;
    private readonly long[] _counts;
    private readonly byte[] _elements;
    private readonly ulong[] _query;
    private readonly double[] _totals;
    private readonly int[] _codes;

    public CircuitTreeSearch(MappedTree mapped, IArrayModel model)
    {
        _mapped = mapped;
        _model = model;
        _componentOf = mapped.Mapping.Splits.Select(s => (int)s.Component).ToArray();
        _counts = new long[3 * mapped.Mapping.Columns];
        var layout = mapped.Tree.Kernel.Layout;
        _elements = new byte[layout.ElementsPerKey];
        _query = new ulong[mapped.Mapping.SplitCount];
        _totals = new double[mapped.Mapping.Columns];
        _codes = new int[mapped.Mapping.Columns];
        _heapKeys = new double[mapped.Tree.Nodes.Length + 1];
        _heapNodes = new int[mapped.Tree.Nodes.Length + 1];
        if (mapped.Tree.BestFirst is { } bf && (!bf.GapPriority || bf.GapDepthFactor != 1))
            throw new ArgumentException("the arrays search best first with the plain gap priority only", nameof(mapped));
    }

    private readonly double[] _heapKeys;
    private readonly int[] _heapNodes;

    public DistanceKernel Kernel => _mapped.Tree.Kernel;
    public int Rows => _mapped.Tree.Rows;
    public IArrayModel Model => _model;

    public long Lookups { get; private set; }
    /// <summary>Row comparisons summed over splits: what the energy accountant multiplies.</summary>
    public long SplitComparisons { get; private set; }
    public long RowsScanned { get; private set; }
    public long Levels { get; private set; }
    public long WinnerChanged { get; private set; }

    /// <summary>The k-nearest register of the lookup in progress (<see cref="INearestKeySearch.NearestK"/>), or null.</summary>
    private NearestSet? _collect;

    /// <summary>
    /// The same search, keeping the k nearest of the leaf rows this die's arrays compare (their summed codes, on the kernel's
    /// scale): the sorted k-entry register beside the ADC that `--vote k` prices. The ideal-array re-run that counts winner
    /// changes offers nothing.
    /// </summary>
    SearchResult INearestKeySearch.NearestK(ReadOnlySpan<ulong> query, NearestSet nearest)
    {
        nearest.Clear();
        _collect = nearest;
        try { return Nearest(query); }
        finally { _collect = null; }
    }

    /// <summary>Offers a just-compared leaf's rows (their sums in the first <paramref name="rows"/> totals) to the k-nearest register.</summary>
    private void Collect(IArrayModel model, TreeNode leaf, int rows)
    {
        if (_collect is null || !ReferenceEquals(model, _model)) return;
        var ids = _mapped.Tree.LeafRowIds;
        for (int r = 0; r < rows; r++) _collect.Offer(ids[leaf.LeafRow + r], _totals[r]);
    }

    public SearchResult Nearest(ReadOnlySpan<ulong> query)
    {
        var tree = _mapped.Tree;
        var mapping = _mapped.Mapping;
        KeyDecoder.Decode(Kernel.Layout, query, _elements);
        for (int s = 0; s < mapping.SplitCount; s++) _query[s] = mapping.ColumnBits(mapping.Splits[s], _elements);

        var (leaf, best, total, levels, computations) = Descend(_model);
        var n = tree.Nodes[leaf];
        int lutRow = tree.LeafRowIds[n.LeafRow + best];
        Lookups++;
        Levels += levels;
        RowsScanned += computations;
        SplitComparisons += (long)computations * mapping.SplitCount;
        if (_model.Kind != ArrayModelKind.Ideal)
        {
            // The same query on ideal arrays: did variation change the winner (a row that is really farther)?
            var ideal = Descend(IdealReference);
            if (IdealTotal(leaf, best) > ideal.Total) WinnerChanged++;
        }
        return new SearchResult(lutRow, total, levels, computations);
    }

    private static readonly IdealArrayModel IdealReference = new();

    private (int Leaf, int Best, double Total, int Levels, int Computations) Descend(IArrayModel model)
    {
        if (_mapped.Tree.BestFirst is { } bestFirst) return BestFirst(model, bestFirst.Budget);
        var nodes = _mapped.Tree.Nodes;
        int node = 0, levels = 0, computations = 0;
        while (true)
        {
            int rows = _mapped.Rows(node);
            (int best, double total) = Compare(model, node, rows);
            levels++;
            computations += rows;
            if (nodes[node].IsLeaf)
            {
                Collect(model, nodes[node], rows);
                return (node, best, total, levels, computations);
            }
            node = nodes[node].FirstChild + best;
        }
    }

    /// <summary>
    /// Gap-priority best-first search as <see cref="KMeansTree"/> does it (same visit order on ideal arrays), every node
    /// compared by the arrays: stops before the first node whose rows would pass <paramref name="budget"/> (the first
    /// descent always reaches a leaf). Levels counts nodes (arrays) compared.
    /// </summary>
    private (int Leaf, int Best, double Total, int Levels, int Computations) BestFirst(IArrayModel model, int budget)
    {
        var nodes = _mapped.Tree.Nodes;
        var ids = _mapped.Tree.LeafRowIds;
        int size = 0, levels = 0, computations = 0, bestLeaf = -1, bestRow = -1;
        double bestTotal = double.PositiveInfinity;
        KMeansTree.Push(_heapKeys, _heapNodes, ref size, 0, 0);
        while (size > 0)
        {
            double priority = _heapKeys[0];
            int node = KMeansTree.Pop(_heapKeys, _heapNodes, ref size);
            while (true)
            {
                int rows = _mapped.Rows(node);
                if (computations + rows > budget && bestLeaf >= 0) return (bestLeaf, bestRow, bestTotal, levels, computations);
                (int best, double total) = Compare(model, node, rows);
                levels++;
                computations += rows;
                var n = nodes[node];
                if (n.IsLeaf)
                {
                    Collect(model, n, rows);
                    if (total < bestTotal || (total == bestTotal && ids[n.LeafRow + best] < ids[nodes[bestLeaf].LeafRow + bestRow]))
                        (bestLeaf, bestRow, bestTotal) = (node, best, total);
                    break;
                }
                for (int c = 0; c < rows; c++)
                    if (c != best) KMeansTree.Push(_heapKeys, _heapNodes, ref size, priority + (_totals[c] - total), n.FirstChild + c);
                node = n.FirstChild + best;
            }
        }
        return (bestLeaf, bestRow, bestTotal, levels, computations);
    }

    private (int Best, double Total) Compare(IArrayModel model, int node, int rows)
    {
        var totals = _totals.AsSpan(0, rows);
        var counts = _counts.AsSpan(0, 3 * rows);
        counts.Clear();
        var codes = _codes.AsSpan(0, rows);
        var splits = _mapped.Mapping.Splits;
        for (int s = 0; s < splits.Count; s++)
        {
            model.Read(new ArrayId(node, s), splits[s], _mapped.Keys(node, s), _query[s], codes);
            int component = _componentOf[s];
            for (int r = 0; r < rows; r++) counts[3 * r + component] += codes[r];
        }
        var kernel = Kernel;
        for (int r = 0; r < rows; r++) totals[r] = kernel.FromComponentCounts(counts[3 * r], counts[3 * r + 1], counts[3 * r + 2]);
        int best = 0;
        for (int r = 1; r < rows; r++) if (totals[r] < totals[best]) best = r;
        return (best, totals[best]);
    }

    /// <summary>The exact weighted distance of row <paramref name="row"/> of a node to the current query.</summary>
    private double IdealTotal(int node, int row)
    {
        var splits = _mapped.Mapping.Splits;
        Span<long> counts = stackalloc long[3];
        for (int s = 0; s < splits.Count; s++)
            counts[_componentOf[s]] += ArrayMapping.ColumnDistance(splits[s], _mapped.Keys(node, s)[row], _query[s]);
        return Kernel.FromComponentCounts(counts[0], counts[1], counts[2]);
    }
}

using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.CoSim.Arrays;

namespace Mbi.CoSim.Mapping;

/// <summary>
/// Nearest-key search done by the arrays: the tree is descended as in <see cref="KMeansTree"/>, but every
/// node's rows are compared by an <see cref="IArrayModel"/>: per split the array reads each row's code, the
/// codes are weighted by a, b or c and summed, and the smallest sum wins (ties: lowest row). It also asks
/// the digital tree the same query and counts lookups whose winner changed (a different LUT row at a larger
/// exact distance). Distances are returned on the kernel's scale (divided by a+b+c) so mixed MBI's
/// threshold means the same thing. One instance per thread; nothing is allocated per lookup.
/// </summary>
internal sealed class CircuitTreeSearch : INearestKeySearch
{
    private readonly MappedTree _mapped;
    private readonly IArrayModel _model;
    private readonly double[] _weights;
    private readonly double _weightSum;
    private readonly byte[] _elements;
    private readonly ulong[] _query;
    private readonly ulong[] _winnerWords;
    private readonly double[] _totals;
    private readonly int[] _codes;

    public CircuitTreeSearch(MappedTree mapped, IArrayModel model)
    {
        _mapped = mapped;
        _model = model;
        var weights = mapped.Tree.Kernel.Weights;
        _weights = mapped.Mapping.Splits.Select(s => ArrayMapping.WeightOf(s, weights)).ToArray();
        _weightSum = weights.Sum;
        var layout = mapped.Tree.Kernel.Layout;
        _elements = new byte[layout.ElementsPerKey];
        _query = new ulong[mapped.Mapping.SplitCount];
        _winnerWords = new ulong[layout.WordsPerKey];
        _totals = new double[mapped.Mapping.Columns];
        _codes = new int[mapped.Mapping.Columns];
    }

    public DistanceKernel Kernel => _mapped.Tree.Kernel;
    public int Rows => _mapped.Tree.Rows;
    public IArrayModel Model => _model;

    public long Lookups { get; private set; }
    /// <summary>Row comparisons summed over splits: what the energy accountant multiplies.</summary>
    public long SplitComparisons { get; private set; }
    public long RowsScanned { get; private set; }
    public long Levels { get; private set; }
    public long WinnerChanged { get; private set; }

    public SearchResult Nearest(ReadOnlySpan<ulong> query)
    {
        var tree = _mapped.Tree;
        var mapping = _mapped.Mapping;
        KeyDecoder.Decode(Kernel.Layout, query, _elements);
        for (int s = 0; s < mapping.SplitCount; s++) _query[s] = mapping.ColumnBits(mapping.Splits[s], _elements);

        var nodes = tree.Nodes;
        int node = 0, levels = 0, computations = 0;
        while (true)
        {
            var n = nodes[node];
            int rows = _mapped.Rows(node);
            (int best, double total) = Compare(node, rows);
            levels++;
            computations += rows;
            if (n.IsLeaf)
            {
                int leafRow = n.LeafRow + best;
                int lutRow = tree.LeafRowIds[leafRow];
                Lookups++;
                Levels += levels;
                RowsScanned += computations;
                SplitComparisons += (long)computations * mapping.SplitCount;
                CountWinnerChange(query, leafRow, lutRow);
                return new SearchResult(lutRow, total / _weightSum, levels, computations);
            }
            node = n.FirstChild + best;
        }
    }

    private (int Best, double Total) Compare(int node, int rows)
    {
        var totals = _totals.AsSpan(0, rows);
        totals.Clear();
        var codes = _codes.AsSpan(0, rows);
        var splits = _mapped.Mapping.Splits;
        for (int s = 0; s < splits.Count; s++)
        {
            _model.Read(new ArrayId(node, s), splits[s], _mapped.Keys(node, s), _query[s], codes);
            double w = _weights[s];
            for (int r = 0; r < rows; r++) totals[r] += w * codes[r];
        }
        int best = 0;
        for (int r = 1; r < rows; r++) if (totals[r] < totals[best]) best = r;
        return (best, totals[best]);
    }

    private void CountWinnerChange(ReadOnlySpan<ulong> query, int leafRow, int lutRow)
    {
        if (_model.Kind == ArrayModelKind.Ideal) return;
        var ideal = _mapped.Tree.Nearest(query);
        if (ideal.Row == lutRow) return;
        _mapped.Tree.Leaves.CopyRow(leafRow, _winnerWords);
        if (Kernel.Distance(query, _winnerWords) > ideal.Distance) WinnerChanged++;
    }
}

using Mbi.Core.Errors;

namespace Mbi.Algorithm.Search;

public sealed partial class KMeansTree
{
    /// <summary>
    /// Query fill (issue #13 item 2; session 15's research result, session 19 in the product): a copy of this tree whose
    /// leaves' free rows, up to <paramref name="capacity"/>, hold the keys that realistic queries descending into them need.
    /// Each fit query goes down by nearest centroid (the first leaf a search reaches); when that leaf holds none of its exact
    /// nearest keys, each of them gets a vote of 1 / (their number) in that leaf. A leaf takes its most-voted keys (ties to
    /// the lower row), then, while rows are still free, <paramref name="spill"/>'s keys for it (the neighbour spill's picks).
    /// Centroids are unchanged; a leaf costs the rows it stores. Deterministic: votes are summed in query order.
    /// </summary>
    internal KMeansTree WithQueryFill(FitQueries fit, int capacity, IReadOnlyList<IReadOnlyList<int>?>? spill)
    {
        if (fit.WordsPerKey != Kernel.Layout.WordsPerKey)
            throw new BadInputException($"the fit queries have {fit.WordsPerKey} words per key, this table's keys {Kernel.Layout.WordsPerKey}: record them for this table with `./mbi fit-queries`.");
        int count = fit.Count;
        var firstLeaf = new int[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Environment.ProcessorCount) }, i =>
        {
            int levels = 0, computations = 0;
            firstLeaf[i] = LeafOf(fit.Query(i), ref levels, ref computations);
        });

        var held = new HashSet<int>?[_nodes.Length];
        HashSet<int> Held(int leaf)
        {
            if (held[leaf] is { } h) return h;
            h = [];
            TreeNode n = _nodes[leaf];
            for (int r = n.LeafRow; r < n.LeafRow + n.LeafCount; r++) h.Add(_leafRowIds[r]);
            return held[leaf] = h;
        }
        var votes = new Dictionary<int, double>?[_nodes.Length];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<int> nearest = fit.Nearest(i);
            int leaf = firstLeaf[i];
            var h = Held(leaf);
            bool has = false;
            foreach (int r in nearest)
            {
                if ((uint)r >= (uint)Rows)
                    throw new BadInputException($"fit query {i} names row {r}, but the table has {Rows} rows: record the fit queries for this table with `./mbi fit-queries`.");
                if (h.Contains(r)) { has = true; break; }
            }
            if (has) continue;
            var v = votes[leaf] ??= [];
            double w = 1.0 / nearest.Length;
            foreach (int r in nearest) v[r] = v.GetValueOrDefault(r) + w;
        }

        var extra = new List<int>?[_nodes.Length];
        for (int i = 0; i < _nodes.Length; i++)
        {
            if (!_nodes[i].IsLeaf) continue;
            var keys = votes[i] is { } v
                ? v.OrderByDescending(e => e.Value).ThenBy(e => e.Key).Select(e => e.Key).ToList()
                : [];
            if (spill?[i] is { } s) keys.AddRange(s);
            if (keys.Count > 0) extra[i] = keys;
        }
        return WithExtraRows(extra, capacity);
    }
}

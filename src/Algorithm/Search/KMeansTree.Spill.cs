using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.Algorithm.Search;

public sealed partial class KMeansTree
{
    /// <summary>
    /// Neighbour spill (issue #13 item 2): a copy of this tree whose leaves also hold, in their free rows up to
    /// <paramref name="capacity"/>, the keys that are among the <paramref name="neighbours"/> nearest other keys of
    /// the leaf's own keys but are stored in another leaf. A query that lands in a leaf is near its keys, so its
    /// nearest key is often one of their nearest neighbours: the leaf then holds it even when the partition put it
    /// elsewhere. Candidates are ranked by how many own keys name them (then by summed distance, then by row), so
    /// the rows a leaf gains are its most shared neighbours. Neighbours are found by a gap-priority best-first search
    /// of this tree with <paramref name="searchBudget"/> distances per key (approximate; deterministic).
    /// Centroids are unchanged, so the descent is the same; only leaf scans grow (a leaf costs its stored rows).
    /// </summary>
    internal KMeansTree WithNeighbourSpill(int neighbours, int capacity, int searchBudget) =>
        WithExtraRows(NeighbourCandidates(neighbours, capacity, searchBudget), capacity);

    /// <summary>
    /// Per leaf node (null elsewhere), the keys <see cref="WithNeighbourSpill"/> would add to it, in its order: the most shared
    /// neighbours of the leaf's own keys stored elsewhere, at most the leaf's free rows up to <paramref name="capacity"/>.
    /// </summary>
    internal List<int>?[] NeighbourCandidates(int neighbours, int capacity, int searchBudget)
    {
        int rows = Rows;
        var leafOf = new int[rows];
        var position = new int[rows]; // a row of Leaves that holds the key
        Array.Fill(leafOf, -1);
        var stored = new HashSet<int>[_nodes.Length];
        for (int i = 0; i < _nodes.Length; i++)
        {
            TreeNode n = _nodes[i];
            if (!n.IsLeaf) continue;
            stored[i] = [];
            for (int r = n.LeafRow; r < n.LeafRow + n.LeafCount; r++)
            {
                int id = _leafRowIds[r];
                stored[i].Add(id);
                if (leafOf[id] < 0) { leafOf[id] = i; position[id] = r; }
            }
        }

        var found = new int[rows * neighbours];
        var foundDistance = new double[rows * neighbours];
        Parallel.For(0, rows, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Environment.ProcessorCount) },
            () => new NeighbourScratch(this, neighbours),
            (row, _, scratch) =>
            {
                Leaves.CopyRow(position[row], scratch.Query);
                NearestOthers(scratch, row, searchBudget, found.AsSpan(row * neighbours, neighbours), foundDistance.AsSpan(row * neighbours, neighbours));
                return scratch;
            },
            _ => { });

        // Votes: (leaf, candidate) -> (own keys naming it, summed distance).
        var votes = new Dictionary<long, (int Count, double Distance)>();
        for (int row = 0; row < rows; row++)
        {
            int leaf = leafOf[row];
            for (int j = 0; j < neighbours; j++)
            {
                int candidate = found[row * neighbours + j];
                if (candidate < 0 || stored[leaf].Contains(candidate)) continue;
                long key = (long)leaf * rows + candidate;
                votes[key] = votes.TryGetValue(key, out var v) ? (v.Count + 1, v.Distance + foundDistance[row * neighbours + j]) : (1, foundDistance[row * neighbours + j]);
            }
        }
        var byLeaf = new List<(int Candidate, int Count, double Distance)>?[_nodes.Length];
        foreach (var (key, v) in votes)
        {
            int leaf = (int)(key / rows), candidate = (int)(key % rows);
            (byLeaf[leaf] ??= []).Add((candidate, v.Count, v.Distance));
        }

        var extra = new List<int>?[_nodes.Length];
        for (int i = 0; i < _nodes.Length; i++)
        {
            if (byLeaf[i] is not { } candidates) continue;
            candidates.Sort((x, y) => x.Count != y.Count ? y.Count.CompareTo(x.Count)
                : x.Distance != y.Distance ? x.Distance.CompareTo(y.Distance) : x.Candidate.CompareTo(y.Candidate));
            int free = Math.Max(0, capacity - _nodes[i].LeafCount);
            extra[i] = [.. candidates.Take(free).Select(c => c.Candidate)];
        }
        return extra;
    }

    /// <summary>
    /// A copy of this tree whose leaves also store, after their own rows, the keys of <paramref name="extra"/> (per leaf
    /// node, in order; keys the leaf already holds are skipped) while the leaf holds fewer than <paramref name="capacity"/>
    /// rows. Centroids are unchanged, so the descent is the same; a leaf costs its stored rows.
    /// </summary>
    internal KMeansTree WithExtraRows(IReadOnlyList<IReadOnlyList<int>?> extra, int capacity)
    {
        var position = new int[Rows]; // a row of Leaves that holds the key
        Array.Fill(position, -1);
        for (int r = 0; r < _leafRowIds.Length; r++)
            if (_leafRowIds[r] >= 0 && position[_leafRowIds[r]] < 0) position[_leafRowIds[r]] = r;
        var nodes = (TreeNode[])_nodes.Clone();
        var ids = new List<int>(_leafRowIds.Length);
        var held = new HashSet<int>();
        for (int i = 0; i < nodes.Length; i++)
        {
            TreeNode n = nodes[i];
            if (!n.IsLeaf) continue;
            int first = ids.Count;
            held.Clear();
            for (int r = n.LeafRow; r < n.LeafRow + n.LeafCount; r++) { ids.Add(_leafRowIds[r]); held.Add(_leafRowIds[r]); }
            if (extra[i] is { } keys)
                for (int c = 0; c < keys.Count && ids.Count - first < capacity; c++)
                    if (held.Add(keys[c])) ids.Add(keys[c]);
            nodes[i] = n with { LeafRow = first, LeafCount = ids.Count - first };
            while (ids.Count % KeyTable.BlockRows != 0) ids.Add(-1);
        }
        var leaves = new KeyTable(Kernel.Layout, ids.Count);
        Span<ulong> words = stackalloc ulong[Kernel.Layout.WordsPerKey];
        for (int r = 0; r < ids.Count; r++)
        {
            if (ids[r] < 0) continue;
            Leaves.CopyRow(position[ids[r]], words);
            leaves.SetRow(r, words);
        }
        return new KMeansTree(Kernel, nodes, Centroids, _centroidElements, leaves, [.. ids], Rows, null, Beam);
    }

    private sealed class NeighbourScratch(KMeansTree tree, int neighbours)
    {
        public ulong[] Query { get; } = new ulong[tree.Kernel.Layout.WordsPerKey];
        public double[] HeapKeys { get; } = new double[tree._nodes.Length + 1];
        public int[] HeapNodes { get; } = new int[tree._nodes.Length + 1];
        public double[] Distances { get; } = new double[Math.Max(tree._branching, 1024)];
        public int Neighbours { get; } = neighbours;
    }

    /// <summary>
    /// The <c>rows.Length</c> nearest keys other than <paramref name="self"/> met by a gap-priority best-first search
    /// of at most <paramref name="budget"/> distances (sorted nearest first; -1 where fewer were met).
    /// </summary>
    private void NearestOthers(NeighbourScratch s, int self, int budget, Span<int> rows, Span<double> distances)
    {
        rows.Fill(-1);
        distances.Fill(double.PositiveInfinity);
        int size = 0, computations = 0;
        Push(s.HeapKeys, s.HeapNodes, ref size, 0, 0);
        while (size > 0)
        {
            double priority = s.HeapKeys[0];
            int node = Pop(s.HeapKeys, s.HeapNodes, ref size);
            while (true)
            {
                TreeNode n = _nodes[node];
                int cost = n.IsLeaf ? n.LeafCount : n.ChildCount;
                if (computations + cost > budget && computations > 0) return;
                computations += cost;
                Span<double> d = s.Distances.AsSpan(0, cost);
                if (n.IsLeaf)
                {
                    Kernel.Distances(Leaves, s.Query, n.LeafRow, n.LeafCount, d);
                    for (int r = 0; r < cost; r++)
                    {
                        int id = _leafRowIds[n.LeafRow + r];
                        if (id == self || rows.Contains(id) || d[r] >= distances[^1]) continue;
                        int at = distances.Length - 1;
                        while (at > 0 && distances[at - 1] > d[r]) { distances[at] = distances[at - 1]; rows[at] = rows[at - 1]; at--; }
                        distances[at] = d[r];
                        rows[at] = id;
                    }
                    break;
                }
                Kernel.Distances(Centroids, s.Query, n.CentroidRow, n.ChildCount, d);
                int nearest = 0;
                for (int c = 1; c < n.ChildCount; c++) if (d[c] < d[nearest]) nearest = c;
                for (int c = 0; c < n.ChildCount; c++)
                    if (c != nearest) Push(s.HeapKeys, s.HeapNodes, ref size, priority + (d[c] - d[nearest]), n.FirstChild + c);
                node = n.FirstChild + nearest;
            }
        }
    }
}

using Mbi.Algorithm.Memorization.Keys;
using Mbi.Core.Progress;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Search;

public sealed partial class KMeansTree
{
    private static readonly ulong TreeStream = SeededRandom.StreamId("kmeans-tree");
    private const int SeedingSample = 1024;

    /// <summary>
    /// Builds the tree over <paramref name="rows"/> keys given as elements (stride ElementsPerKey of the
    /// kernel's layout). Nodes are made breadth first, so the children of a node are consecutive.
    /// </summary>
    public static KMeansTree Build(DistanceKernel kernel, ReadOnlySpan<byte> elements, int rows, KMeansTreeOptions options,
        IProgress<ProgressUpdate>? progress = null)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        options.QueryFill?.CheckFor(kernel.Layout, kernel.Weights, elements, rows);
        var builder = new Builder(kernel, elements.ToArray(), rows, options);
        return builder.Run(progress);
    }

    private sealed class Builder
    {
        private readonly DistanceKernel _kernel;
        private readonly KeyLayout _layout;
        private readonly byte[] _elements;
        private readonly int _rows;
        private readonly KMeansTreeOptions _options;
        private readonly KeyTable _all;
        private readonly int _e;
        private readonly int[] _histogramOffsets;
        private readonly int _histogramSize;

        public Builder(DistanceKernel kernel, byte[] elements, int rows, KMeansTreeOptions options)
        {
            _kernel = kernel;
            _layout = kernel.Layout;
            _elements = elements;
            _rows = rows;
            _options = options;
            _e = _layout.ElementsPerKey;
            _all = KeyTable.FromElements(_layout, elements, rows);
            _histogramOffsets = new int[_e + 1];
            for (int i = 0; i < _e; i++) _histogramOffsets[i + 1] = _histogramOffsets[i] + _layout.LevelsOf(i);
            _histogramSize = _histogramOffsets[_e];
        }

        public KMeansTree Run(IProgress<ProgressUpdate>? progress)
        {
            var nodes = new List<TreeNode>();
            var members = new List<int[]>();
            var centroidElements = new List<byte>();
            int centroidRows = 0;
            nodes.Add(default);
            members.Add(Enumerable.Range(0, _rows).ToArray());
            var depth = new List<int> { 0 };
            long placed = 0;
            for (int i = 0; i < nodes.Count; i++)
            {
                int[] set = members[i];
                if (set.Length <= _options.LeafSize)
                {
                    nodes[i] = new TreeNode(0, 0, 0, 0, set.Length, depth[i]);
                    placed += set.Length;
                    progress?.Report(new ProgressUpdate("tree", Math.Min(placed, _rows), _rows)); // spilled copies are not progress
                    continue;
                }
                var rng = new SeededRandom(_options.Seed, TreeStream, (ulong)i);
                // Always as many children as one array holds. Fewer, larger groups make chains of lopsided
                // splits inside tight clusters (depth 23 instead of 6 on 2^18 synthetic keys); "about twice
                // as many children as full leaves need" was tried on the 259k-row LUT and changed accuracy by
                // < 0.3% on 10,000 test images for 7% fewer distance computations but 4% more levels.
                int k = Math.Min(i == 0 && _options.RootBranching > 0 ? _options.RootBranching : _options.Branching, set.Length);
                bool balanced = _options.BalancedLeaves && set.Length <= _options.Branching * _options.LeafSize;
                if (balanced) k = (set.Length + _options.LeafSize - 1) / _options.LeafSize;
                var (centres, groups) = balanced && k >= 2 ? BalancedSplit(set, k, rng) : Split(set, k, rng);
                int spillMax = _options.SpillMaxKeys > 0 ? _options.SpillMaxKeys : _options.Branching * _options.LeafSize;
                if (_options.SpillRatio > 0 && set.Length <= spillMax) groups = Spill(set, centres, groups);
                if (_options.OverlapRatio > 0 && depth[i] < _options.OverlapLevels) groups = Overlap(set, centres, groups);
                nodes[i] = new TreeNode(nodes.Count, groups.Count, centroidRows, 0, 0, depth[i]);
                centroidElements.AddRange(centres);
                centroidRows += groups.Count;
                int padded = KeyTable.Blocks(centroidRows) * KeyTable.BlockRows;
                centroidElements.AddRange(new byte[(padded - centroidRows) * _e]);
                centroidRows = padded;
                foreach (int[] g in groups)
                {
                    nodes.Add(default);
                    members.Add(g);
                    depth.Add(depth[i] + 1);
                }
                members[i] = [];
            }

            // Leaves: regroup the LUT's keys leaf by leaf, each leaf starting on a block.
            var leafIds = new List<int>();
            for (int i = 0; i < nodes.Count; i++)
            {
                if (!nodes[i].IsLeaf) continue;
                nodes[i] = nodes[i] with { LeafRow = leafIds.Count };
                leafIds.AddRange(members[i]);
                while (leafIds.Count % KeyTable.BlockRows != 0) leafIds.Add(-1);
            }
            var leaves = new KeyTable(_layout, leafIds.Count);
            Span<ulong> words = stackalloc ulong[_layout.WordsPerKey];
            for (int r = 0; r < leafIds.Count; r++)
            {
                if (leafIds[r] < 0) continue;
                _all.CopyRow(leafIds[r], words);
                leaves.SetRow(r, words);
            }
            byte[] centroidBytes = [.. centroidElements];
            var centroids = KeyTable.FromElements(_layout, centroidBytes, centroidRows);
            TreeNode[] built = [.. nodes];
            int[] ids = [.. leafIds];
            var tree = new KMeansTree(_kernel, built, centroids, centroidBytes, leaves, ids, _rows, null, _options.Beam);
            int capacity = _options.LeafCapacity > 0 ? _options.LeafCapacity : _options.LeafSize;
            if (_options.QueryFill is { } fit)
            {
                var spill = _options.NeighbourSpill > 0 ? tree.NeighbourCandidates(_options.NeighbourSpill, capacity, _options.NeighbourSearchBudget) : null;
                tree = tree.WithQueryFill(fit, capacity, spill);
            }
            else if (_options.NeighbourSpill > 0)
                tree = tree.WithNeighbourSpill(_options.NeighbourSpill, capacity, _options.NeighbourSearchBudget);
            return _options.Budget > 0 ? tree.WithBestFirst(new BestFirstOptions { Budget = _options.Budget, GapPriority = true }) : tree;
        }

        /// <summary>
        /// k-medians on one node's keys: k-means++ seeding on a sample, then assign / median rounds. Inside a
        /// tight cluster the medians of all groups can collapse onto one key; then the seeds themselves
        /// (real keys) serve as centroids, so the node still splits and every key stays under its nearest centroid.
        /// </summary>
        private (byte[] Centres, List<int[]> Groups) Split(int[] set, int k, SeededRandom rng)
        {
            byte[] seeds = Seed(set, k, rng);
            var split = Cluster(set, k, (byte[])seeds.Clone(), _options.Iterations);
            if (split.Groups.Count >= 2) return split;
            split = Cluster(set, k, seeds, iterations: 0);
            return split.Groups.Count >= 2 ? split : Chunk(set, k);
        }

        private (byte[] Centres, List<int[]> Groups) Cluster(int[] set, int k, byte[] centres, int iterations)
        {
            var assignment = new int[set.Length];
            Array.Fill(assignment, -1);
            var centreTable = new KeyTable(_layout, KeyTable.Blocks(k) * KeyTable.BlockRows);
            Span<ulong> words = stackalloc ulong[_layout.WordsPerKey];
            var histogram = new int[k * _histogramSize];
            var sizes = new int[k];
            // The last pass only assigns, so every key sits under the centroid a query descends to.
            for (int iteration = 0; iteration <= iterations; iteration++)
            {
                for (int c = 0; c < k; c++)
                {
                    _layout.Encode(centres.AsSpan(c * _e, _e), words);
                    centreTable.SetRow(c, words);
                }
                bool changed = false;
                for (int i = 0; i < set.Length; i++)
                {
                    _all.CopyRow(set[i], words);
                    int c = _kernel.Nearest(centreTable, words, 0, k).Row;
                    if (c != assignment[i]) { assignment[i] = c; changed = true; }
                }
                if (!changed || iteration == iterations) break;
                Array.Clear(histogram);
                Array.Clear(sizes);
                for (int i = 0; i < set.Length; i++)
                {
                    int c = assignment[i];
                    sizes[c]++;
                    var row = _elements.AsSpan(set[i] * _e, _e);
                    int h = c * _histogramSize;
                    for (int e = 0; e < _e; e++) histogram[h + _histogramOffsets[e] + row[e]]++;
                }
                for (int c = 0; c < k; c++)
                {
                    if (sizes[c] == 0) continue; // keeps its old centre; dropped below if still empty
                    for (int e = 0; e < _e; e++)
                        centres[c * _e + e] = Median(histogram.AsSpan(c * _histogramSize + _histogramOffsets[e], _layout.LevelsOf(e)), sizes[c]);
                }
            }

            var groups = new List<int>[k];
            for (int c = 0; c < k; c++) groups[c] = [];
            for (int i = 0; i < set.Length; i++) groups[assignment[i]].Add(set[i]);
            var kept = Enumerable.Range(0, k).Where(c => groups[c].Count > 0).ToArray();
            return ([.. kept.SelectMany(c => centres.AsSpan(c * _e, _e).ToArray())], [.. kept.Select(c => groups[c].ToArray())]);
        }

        /// <summary>
        /// k-medians where no group takes more than LeafSize keys: each round scores every (key, centroid)
        /// pair and assigns pairs nearest first while the centroid has room; medians are then recomputed.
        /// </summary>
        private (byte[] Centres, List<int[]> Groups) BalancedSplit(int[] set, int k, SeededRandom rng)
        {
            byte[] centres = Seed(set, k, rng);
            int n = set.Length, capacity = _options.LeafSize;
            var centreTable = new KeyTable(_layout, KeyTable.Blocks(k) * KeyTable.BlockRows);
            Span<ulong> words = stackalloc ulong[_layout.WordsPerKey];
            var pairDistance = new double[n * k];
            var pairIndex = new int[n * k];
            var assignment = new int[n];
            var sizes = new int[k];
            var histogram = new int[k * _histogramSize];
            for (int iteration = 0; iteration <= _options.Iterations; iteration++)
            {
                for (int c = 0; c < k; c++)
                {
                    _layout.Encode(centres.AsSpan(c * _e, _e), words);
                    centreTable.SetRow(c, words);
                }
                for (int i = 0; i < n; i++)
                {
                    _all.CopyRow(set[i], words);
                    _kernel.Distances(centreTable, words, 0, k, pairDistance.AsSpan(i * k, k));
                }
                for (int p = 0; p < pairIndex.Length; p++) pairIndex[p] = p;
                // Nearest pair first; equal distances by pair index, so the order is fully determined.
                Array.Sort(pairIndex, (x, y) => pairDistance[x] != pairDistance[y] ? pairDistance[x].CompareTo(pairDistance[y]) : x.CompareTo(y));
                Array.Fill(assignment, -1);
                Array.Clear(sizes);
                foreach (int p in pairIndex)
                {
                    int key = p / k, c = p % k;
                    if (assignment[key] >= 0 || sizes[c] >= capacity) continue;
                    assignment[key] = c;
                    sizes[c]++;
                }
                if (iteration == _options.Iterations) break;
                Array.Clear(histogram);
                for (int i = 0; i < n; i++)
                {
                    var row = _elements.AsSpan(set[i] * _e, _e);
                    int h = assignment[i] * _histogramSize;
                    for (int e = 0; e < _e; e++) histogram[h + _histogramOffsets[e] + row[e]]++;
                }
                for (int c = 0; c < k; c++)
                {
                    if (sizes[c] == 0) continue;
                    for (int e = 0; e < _e; e++)
                        centres[c * _e + e] = Median(histogram.AsSpan(c * _histogramSize + _histogramOffsets[e], _layout.LevelsOf(e)), sizes[c]);
                }
            }
            var groups = new List<int>[k];
            for (int c = 0; c < k; c++) groups[c] = [];
            for (int i = 0; i < n; i++) groups[assignment[i]].Add(set[i]);
            var kept = Enumerable.Range(0, k).Where(c => groups[c].Count > 0).ToArray();
            return ([.. kept.SelectMany(c => centres.AsSpan(c * _e, _e).ToArray())], [.. kept.Select(c => groups[c].ToArray())]);
        }

        /// <summary>
        /// Adds each key to every other group whose centroid is within (1 + SpillRatio) of its own
        /// centroid's distance, while that group still fits one leaf: spill fills the free rows of leaf arrays with
        /// their neighbours' boundary keys and never grows a node past a leaf, so the tree keeps its shape and size.
        /// </summary>
        private List<int[]> Spill(int[] set, byte[] centres, List<int[]> groups)
        {
            int k = groups.Count, room = 0;
            foreach (int[] g in groups) room += Math.Max(0, _options.LeafSize - g.Length);
            if (room == 0) return groups;
            var centreTable = CentreTable(centres, k);
            Span<ulong> words = stackalloc ulong[_layout.WordsPerKey];
            // Candidates (excess distance ratio, key, group), nearest to the boundary first.
            var candidates = new List<(double Ratio, int Key, int Group)>();
            var d = new double[k];
            for (int g = 0; g < k; g++)
                foreach (int id in groups[g])
                {
                    _all.CopyRow(id, words);
                    _kernel.Distances(centreTable, words, 0, k, d);
                    for (int c = 0; c < k; c++)
                    {
                        if (c == g || groups[c].Length >= _options.LeafSize) continue;
                        double ratio = d[g] > 0 ? d[c] / d[g] : (d[c] > 0 ? double.PositiveInfinity : 1);
                        if (ratio <= 1 + _options.SpillRatio) candidates.Add((ratio, id, c));
                    }
                }
            candidates.Sort((x, y) => x.Ratio != y.Ratio ? x.Ratio.CompareTo(y.Ratio) : x.Key != y.Key ? x.Key.CompareTo(y.Key) : x.Group.CompareTo(y.Group));
            var extra = new List<int>[k];
            for (int g = 0; g < k; g++) extra[g] = [];
            foreach (var (_, id, c) in candidates)
                if (groups[c].Length + extra[c].Count < _options.LeafSize) extra[c].Add(id);
            var result = new List<int[]>(k);
            for (int g = 0; g < k; g++) result.Add([.. groups[g], .. extra[g]]);
            return result;
        }

        /// <summary>The <paramref name="k"/> centroids encoded as stored keys, so the kernel measures keys against them.</summary>
        private KeyTable CentreTable(byte[] centres, int k)
        {
            var table = new KeyTable(_layout, KeyTable.Blocks(k) * KeyTable.BlockRows);
            Span<ulong> words = stackalloc ulong[_layout.WordsPerKey];
            for (int c = 0; c < k; c++)
            {
                _layout.Encode(centres.AsSpan(c * _e, _e), words);
                table.SetRow(c, words);
            }
            return table;
        }

        /// <summary>
        /// Overlapping split: each key also joins every other group whose centroid is within (1 + OverlapRatio) of its
        /// own centroid's distance. A group that would then hold the whole node gets no copies (the recursion must shrink).
        /// </summary>
        private List<int[]> Overlap(int[] set, byte[] centres, List<int[]> groups)
        {
            int k = groups.Count;
            var centreTable = CentreTable(centres, k);
            Span<ulong> words = stackalloc ulong[_layout.WordsPerKey];
            var extra = new List<int>[k];
            for (int g = 0; g < k; g++) extra[g] = [];
            var d = new double[k];
            for (int g = 0; g < k; g++)
                foreach (int id in groups[g])
                {
                    _all.CopyRow(id, words);
                    _kernel.Distances(centreTable, words, 0, k, d);
                    for (int c = 0; c < k; c++)
                        if (c != g && d[c] <= (1 + _options.OverlapRatio) * d[g]) extra[c].Add(id);
                }
            var result = new List<int[]>(k);
            for (int g = 0; g < k; g++)
                result.Add(groups[g].Length + extra[g].Count >= set.Length ? groups[g] : [.. groups[g], .. extra[g]]);
            return result;
        }

        /// <summary>All keys fell into one cluster (identical keys): split in order so the recursion ends.</summary>
        private (byte[] Centres, List<int[]> Groups) Chunk(int[] set, int k)
        {
            int size = (set.Length + k - 1) / k;
            var groups = new List<int[]>();
            var centres = new List<byte>();
            for (int start = 0; start < set.Length; start += size)
            {
                int[] g = set[start..Math.Min(set.Length, start + size)];
                groups.Add(g);
                centres.AddRange(_elements.AsSpan(g[0] * _e, _e).ToArray());
            }
            return ([.. centres], groups);
        }

        private byte[] Seed(int[] set, int k, SeededRandom rng)
        {
            int n = Math.Min(set.Length, SeedingSample);
            int[] sample = (int[])set.Clone();
            for (int i = 0; i < n; i++) // partial Fisher-Yates: the first n are a uniform sample
            {
                int j = i + rng.NextInt(sample.Length - i);
                (sample[i], sample[j]) = (sample[j], sample[i]);
            }
            var centres = new byte[k * _e];
            var nearest = new double[n];
            Array.Fill(nearest, double.PositiveInfinity);
            Span<ulong> q = stackalloc ulong[_layout.WordsPerKey];
            Span<ulong> c = stackalloc ulong[_layout.WordsPerKey];
            int chosen = sample[0];
            for (int centre = 0; centre < k; centre++)
            {
                _elements.AsSpan(chosen * _e, _e).CopyTo(centres.AsSpan(centre * _e));
                _all.CopyRow(chosen, c);
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    _all.CopyRow(sample[i], q);
                    nearest[i] = Math.Min(nearest[i], _kernel.Distance(q, c));
                    total += nearest[i];
                }
                if (total <= 0) { chosen = sample[rng.NextInt(n)]; continue; }
                double pick = rng.NextDouble() * total;
                int next = n - 1;
                for (int i = 0; i < n; i++)
                {
                    pick -= nearest[i];
                    if (pick < 0) { next = i; break; }
                }
                chosen = sample[next];
            }
            return centres;
        }

        private static byte Median(ReadOnlySpan<int> counts, int total)
        {
            int cumulative = 0;
            for (int level = 0; level < counts.Length; level++)
            {
                cumulative += counts[level];
                if (2 * cumulative >= total) return (byte)level;
            }
            return (byte)(counts.Length - 1);
        }
    }
}

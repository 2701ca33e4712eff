using Mbi.Algorithm.Search;

namespace Mbi.CoSim.Mapping;

/// <summary>
/// A k-means tree laid onto arrays: every node (inner: its children's centroids; leaf: its LUT keys, at
/// most 32 either way) occupies one array per split, and this holds the column bits each of those arrays
/// stores, flat: node n's split s occupies [Offset(n) * S + s * Rows(n), ... + Rows(n)).
/// </summary>
public sealed class MappedTree
{
    private readonly int[] _offsets;
    private readonly int[] _rows;
    private readonly ulong[] _bits;

    /// <summary>Lays every node of <paramref name="tree"/> onto arrays as <paramref name="mapping"/> splits its keys.</summary>
    public MappedTree(KMeansTree tree, ArrayMapping mapping)
    {
        if (tree.Kernel.Layout.Spec != mapping.Spec)
            throw new ArgumentException("the tree and the mapping use different key specs", nameof(mapping));
        Tree = tree;
        Mapping = mapping;
        var nodes = tree.Nodes;
        _offsets = new int[nodes.Length + 1];
        _rows = new int[nodes.Length];
        for (int n = 0; n < nodes.Length; n++)
        {
            _rows[n] = nodes[n].IsLeaf ? nodes[n].LeafCount : nodes[n].ChildCount;
            if (_rows[n] > mapping.Columns)
                throw new ArgumentException($"node {n} holds {_rows[n]} keys; an array has {mapping.Columns} rows (build the tree with branching and leaf size <= {mapping.Columns})", nameof(tree));
            _offsets[n + 1] = _offsets[n] + _rows[n];
        }
        int splits = mapping.SplitCount;
        _bits = new ulong[(long)_offsets[^1] * splits];
        var layout = tree.Kernel.Layout;
        Span<ulong> words = stackalloc ulong[layout.WordsPerKey];
        Span<byte> elements = stackalloc byte[layout.ElementsPerKey];
        for (int n = 0; n < nodes.Length; n++)
        {
            var node = nodes[n];
            for (int r = 0; r < _rows[n]; r++)
            {
                if (node.IsLeaf) tree.Leaves.CopyRow(node.LeafRow + r, words);
                else tree.Centroids.CopyRow(node.CentroidRow + r, words);
                KeyDecoder.Decode(layout, words, elements);
                for (int s = 0; s < splits; s++)
                    _bits[(long)_offsets[n] * splits + s * _rows[n] + r] = mapping.ColumnBits(mapping.Splits[s], elements);
            }
        }
    }

    /// <summary>The tree.</summary>
    public KMeansTree Tree { get; }
    /// <summary>The split of keys over arrays.</summary>
    public ArrayMapping Mapping { get; }
    /// <summary>Physical arrays: nodes x splits.</summary>
    public int Arrays => _rows.Length * Mapping.SplitCount;

    /// <summary>Rows stored in node <paramref name="node"/>'s arrays.</summary>
    public int Rows(int node) => _rows[node];

    /// <summary>The column bits of every row of node <paramref name="node"/>'s array for split <paramref name="split"/>.</summary>
    public ReadOnlySpan<ulong> Keys(int node, int split) =>
        _bits.AsSpan((int)((long)_offsets[node] * Mapping.SplitCount + split * _rows[node]), _rows[node]);
}

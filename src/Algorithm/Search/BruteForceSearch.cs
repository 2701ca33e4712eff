using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.Algorithm.Search;

/// <summary>Exact nearest key: one scan of every row (the reference the tree is measured against).</summary>
internal sealed class BruteForceSearch : INearestKeySearch
{
    private readonly KeyTable _keys;

    public BruteForceSearch(KeyTable keys, DistanceKernel kernel)
    {
        if (!ReferenceEquals(keys.Layout, kernel.Layout) && (keys.Layout.Metric != kernel.Layout.Metric || keys.Layout.Spec != kernel.Layout.Spec))
            throw new ArgumentException("the key table and the kernel use different key layouts", nameof(kernel));
        _keys = keys;
        Kernel = kernel;
    }

    public DistanceKernel Kernel { get; }
    public int Rows => _keys.Rows;

    public SearchResult Nearest(ReadOnlySpan<ulong> query)
    {
        NearestMatch m = Kernel.Nearest(_keys, query, 0, _keys.Rows);
        return new SearchResult(m.Row, m.Distance, 1, _keys.Rows);
    }

    [ThreadStatic] private static double[]? t_distances;

    SearchResult INearestKeySearch.NearestK(ReadOnlySpan<ulong> query, NearestSet nearest)
    {
        const int chunk = 4096;
        double[] d = t_distances ??= new double[chunk];
        nearest.Clear();
        for (int first = 0; first < _keys.Rows; first += chunk)
        {
            int count = Math.Min(chunk, _keys.Rows - first);
            Kernel.Distances(_keys, query, first, count, d);
            nearest.OfferAll(d.AsSpan(0, count), ReadOnlySpan<int>.Empty, first);
        }
        return new SearchResult(nearest.Rows[0], nearest.Distances[0], 1, _keys.Rows);
    }
}

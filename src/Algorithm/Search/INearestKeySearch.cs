using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.Algorithm.Search;

/// <summary>
/// One lookup's outcome: the LUT row found, its distance, how many arrays (tree levels) were scanned and
/// how many key distances were computed on the way.
/// </summary>
public readonly record struct SearchResult(int Row, double Distance, int Levels, int DistanceComputations);

/// <summary>Finds the nearest stored key to a packed query. Implementations allocate nothing per lookup.</summary>
public interface INearestKeySearch
{
    /// <summary>The distance kernel (key layout and weights) the search ranks keys with.</summary>
    DistanceKernel Kernel { get; }

    /// <summary>Rows of the lookup table searched.</summary>
    int Rows { get; }

    /// <summary>The (approximately) nearest stored key to the packed <paramref name="query"/>.</summary>
    SearchResult Nearest(ReadOnlySpan<ulong> query);

    /// <summary>
    /// The same search, keeping the <c>k = nearest.Capacity</c> nearest keys among those it compares (no extra distances:
    /// the set is filled from the rows the search scans anyway). The result is the nearest of them. A search that
    /// cannot keep more than one (the circuit-in-the-loop arrays) returns the nearest alone.
    /// </summary>
    internal SearchResult NearestK(ReadOnlySpan<ulong> query, NearestSet nearest)
    {
        SearchResult r = Nearest(query);
        nearest.Clear();
        nearest.Offer(r.Row, r.Distance);
        return r;
    }
}

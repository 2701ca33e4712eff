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
    DistanceKernel Kernel { get; }

    int Rows { get; }

    SearchResult Nearest(ReadOnlySpan<ulong> query);
}

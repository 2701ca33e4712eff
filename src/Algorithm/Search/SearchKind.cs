using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Core.Progress;

namespace Mbi.Algorithm.Search;

/// <summary>Which nearest-key search a lookup uses.</summary>
internal enum SearchKind
{
    /// <summary>The hierarchical k-means tree (what the hardware runs).</summary>
    Tree,
    /// <summary>Exact: every key scanned.</summary>
    Brute,
}

internal static class SearchFactory
{
    public static INearestKeySearch Build(LookupTable lut, SearchKind kind, KMeansTreeOptions treeOptions, IProgress<ProgressUpdate>? progress = null)
    {
        var kernel = new DistanceKernel(lut.Layout, lut.Weights);
        return kind == SearchKind.Brute
            ? new BruteForceSearch(lut.PackKeys(), kernel)
            : KMeansTree.Build(kernel, lut.KeyElements, lut.Rows, treeOptions, progress);
    }
}

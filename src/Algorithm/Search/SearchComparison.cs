using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Core.Progress;

namespace Mbi.Algorithm.Search;

/// <summary>
/// Tree against brute force on the queries real inference makes (paper Fig. 4(c)): every lookup of
/// exact (brute-force) lookup-only inference is also put to the tree. Recall@1 counts lookups where the
/// tree found a key at the exact minimum distance (ties are equally good matches).
/// </summary>
internal sealed record SearchComparisonResult(int Lookups, double RecallAt1, double MeanDistanceRatio,
    double[] TreeDistances, double[] BruteDistances, double AverageLevels, double AverageDistanceComputations,
    double TreeAccuracy, double BruteAccuracy);

internal static class SearchComparison
{
    public static SearchComparisonResult Run(LookupTable lut, IQuantizedSensor sensor, KMeansTree tree, BruteForceSearch brute,
        MnistImages images, IProgress<ProgressUpdate>? progress = null)
    {
        var recorder = new Recorder(brute, tree, images.Count * lut.Spec.Glimpses);
        var exact = MbiEvaluation.Run(new MbiClassifier(lut, sensor, recorder), images, progress);
        var viaTree = MbiEvaluation.Run(new MbiClassifier(lut, sensor, tree), images, progress);
        int n = recorder.Count, hits = 0;
        double treeSum = 0, bruteSum = 0;
        for (int i = 0; i < n; i++)
        {
            if (recorder.Tree[i] == recorder.Brute[i]) hits++;
            treeSum += recorder.Tree[i];
            bruteSum += recorder.Brute[i];
        }
        return new SearchComparisonResult(n, hits / (double)n, bruteSum > 0 ? treeSum / bruteSum : 1,
            recorder.Tree[..n], recorder.Brute[..n], viaTree.AverageLevels, viaTree.AverageDistanceComputations,
            viaTree.Accuracy(images.Labels), exact.Accuracy(images.Labels));
    }

    /// <summary>Answers with brute force (so the trajectory is exact inference's) and records what the tree would have found.</summary>
    private sealed class Recorder(BruteForceSearch brute, KMeansTree tree, int capacity) : INearestKeySearch
    {
        public double[] Tree { get; } = new double[capacity];
        public double[] Brute { get; } = new double[capacity];
        public int Count { get; private set; }
        public DistanceKernel Kernel => brute.Kernel;
        public int Rows => brute.Rows;

        public SearchResult Nearest(ReadOnlySpan<ulong> query)
        {
            var b = brute.Nearest(query);
            Tree[Count] = tree.Nearest(query).Distance;
            Brute[Count++] = b.Distance;
            return b;
        }
    }
}

using Mbi.Core.Errors;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

[TestFixture]
public sealed class KeyDistanceTests
{
    // Two patch elements (1x1 at 2 scales) of 2 bits, 3 hidden bits, a 4-point location grid.
    private static readonly GlimpseKeySpec Tiny = new(patchSize: 1, scales: 2, scaleFactor: 2, patchBits: 2, hiddenBits: 3,
        locationLevels: 4, glimpses: 1);

    // q: patch (1, 0), hidden (1, 0, 1), location (1, 3); k: patch (2, 1), hidden (0, 0, 1), location (2, 3).
    private static readonly byte[] Q = [1, 0, 1, 0, 1, 1, 3];
    private static readonly byte[] K = [2, 1, 0, 0, 1, 2, 3];

    // Manhattan by hand: Mp = |1-2| + |0-1| = 2, Mh = 1, Ml = |1-2| + |3-3| = 1.
    // Bit-weighted Hamming by hand: 1=01 vs 2=10 differ in both bits: 1 + 2 = 3; 0=00 vs 1=01: 1; so Mp = 4;
    // Mh = 1; the location is Manhattan, as the arrays compute it from its thermometer columns: Ml = |1-2| + |3-3| = 1.
    // (Before the layout coded the location as the arrays store it, Ml was the bit-weighted XOR of the indices, x 1=01 vs
    // 2=10: 3, so these rows read 8/3 and (2*4+1+3)/4: a distance no array computes.)
    [TestCase(KeyMetric.Manhattan, 1, 1, 1, 4.0 / 3)]
    [TestCase(KeyMetric.Manhattan, 2, 1, 1, (2 * 2 + 1 + 1) / 4.0)]
    [TestCase(KeyMetric.Manhattan, 0, 0, 1, 1.0)]
    [TestCase(KeyMetric.BitWeightedHamming, 1, 1, 1, (4 + 1 + 1) / 3.0)]
    [TestCase(KeyMetric.BitWeightedHamming, 2, 1, 1, (2 * 4 + 1 + 1) / 4.0)]
    [TestCase(KeyMetric.BitWeightedHamming, 0, 1, 0, 1.0)]
    [TestCase(KeyMetric.BitWeightedHamming, 0, 0, 1, 1.0)]
    [TestCase(KeyMetric.BitWeightedHamming, 1, 0, 0, 4.0)]
    public void When_HandWorkedKeys_Expect_HandComputedDistance(KeyMetric metric, double a, double b, double c, double expected)
    {
        var layout = new KeyLayout(Tiny, metric);
        var weights = new DistanceWeights(a, b, c);
        Span<ulong> q = stackalloc ulong[layout.WordsPerKey];
        Span<ulong> k = stackalloc ulong[layout.WordsPerKey];
        layout.Encode(Q, q);
        layout.Encode(K, k);
        // Tolerance 1e-12: the kernel folds 1/(a+b+c) into each coefficient, so it rounds differently from the sum.
        Assert.That(layout.ReferenceDistance(Q, K, weights), Is.EqualTo(expected).Within(1e-12));
        Assert.That(new DistanceKernel(layout, weights, allowSimd: false).Distance(q, k), Is.EqualTo(expected).Within(1e-12));
        var table = KeyTable.FromElements(layout, K, 1);
        Assert.That(new DistanceKernel(layout, weights).Nearest(table, q, 0, 1).Distance, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void When_OnlyTheLocationDiffers_Expect_ManhattanInBothMetrics()
    {
        // The arrays store the location in thermometer columns whatever the patch coding, so both layouts code it so:
        // every pair of 15-level grid points is |dx| + |dy| apart, packed (popcount) and from elements.
        var spec = new GlimpseKeySpec(1, 1, 2, patchBits: 2, hiddenBits: 2, locationLevels: 15, glimpses: 1);
        var hamming = new KeyLayout(spec, KeyMetric.BitWeightedHamming);
        var weights = new DistanceWeights(0, 0, 1);
        var kernel = new DistanceKernel(hamming, weights, allowSimd: false);
        Assert.That(hamming.WordsPerKey, Is.EqualTo(new KeyLayout(spec, KeyMetric.Manhattan).WordsPerKey));
        byte[] q = [2, 1, 0, 0, 0], k = [2, 1, 0, 0, 0];
        Span<ulong> qw = stackalloc ulong[hamming.WordsPerKey];
        Span<ulong> kw = stackalloc ulong[hamming.WordsPerKey];
        for (int a = 0; a < 15; a++)
            for (int b = 0; b < 15; b++)
            {
                (q[3], q[4], k[3], k[4]) = ((byte)a, (byte)(14 - b), (byte)b, (byte)(14 - a));
                hamming.Encode(q, qw);
                hamming.Encode(k, kw);
                Assert.That(hamming.ReferenceDistance(q, k, weights), Is.EqualTo(2 * Math.Abs(a - b)), $"({a}, {b})");
                Assert.That(kernel.Distance(qw, kw), Is.EqualTo(2 * Math.Abs(a - b)), $"({a}, {b}) packed");
            }
    }

    [Test]
    public void When_ElementsAreOneBit_Expect_BothMetricsAgree()
    {
        var spec = new GlimpseKeySpec(2, 1, 2, patchBits: 1, hiddenBits: 5, locationLevels: 2, glimpses: 1);
        byte[] elements = RandomTables.Elements(spec, 50, seed: 3, noise: 0.5);
        var manhattan = new KeyLayout(spec, KeyMetric.Manhattan);
        var hamming = new KeyLayout(spec, KeyMetric.BitWeightedHamming);
        int e = manhattan.ElementsPerKey;
        for (int r = 1; r < 50; r++)
        {
            var q = elements.AsSpan(0, e);
            var k = elements.AsSpan(r * e, e);
            Assert.That(hamming.ReferenceDistance(q, k, DistanceWeights.Unweighted),
                Is.EqualTo(manhattan.ReferenceDistance(q, k, DistanceWeights.Unweighted)), "1-bit codes nest, so the two metrics are equal");
        }
    }

    [Test]
    public void When_MbiKernelNamesAPath_Expect_ThatPathElseTheWidestAndBadValuesRefused()
    {
        Assert.That(DistanceKernel.Choose(null), Is.EqualTo(DistanceKernel.WidestPath));
        Assert.That(DistanceKernel.Choose("  "), Is.EqualTo(DistanceKernel.WidestPath));
        Assert.That(DistanceKernel.Choose("scalar"), Is.EqualTo(DistanceKernelPath.Scalar), "scalar runs anywhere");
        foreach (var path in Enum.GetValues<DistanceKernelPath>())
        {
            string typed = path.ToString().ToUpperInvariant();
            if (DistanceKernel.IsSupported(path)) Assert.That(DistanceKernel.Choose(typed), Is.EqualTo(path), typed);
            else Assert.That(Assert.Throws<BadInputException>(() => DistanceKernel.Choose(typed))!.Message, Does.Contain("a path this machine runs"));
        }
        foreach (string bad in new[] { "sse", "2", "avx-2" })
        {
            var e = Assert.Throws<BadInputException>(() => DistanceKernel.Choose(bad));
            Assert.That(e!.Message, Does.StartWith($"MBI_KERNEL was {bad}").And.Contain("scalar").And.Contain("e.g. avx2"));
        }
    }

    [TestCase(DistanceKernelPath.Avx512, KeyMetric.Manhattan, 100)]
    [TestCase(DistanceKernelPath.Avx2, KeyMetric.Manhattan, 100)]
    [TestCase(DistanceKernelPath.Vector, KeyMetric.Manhattan, 100)]
    [TestCase(DistanceKernelPath.Avx512, KeyMetric.BitWeightedHamming, 100)]
    [TestCase(DistanceKernelPath.Avx2, KeyMetric.BitWeightedHamming, 100)]
    [TestCase(DistanceKernelPath.Vector, KeyMetric.BitWeightedHamming, 100)]
    [TestCase(DistanceKernelPath.Avx512, KeyMetric.Manhattan, 2100)] // a hidden segment longer than 31 words exercises the byte-counter flush
    [TestCase(DistanceKernelPath.Avx2, KeyMetric.Manhattan, 2100)] // a hidden segment longer than 31 words exercises the byte-counter flush
    [TestCase(DistanceKernelPath.Vector, KeyMetric.Manhattan, 2100)] // a hidden segment longer than 31 words exercises the byte-counter flush
    public void When_PackedKernelsScoreRandomKeys_Expect_ReferenceDistancesAndSameNearest(DistanceKernelPath path, KeyMetric metric, int hiddenBits)
    {
        if (!DistanceKernel.IsSupported(path)) Assert.Ignore($"{path} does not run on this machine (best here: {DistanceKernel.BestPath})");
        var spec = RandomTables.SmallSpec(hiddenBits);
        var layout = new KeyLayout(spec, metric);
        const int rows = 203; // not a multiple of 8: the last block is partly padding
        byte[] elements = RandomTables.Elements(spec, rows, seed: 11, noise: 0.3);
        var table = KeyTable.FromElements(layout, elements, rows);
        var weights = new DistanceWeights(0.7, 0.2, 1.3);
        var simd = new DistanceKernel(layout, weights, path);
        var scalar = new DistanceKernel(layout, weights, DistanceKernelPath.Scalar);
        int e = layout.ElementsPerKey;
        Span<ulong> q = stackalloc ulong[layout.WordsPerKey];
        var fromSimd = new double[rows];
        var fromScalar = new double[rows];
        for (int probe = 0; probe < 5; probe++)
        {
            var query = elements.AsSpan(probe * 37 * e, e).ToArray();
            query[0] = (byte)((query[0] + 1) % spec.PatchLevels);
            layout.Encode(query, q);
            simd.Distances(table, q, 0, rows, fromSimd);
            scalar.Distances(table, q, 0, rows, fromScalar);
            int bestRow = -1;
            double best = double.PositiveInfinity;
            for (int r = 0; r < rows; r++)
            {
                double reference = layout.ReferenceDistance(query, elements.AsSpan(r * e, e), weights);
                Assert.That(fromScalar[r], Is.EqualTo(reference).Within(1e-9), $"row {r}");
                Assert.That(fromSimd[r], Is.EqualTo(fromScalar[r]), "SIMD and scalar paths use the same FMA order, so bit-identical");
                if (fromScalar[r] < best) { best = fromScalar[r]; bestRow = r; }
            }
            Assert.That(simd.Nearest(table, q, 0, rows), Is.EqualTo(new NearestMatch(bestRow, best)));
            Assert.That(scalar.Nearest(table, q, 0, rows), Is.EqualTo(new NearestMatch(bestRow, best)));
            Assert.That(simd.Nearest(table, q, 8, rows - 8).Row, Is.GreaterThanOrEqualTo(8), "a sub-range scan stays in its range");
        }
    }

    [TestCase(KeyMetric.Manhattan)]
    [TestCase(KeyMetric.BitWeightedHamming)]
    public void When_DistanceIsBuiltFromComponentCounts_Expect_TheScansDistanceBitForBit(KeyMetric metric)
    {
        // What arrays use: integer mismatch counts per component, weighted in the scan's arithmetic. Weights not exact in
        // binary, so a different order of operations would round differently.
        var spec = RandomTables.SmallSpec(100);
        var layout = new KeyLayout(spec, metric);
        const int rows = 64;
        byte[] elements = RandomTables.Elements(spec, rows, seed: 12, noise: 0.3);
        var weights = new DistanceWeights(0.0611536, 0.0318338, 0.0716725);
        var kernel = new DistanceKernel(layout, weights, DistanceKernelPath.Scalar);
        int e = layout.ElementsPerKey;
        Span<ulong> q = stackalloc ulong[layout.WordsPerKey];
        Span<ulong> k = stackalloc ulong[layout.WordsPerKey];
        var query = elements.AsSpan(0, e).ToArray();
        layout.Encode(query, q);
        for (int r = 1; r < rows; r++)
        {
            var key = elements.AsSpan(r * e, e).ToArray();
            layout.Encode(key, k);
            long Count(double a, double b, double c) => (long)layout.ReferenceDistance(query, key, new DistanceWeights(a, b, c));
            double fromCounts = kernel.FromComponentCounts(Count(1, 0, 0), Count(0, 1, 0), Count(0, 0, 1));
            Assert.That(fromCounts, Is.EqualTo(kernel.Distance(q, k)), $"row {r}");
        }
    }

    [TestCase(DistanceKernelPath.Scalar)]
    [TestCase(DistanceKernelPath.Vector)]
    [TestCase(DistanceKernelPath.Avx2)]
    [TestCase(DistanceKernelPath.Avx512)]
    public void When_EveryKeyTies_Expect_LowestRowOfTheRange(DistanceKernelPath path)
    {
        if (!DistanceKernel.IsSupported(path)) Assert.Ignore($"{path} does not run on this machine (best here: {DistanceKernel.BestPath})");
        var layout = new KeyLayout(Tiny, KeyMetric.Manhattan);
        var elements = new byte[100 * layout.ElementsPerKey];
        for (int r = 0; r < 100; r++) K.CopyTo(elements, r * layout.ElementsPerKey);
        var table = KeyTable.FromElements(layout, elements, 100);
        var kernel = new DistanceKernel(layout, DistanceWeights.Unweighted, path);
        Span<ulong> q = stackalloc ulong[layout.WordsPerKey];
        layout.Encode(Q, q);
        Assert.That(kernel.Nearest(table, q, 0, 100).Row, Is.EqualTo(0));
        Assert.That(kernel.Nearest(table, q, 24, 76).Row, Is.EqualTo(24));
    }

    // Ranges that hit every branch of the SIMD scans: shorter than a block, exactly one block, an even and an odd
    // number of whole blocks (the AVX2 scan takes blocks in pairs), whole blocks plus a partial one, at offsets.
    [TestCase(DistanceKernelPath.Vector, 100)]
    [TestCase(DistanceKernelPath.Avx2, 100)]
    [TestCase(DistanceKernelPath.Avx512, 100)]
    [TestCase(DistanceKernelPath.Avx2, 2100)] // a segment longer than 31 words: several chunks, the one-block AVX2 scan
    [TestCase(DistanceKernelPath.Avx512, 2100)]
    public void When_RangesStartAndEndAnywhere_Expect_ScalarNearestAndDistances(DistanceKernelPath path, int hiddenBits)
    {
        if (!DistanceKernel.IsSupported(path)) Assert.Ignore($"{path} does not run on this machine (best here: {DistanceKernel.BestPath})");
        var spec = RandomTables.SmallSpec(hiddenBits);
        var layout = new KeyLayout(spec, KeyMetric.Manhattan);
        const int rows = 75;
        byte[] elements = RandomTables.Elements(spec, rows + 1, seed: 5, noise: 0.4);
        var table = KeyTable.FromElements(layout, elements, rows);
        var weights = new DistanceWeights(0.9, 0.35, 1.7);
        var simd = new DistanceKernel(layout, weights, path);
        var scalar = new DistanceKernel(layout, weights, DistanceKernelPath.Scalar);
        Span<ulong> q = stackalloc ulong[layout.WordsPerKey];
        layout.Encode(elements.AsSpan(rows * layout.ElementsPerKey, layout.ElementsPerKey), q);
        var fromSimd = new double[rows];
        var fromScalar = new double[rows];
        foreach (var (first, count) in new[] { (0, 1), (0, 5), (8, 8), (16, 16), (0, 24), (8, 24), (0, 75), (8, 67), (24, 51), (64, 11), (72, 3) })
        {
            Assert.That(simd.Nearest(table, q, first, count), Is.EqualTo(scalar.Nearest(table, q, first, count)), $"rows {first}+{count}");
            simd.Distances(table, q, first, count, fromSimd);
            scalar.Distances(table, q, first, count, fromScalar);
            Assert.That(fromSimd.AsSpan(0, count).ToArray(), Is.EqualTo(fromScalar.AsSpan(0, count).ToArray()),
                $"rows {first}+{count}: SIMD and scalar paths use the same FMA order, so bit-identical");
        }
    }

    // The nearest key repeated in rows of different lanes and blocks, with worse keys between: every path must
    // return the lowest of the repeats, whichever lane and chain (even or odd block) saw it first.
    [TestCase(DistanceKernelPath.Scalar)]
    [TestCase(DistanceKernelPath.Vector)]
    [TestCase(DistanceKernelPath.Avx2)]
    [TestCase(DistanceKernelPath.Avx512)]
    public void When_TheNearestKeyRepeatsAcrossLanesAndBlocks_Expect_ItsLowestRow(DistanceKernelPath path)
    {
        if (!DistanceKernel.IsSupported(path)) Assert.Ignore($"{path} does not run on this machine (best here: {DistanceKernel.BestPath})");
        var layout = new KeyLayout(Tiny, KeyMetric.Manhattan);
        int e = layout.ElementsPerKey;
        const int rows = 61;
        byte[] far = [3, 3, 0, 1, 0, 0, 0];
        var elements = new byte[rows * e];
        for (int r = 0; r < rows; r++) far.CopyTo(elements, r * e);
        foreach (int r in new[] { 45, 19, 38, 27, 60 }) Q.CopyTo(elements, r * e); // lanes 5, 3, 6, 3, 4; blocks 5, 2, 4, 3, 7
        var table = KeyTable.FromElements(layout, elements, rows);
        var kernel = new DistanceKernel(layout, new DistanceWeights(1, 2, 0.5), path);
        Span<ulong> q = stackalloc ulong[layout.WordsPerKey];
        layout.Encode(Q, q);
        Assert.That(kernel.Nearest(table, q, 0, rows), Is.EqualTo(new NearestMatch(19, 0)));
        Assert.That(kernel.Nearest(table, q, 24, rows - 24).Row, Is.EqualTo(27));
        Assert.That(kernel.Nearest(table, q, 40, rows - 40).Row, Is.EqualTo(45));
        Assert.That(kernel.Nearest(table, q, 48, 13).Row, Is.EqualTo(60), "the repeat in the partial last block");
    }

    [Test]
    public void When_WeightsNegativeOrAllZero_Expect_BadInput()
    {
        var e1 = Assert.Throws<Mbi.Core.Errors.BadInputException>(() => _ = new DistanceWeights(-1, 1, 1));
        Assert.That(e1!.Message, Does.Contain("patch").And.Contain(">= 0"));
        var e2 = Assert.Throws<Mbi.Core.Errors.BadInputException>(() => _ = new DistanceWeights(0, 0, 0));
        Assert.That(e2!.Message, Does.Contain("not all zero"));
    }
}

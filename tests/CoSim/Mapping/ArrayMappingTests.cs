using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Mapping;
using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Mapping;

[TestFixture]
public sealed class ArrayMappingTests
{
    /// <summary>The shipped model's key: 3x3 patches at 3 scales (27 two-bit elements), 64 hidden bits, 15-point location grid.</summary>
    private static readonly GlimpseKeySpec Shipped = new(patchSize: 3, scales: 3, scaleFactor: 2, patchBits: 2, hiddenBits: 64, locationLevels: 15, glimpses: 5);

    [Test]
    public void When_ShippedKeyMappedBinary_Expect_FiveSplitsOneComponentEach()
    {
        var mapping = new ArrayMapping(Shipped, ColumnCoding.Binary);
        Assert.That(mapping.SplitCount, Is.EqualTo(5), "the paper's keys take 5 splits");
        Assert.That(mapping.Splits.Select(s => (s.Component, s.Elements, s.UsedColumns, s.BitsPerElement)), Is.EqualTo(new[]
        {
            (KeyComponent.Patch, 16, 32, 2), (KeyComponent.Patch, 11, 22, 2),
            (KeyComponent.Hidden, 32, 32, 1), (KeyComponent.Hidden, 32, 32, 1),
            (KeyComponent.Location, 2, 28, 1),
        }));
    }

    [Test]
    public void When_ShippedKeyMappedThermometer_Expect_SixSplits()
    {
        var mapping = new ArrayMapping(Shipped, ColumnCoding.Thermometer);
        Assert.That(mapping.Splits.Select(s => s.UsedColumns), Is.EqualTo(new[] { 30, 30, 21, 32, 32, 28 }));
        Assert.That(mapping.MaxBitsPerElement, Is.EqualTo(1));
    }

    [TestCase(ColumnCoding.Binary)]
    [TestCase(ColumnCoding.Thermometer)]
    public void When_SplitDistancesSummed_Expect_TheComponentDistancesOfTheKeys(ColumnCoding coding)
    {
        var mapping = new ArrayMapping(Shipped, coding);
        var layout = new KeyLayout(Shipped, mapping.Metric);
        var manhattan = new KeyLayout(Shipped, KeyMetric.Manhattan);
        var random = new SeededRandom(5);
        var q = new byte[layout.ElementsPerKey];
        var k = new byte[layout.ElementsPerKey];
        for (int trial = 0; trial < 200; trial++)
        {
            Fill(random, q, layout);
            Fill(random, k, layout);
            var byComponent = new double[3];
            foreach (var split in mapping.Splits)
                byComponent[(int)split.Component] += ArrayMapping.ColumnDistance(split, mapping.ColumnBits(split, k), mapping.ColumnBits(split, q));
            // patch and hidden: the metric of the coding; location: Manhattan in both codings (thermometer columns)
            Assert.That(byComponent[0], Is.EqualTo(layout.ReferenceDistance(q, k, new DistanceWeights(1, 0, 0))));
            Assert.That(byComponent[1], Is.EqualTo(layout.ReferenceDistance(q, k, new DistanceWeights(0, 1, 0))));
            Assert.That(byComponent[2], Is.EqualTo(manhattan.ReferenceDistance(q, k, new DistanceWeights(0, 0, 1))));
        }
    }

    [TestCase(KeyMetric.Manhattan)]
    [TestCase(KeyMetric.BitWeightedHamming)]
    public void When_PackedKeyDecoded_Expect_ItsElements(KeyMetric metric)
    {
        var layout = new KeyLayout(Shipped, metric);
        var random = new SeededRandom(9);
        var elements = new byte[layout.ElementsPerKey];
        var decoded = new byte[layout.ElementsPerKey];
        var words = new ulong[layout.WordsPerKey];
        for (int trial = 0; trial < 100; trial++)
        {
            Fill(random, elements, layout);
            layout.Encode(elements, words);
            KeyDecoder.Decode(layout, words, decoded);
            Assert.That(decoded, Is.EqualTo(elements));
        }
    }

    [Test]
    public void When_IdealArraysSearchTheTree_Expect_TheDigitalTreesDistances()
    {
        // Thermometer coding computes exact Manhattan, the tree's own metric, so ideal arrays must find keys
        // at exactly the distance the digital tree finds (rows may differ only between equally near keys).
        var spec = new GlimpseKeySpec(3, 1, 2, 2, 20, 7, 3);
        var layout = new KeyLayout(spec, KeyMetric.Manhattan);
        var random = new SeededRandom(3);
        int rows = 3000;
        var keys = new byte[rows * layout.ElementsPerKey];
        for (int r = 0; r < rows; r++) Fill(random, keys.AsSpan(r * layout.ElementsPerKey, layout.ElementsPerKey), layout);
        var weights = new DistanceWeights(2, 1, 1); // sum 4: every coefficient exact, so ties break alike in both searches
        var kernel = new DistanceKernel(layout, weights);
        var tree = KMeansTree.Build(kernel, keys, rows, new KMeansTreeOptions { Seed = 1 });
        var search = new CircuitTreeSearch(new MappedTree(tree, new ArrayMapping(spec, ColumnCoding.Thermometer)), new IdealArrayModel());
        var query = new byte[layout.ElementsPerKey];
        var words = new ulong[layout.WordsPerKey];
        for (int i = 0; i < 300; i++)
        {
            Fill(random, query, layout);
            layout.Encode(query, words);
            var expected = tree.Nearest(words);
            var found = search.Nearest(words);
            // the array sums integer codes x weights and divides once; the kernel uses FMAs: equal to 1e-12
            Assert.That(found.Distance, Is.EqualTo(expected.Distance).Within(1e-12));
            Assert.That(found.Levels, Is.EqualTo(expected.Levels));
        }
        Assert.That(search.SplitComparisons, Is.EqualTo(search.RowsScanned * 3), "3 splits: patch (27 columns), hidden (20), location (12)");
    }

    [Test]
    public void When_IdealArraysKeepTheKNearest_Expect_TheDigitalSearchsSet()
    {
        // `--vote k` on the arrays: the k-entry register beside the ADC keeps the k nearest of the leaf rows the arrays
        // compare. With exact coefficients the ideal arrays must keep the digital tree's set, row for row, best first
        // under a budget, and the nearest must be the plain search's.
        var spec = new GlimpseKeySpec(3, 1, 2, 2, 20, 7, 3);
        var layout = new KeyLayout(spec, KeyMetric.Manhattan);
        var random = new SeededRandom(5);
        int rows = 3000;
        var keys = new byte[rows * layout.ElementsPerKey];
        for (int r = 0; r < rows; r++) Fill(random, keys.AsSpan(r * layout.ElementsPerKey, layout.ElementsPerKey), layout);
        var kernel = new DistanceKernel(layout, new DistanceWeights(2, 1, 1));
        var tree = KMeansTree.Build(kernel, keys, rows, new KMeansTreeOptions { Seed = 1, Branching = 8, LeafSize = 16, Budget = 100 });
        INearestKeySearch arrays = new CircuitTreeSearch(new MappedTree(tree, new ArrayMapping(spec, ColumnCoding.Thermometer)), new IdealArrayModel());
        INearestKeySearch digital = tree;
        var onArrays = new NearestSet(5);
        var inTree = new NearestSet(5);
        var query = new byte[layout.ElementsPerKey];
        var words = new ulong[layout.WordsPerKey];
        for (int i = 0; i < 300; i++)
        {
            Fill(random, query, layout);
            layout.Encode(query, words);
            var found = arrays.NearestK(words, onArrays);
            var expected = digital.NearestK(words, inTree);
            Assert.That(onArrays.Count, Is.EqualTo(5));
            Assert.That(onArrays.Rows.ToArray(), Is.EqualTo(inTree.Rows.ToArray()), $"query {i}: the k nearest rows");
            Assert.That(onArrays.Distances.ToArray(), Is.EqualTo(inTree.Distances.ToArray()).Within(1e-12));
            Assert.That((found.Distance, found.DistanceComputations), Is.EqualTo((arrays.Nearest(words).Distance, expected.DistanceComputations)));
            Assert.That(found.Distance, Is.EqualTo(onArrays.Distances[0]).Within(1e-12));
        }
    }

    [Test]
    public void When_IdealArraysSearchBestFirst_Expect_TheDigitalSearchsDistancesAndCounts()
    {
        // Same set-up as above (exact coefficients), an 8-way tree searched best first under 100 rows: the arrays must
        // visit the same nodes in the same order, so distances, nodes scanned and rows compared all agree.
        var spec = new GlimpseKeySpec(3, 1, 2, 2, 20, 7, 3);
        var layout = new KeyLayout(spec, KeyMetric.Manhattan);
        var random = new SeededRandom(4);
        int rows = 3000;
        var keys = new byte[rows * layout.ElementsPerKey];
        for (int r = 0; r < rows; r++) Fill(random, keys.AsSpan(r * layout.ElementsPerKey, layout.ElementsPerKey), layout);
        var kernel = new DistanceKernel(layout, new DistanceWeights(2, 1, 1));
        var tree = KMeansTree.Build(kernel, keys, rows, new KMeansTreeOptions { Seed = 1, Branching = 8, LeafSize = 16, Budget = 100 });
        var search = new CircuitTreeSearch(new MappedTree(tree, new ArrayMapping(spec, ColumnCoding.Thermometer)), new IdealArrayModel());
        var query = new byte[layout.ElementsPerKey];
        var words = new ulong[layout.WordsPerKey];
        long computations = 0;
        for (int i = 0; i < 300; i++)
        {
            Fill(random, query, layout);
            layout.Encode(query, words);
            var expected = tree.Nearest(words);
            var found = search.Nearest(words);
            Assert.That(found.Distance, Is.EqualTo(expected.Distance).Within(1e-12));
            Assert.That(found.Levels, Is.EqualTo(expected.Levels), "nodes (arrays) compared");
            Assert.That(found.DistanceComputations, Is.EqualTo(expected.DistanceComputations), "rows compared");
            computations += found.DistanceComputations;
        }
        Assert.That(search.RowsScanned, Is.EqualTo(computations));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void When_IdealArraysUseTunedNonDyadicWeights_Expect_TheDigitalSearchBitForBit(bool bestFirst)
    {
        // Weights as a tuned table has them (not exact in binary): distances are integer counts under three weights, so
        // most are tied with other keys'. The arrays sum integer codes per component and weight them in the kernel's
        // arithmetic, so tied keys stay tied and ideal arrays must return the digital search's k nearest rows, distances
        // (bit for bit), nodes and rows compared. Summing weight x code per split and dividing afterwards put tied keys
        // 1 ulp apart, which changed 1-2 % of a table's images (session 23's probe).
        var spec = new GlimpseKeySpec(3, 1, 2, 2, 20, 7, 3);
        int ties = AssertIdealArraysSearchAsTheTree(spec, KeyMetric.Manhattan, new ArrayMapping(spec, ColumnCoding.Thermometer), seed: 6, queries: 400, bestFirst);
        Assert.That(ties, Is.GreaterThan(10), "the test must meet ties for it to mean anything");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void When_BinaryIdealArraysUseTunedNonDyadicWeights_Expect_TheDigitalHammingSearchBitForBit(bool bestFirst)
    {
        // The binary-coded arrays compute bit-weighted Hamming on the 2-bit patch elements (p = 2: columns weighted 2 and
        // 1), Hamming on the hidden bits and Manhattan on the location, whose columns are always thermometer coded. A
        // BitWeightedHamming table must rank keys by exactly that distance, so ideal binary arrays return the digital
        // search's k nearest rows, distances (bit for bit), nodes and rows compared, as the thermometer test above does.
        // A 7-level location (more than 2 levels) makes the location's code matter: binary 3-bit indices weighted by bit
        // (the XOR of the indices) rank keys differently from the arrays' |dx| + |dy|. 800 queries: bit-weighted patch
        // distances tie less often than Manhattan ones, and the single descent meets 20 ties in them (best first, 79).
        var spec = new GlimpseKeySpec(3, 1, 2, 2, 20, 7, 3);
        var mapping = new ArrayMapping(spec, ColumnCoding.Binary);
        Assert.That(mapping.Metric, Is.EqualTo(KeyMetric.BitWeightedHamming));
        Assert.That(mapping.Splits.Select(s => (s.Component, s.BitsPerElement, s.Coding)), Is.EqualTo(new[]
        {
            (KeyComponent.Patch, 2, ColumnCoding.Binary), (KeyComponent.Hidden, 1, ColumnCoding.Binary), (KeyComponent.Location, 1, ColumnCoding.Thermometer),
        }), "p = 2 patch elements, the location in thermometer columns");
        int ties = AssertIdealArraysSearchAsTheTree(spec, KeyMetric.BitWeightedHamming, mapping, seed: 7, queries: 800, bestFirst);
        Assert.That(ties, Is.GreaterThan(10), "the test must meet ties for it to mean anything");
    }

    /// <summary>
    /// Random keys and queries of <paramref name="spec"/>, a tree under a tuned table's weights (not exact in binary), ideal
    /// arrays of <paramref name="mapping"/>: asserts the arrays give the digital tree's k nearest rows, bit-equal distances,
    /// nodes and rows compared, and the same nearest row, for every query; returns the ties met among the k nearest.
    /// </summary>
    private static int AssertIdealArraysSearchAsTheTree(GlimpseKeySpec spec, KeyMetric metric, ArrayMapping mapping, ulong seed, int queries, bool bestFirst)
    {
        var layout = new KeyLayout(spec, metric);
        var random = new SeededRandom(seed);
        int rows = 3000;
        var keys = new byte[rows * layout.ElementsPerKey];
        for (int r = 0; r < rows; r++) Fill(random, keys.AsSpan(r * layout.ElementsPerKey, layout.ElementsPerKey), layout);
        var kernel = new DistanceKernel(layout, new DistanceWeights(0.0611536, 0.0318338, 0.0716725));
        var options = bestFirst
            ? new KMeansTreeOptions { Seed = 1, Branching = 8, LeafSize = 16, Budget = 100 }
            : new KMeansTreeOptions { Seed = 1 };
        var tree = KMeansTree.Build(kernel, keys, rows, options);
        INearestKeySearch arrays = new CircuitTreeSearch(new MappedTree(tree, mapping), new IdealArrayModel());
        INearestKeySearch digital = tree;
        var onArrays = new NearestSet(5);
        var inTree = new NearestSet(5);
        var query = new byte[layout.ElementsPerKey];
        var words = new ulong[layout.WordsPerKey];
        int ties = 0;
        for (int i = 0; i < queries; i++)
        {
            Fill(random, query, layout);
            layout.Encode(query, words);
            var found = arrays.NearestK(words, onArrays);
            var expected = digital.NearestK(words, inTree);
            Assert.That(onArrays.Rows.ToArray(), Is.EqualTo(inTree.Rows.ToArray()), $"query {i}: the k nearest rows");
            Assert.That(onArrays.Distances.ToArray(), Is.EqualTo(inTree.Distances.ToArray()), $"query {i}: bit-equal distances");
            Assert.That((found.Levels, found.DistanceComputations), Is.EqualTo((expected.Levels, expected.DistanceComputations)), $"query {i}");
            var plain = arrays.Nearest(words);
            var plainDigital = digital.Nearest(words);
            Assert.That((plain.Row, plain.Distance), Is.EqualTo((plainDigital.Row, plainDigital.Distance)), $"query {i}: the nearest");
            for (int k = 1; k < inTree.Count; k++) if (inTree.Distances[k] == inTree.Distances[k - 1]) ties++;
        }
        return ties;
    }

    private static void Fill(SeededRandom random, Span<byte> key, KeyLayout layout)
    {
        for (int e = 0; e < layout.ElementsPerKey; e++) key[e] = (byte)random.NextInt(layout.LevelsOf(e));
    }
}

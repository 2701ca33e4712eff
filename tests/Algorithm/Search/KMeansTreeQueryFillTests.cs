using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.Algorithm.Tests.Memorization;
using Mbi.Core.Errors;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Search;

/// <summary>
/// The query fill (issue #13 item 2): leaves' free rows take the exact nearest keys that recorded fit queries needed; the
/// fit queries' file and recorder. Synthetic tables, where brute force gives the exact answers.
/// </summary>
[TestFixture]
public sealed class KMeansTreeQueryFillTests
{
    private const int Rows = 2000;

    [Test]
    public void When_QueryFilled_Expect_OwnKeysFirstTheSameCentroidsAndAtMostOneArray()
    {
        var (kernel, elements, table) = Setup();
        var fit = Fit(kernel, elements, table, 3000, seed: 81);
        var options = new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 3 };
        var plain = KMeansTree.Build(kernel, elements, Rows, options);
        var filled = KMeansTree.Build(kernel, elements, Rows, options with { QueryFill = fit, LeafCapacity = 32 });
        Assert.That(filled.Nodes.Length, Is.EqualTo(plain.Nodes.Length));
        Assert.That(filled.CentroidElements.ToArray(), Is.EqualTo(plain.CentroidElements.ToArray()), "the descent is unchanged");
        for (int i = 0; i < filled.Nodes.Length; i++)
        {
            TreeNode f = filled.Nodes[i], p = plain.Nodes[i];
            if (!f.IsLeaf) continue;
            Assert.That(f.LeafCount, Is.InRange(p.LeafCount, 32));
            var ids = filled.LeafRowIds.Slice(f.LeafRow, f.LeafCount).ToArray();
            Assert.That(ids, Is.Unique);
            Assert.That(ids[..p.LeafCount], Is.EqualTo(plain.LeafRowIds.Slice(p.LeafRow, p.LeafCount).ToArray()), "own keys first, in order");
        }
        Assert.That(filled.StoredKeys, Is.GreaterThan(plain.StoredKeys), "the fill stores copies, and counts them");
    }

    [Test]
    public void When_QueryFilled_Expect_FitQueriesFindTheirNearestKeyInTheFirstLeafAndNewQueriesMoreOften()
    {
        // Single descent scans one leaf: the fill must put the keys the fit queries needed there, and help queries it never saw.
        var (kernel, elements, table) = Setup();
        var fit = Fit(kernel, elements, table, 3000, seed: 82);
        var fresh = Fit(kernel, elements, table, 1000, seed: 83);
        var options = new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 4 };
        var plain = KMeansTree.Build(kernel, elements, Rows, options);
        var filled = KMeansTree.Build(kernel, elements, Rows, options with { QueryFill = fit, LeafCapacity = 32 });
        double Recall(KMeansTree tree, FitQueries queries)
        {
            int hits = 0;
            var brute = new BruteForceSearch(table, kernel);
            for (int i = 0; i < queries.Count; i++)
                if (tree.Nearest(queries.Query(i)).Distance == brute.Nearest(queries.Query(i)).Distance) hits++;
            return hits / (double)queries.Count;
        }
        double plainFit = Recall(plain, fit), filledFit = Recall(filled, fit), plainFresh = Recall(plain, fresh), filledFresh = Recall(filled, fresh);
        TestContext.Out.WriteLine($"single-descent recall@1: fit queries {plainFit:P1} -> {filledFit:P1}; new queries {plainFresh:P1} -> {filledFresh:P1}");
        Assert.That(filledFit, Is.GreaterThan(plainFit + 0.1));
        Assert.That(filledFresh, Is.GreaterThan(plainFresh));
    }

    [Test]
    public void When_QueryFilledWithSpill_Expect_LeavesFullWithinOneArrayAndExactUnderAFullBudget()
    {
        var (kernel, elements, table) = Setup();
        var fit = Fit(kernel, elements, table, 500, seed: 84);
        var options = new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 5, NeighbourSpill = 2, LeafCapacity = 32, OverlapRatio = 0.1, OverlapLevels = 2 };
        var spilled = KMeansTree.Build(kernel, elements, Rows, options);
        var both = KMeansTree.Build(kernel, elements, Rows, options with { QueryFill = fit });
        var again = KMeansTree.Build(kernel, elements, Rows, options with { QueryFill = fit });
        Assert.That(again.LeafRowIds.ToArray(), Is.EqualTo(both.LeafRowIds.ToArray()), "same queries, same seed: the same leaves");
        foreach (var n in both.Nodes) Assert.That(n.IsLeaf ? n.LeafCount : n.ChildCount, Is.InRange(1, 32));
        Assert.That(both.StoredKeys, Is.GreaterThanOrEqualTo(spilled.StoredKeys), "the spill tops up what the fill leaves free");
        var exact = KMeansTree.Build(kernel, elements, Rows, options with { QueryFill = fit, Budget = int.MaxValue });
        var brute = new BruteForceSearch(table, kernel);
        for (int i = 0; i < 100; i++)
            Assert.That(exact.Nearest(fit.Query(i)).Distance, Is.EqualTo(brute.Nearest(fit.Query(i)).Distance));
    }

    [Test]
    public void When_FitQueriesOfAnotherTable_Expect_BadInputNamingTheFix()
    {
        var (kernel, elements, table) = Setup();
        byte[] other = RandomTables.Elements(kernel.Layout.Spec, Rows, seed: 23);
        var fit = Fit(kernel, other, KeyTable.FromElements(kernel.Layout, other, Rows), 50, seed: 85);
        var e = Assert.Throws<BadInputException>(() => KMeansTree.Build(kernel, elements, Rows,
            new KMeansTreeOptions { LeafSize = 16, LeafCapacity = 32, QueryFill = fit }));
        Assert.That(e!.Message, Does.Contain("another table").And.Contain("mbi fit-queries"));
        var reweighted = new DistanceKernel(kernel.Layout, new DistanceWeights(1, 2, 1));
        Assert.Throws<BadInputException>(() => KMeansTree.Build(reweighted, elements, Rows,
            new KMeansTreeOptions { LeafSize = 16, LeafCapacity = 32, QueryFill = Fit(kernel, elements, table, 50, seed: 86) }), "other weights, other nearest rows");
    }

    [Test]
    public void When_RecordedUnderTheOldHammingLayout_Expect_RefusedNamingTheCauseAndManhattanFingerprintsUnchanged()
    {
        // Fit queries recorded on a Hamming table before its location became a thermometer code carry the fingerprint without
        // the layout's revision word; their packed queries and nearest rows are stale, so the tree must refuse them, saying why.
        var (kernel, elements, table) = Setup();
        var fit = Fit(kernel, elements, table, 50, seed: 88);
        string legacy = FitQueries.LegacyHammingFingerprint(kernel.Layout, kernel.Weights, elements, Rows);
        Assert.That(legacy, Is.Not.EqualTo(fit.KeyFingerprint), "the Hamming layout's revision is in the fingerprint");
        var old = new FitQueries(legacy, fit.WordsPerKey, [.. Enumerable.Range(0, fit.Count).SelectMany(i => fit.Query(i).ToArray())],
            [.. Enumerable.Range(0, fit.Count + 1).Select(i => i)], [.. Enumerable.Range(0, fit.Count).Select(i => fit.Nearest(i)[0])], "old layout");
        var e = Assert.Throws<BadInputException>(() => KMeansTree.Build(kernel, elements, Rows,
            new KMeansTreeOptions { LeafSize = 16, LeafCapacity = 32, QueryFill = old }));
        Assert.That(e!.Message, Does.Contain("old Hamming distance").And.Contain("thermometer").And.Contain("mbi fit-queries"));

        // A Manhattan layout hashes no revision word: every Manhattan fit-queries file keeps its fingerprint.
        var manhattan = new KeyLayout(kernel.Layout.Spec, KeyMetric.Manhattan);
        Assert.That(FitQueries.LegacyHammingFingerprint(manhattan, kernel.Weights, elements, Rows),
            Is.EqualTo(FitQueries.Fingerprint(manhattan, kernel.Weights, elements, Rows)));
    }

    [Test]
    public void When_WrittenAndRead_Expect_TheSameQueriesAndADamagedFileRefused()
    {
        var (kernel, elements, table) = Setup();
        var fit = Fit(kernel, elements, table, 300, seed: 87);
        string dir = Directory.CreateTempSubdirectory("mbi-fitq-").FullName;
        try
        {
            string path = Path.Combine(dir, "f.fitq");
            fit.Write(path);
            var back = FitQueries.Read(path);
            Assert.That(back.Count, Is.EqualTo(fit.Count));
            Assert.That(back.KeyFingerprint, Is.EqualTo(fit.KeyFingerprint));
            Assert.That(back.Provenance, Is.EqualTo(fit.Provenance));
            for (int i = 0; i < fit.Count; i++)
            {
                Assert.That(back.Query(i).ToArray(), Is.EqualTo(fit.Query(i).ToArray()));
                Assert.That(back.Nearest(i).ToArray(), Is.EqualTo(fit.Nearest(i).ToArray()));
            }
            byte[] bytes = File.ReadAllBytes(path);
            bytes[^3] ^= 0x40;
            File.WriteAllBytes(path, bytes);
            Assert.Throws<FileFormatException>(() => FitQueries.Read(path));
            Assert.Throws<BadInputException>(() => FitQueries.Read(Path.Combine(dir, "missing.fitq")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Test]
    public void When_Recorded_Expect_EveryShiftOfEveryImageAndEveryRowAtTheExactMinimum()
    {
        var lut = RandomTables.Table(RandomTables.SmallSpec(), 600, seed: 31);
        var images = TestImages.Bordered(6, seed: 32);
        var fit = FitQueryRecorder.Record(lut, images, "test");
        Assert.That(fit.Count, Is.EqualTo(images.Count * 4 * lut.Spec.Glimpses), "one query per glimpse of each shifted image");
        Assert.That(fit.KeyFingerprint, Is.EqualTo(FitQueries.Fingerprint(lut.Layout, lut.Weights, lut.KeyElements, lut.Rows)));
        var kernel = new DistanceKernel(lut.Layout, lut.Weights);
        var keys = lut.PackKeys();
        var d = new double[lut.Rows];
        for (int i = 0; i < fit.Count; i++)
        {
            kernel.Distances(keys, fit.Query(i), 0, lut.Rows, d);
            double min = d.Min();
            Assert.That(fit.Nearest(i).ToArray(), Is.EqualTo(Enumerable.Range(0, lut.Rows).Where(r => d[r] == min).ToArray()));
        }
        // The first glimpse of the first +x-shifted image is the query a classifier with exact search makes on that image.
        var shifted = new float[images.Side * images.Side];
        Distiller.Shift(images.Image(0), shifted, images.Side, 1, 0);
        FirstQuery spy = new FirstQuery(new BruteForceSearch(keys, kernel));
        new MbiClassifier(lut, new Mbi.Algorithm.Ram.QuantizedGlimpseSensor(lut.Spec), spy).Classify(shifted);
        Assert.That(fit.Query(0).ToArray(), Is.EqualTo(spy.First));
        var eight = FitQueryRecorder.Record(lut, images, "test", directions: 8);
        Assert.That(eight.Count, Is.EqualTo(2 * fit.Count));
        for (int i = 0; i < fit.Count; i++) Assert.That(eight.Query(i).ToArray(), Is.EqualTo(fit.Query(i).ToArray()), "two workers, the same order; 8 directions start with the 4");

        // Twelve directions in two parts (the first 8, then the two-pixel steps) are the twelve-direction recording.
        var twelve = FitQueryRecorder.Record(lut, images, "test", directions: 12);
        var twoPixel = FitQueryRecorder.Record(lut, images, "two-pixel", FitMoves.Parse("two-pixel"));
        Assert.That(twelve.Count, Is.EqualTo(3 * fit.Count));
        Assert.That(twoPixel.Count, Is.EqualTo(fit.Count));
        var parts = FitQueries.Concat([eight, twoPixel]);
        Assert.That(parts.Count, Is.EqualTo(twelve.Count));
        Assert.That(parts.KeyFingerprint, Is.EqualTo(twelve.KeyFingerprint));
        Assert.That(parts.Provenance, Is.EqualTo("test + two-pixel"));
        for (int i = 0; i < twelve.Count; i++)
        {
            Assert.That(parts.Query(i).ToArray(), Is.EqualTo(twelve.Query(i).ToArray()));
            Assert.That(parts.Nearest(i).ToArray(), Is.EqualTo(twelve.Nearest(i).ToArray()));
        }
        // The two-pixel part's first query is the classifier's first query on the image moved two pixels along +x.
        Distiller.Shift(images.Image(0), shifted, images.Side, 2, 0);
        spy = new FirstQuery(new BruteForceSearch(keys, kernel));
        new MbiClassifier(lut, new Mbi.Algorithm.Ram.QuantizedGlimpseSensor(lut.Spec), spy).Classify(shifted);
        Assert.That(twoPixel.Query(0).ToArray(), Is.EqualTo(spy.First));
        Assert.Throws<BadInputException>(() => FitQueryRecorder.Record(lut, images, "test", directions: 6));

        // A rotated or unmoved image's first query is the classifier's on that image.
        var moved = FitQueryRecorder.Record(lut, images, "moved", FitMoves.Parse("none,rotate:10"));
        Assert.That(moved.Count, Is.EqualTo(3 * images.Count * lut.Spec.Glimpses));
        foreach (var (move, at) in new[] { (FitMove.Shift(0, 0), 0), (FitMove.Rotate(-10), 2 * images.Count * lut.Spec.Glimpses) })
        {
            move.Apply(images.Image(0), shifted, images.Side);
            spy = new FirstQuery(new BruteForceSearch(keys, kernel));
            new MbiClassifier(lut, new Mbi.Algorithm.Ram.QuantizedGlimpseSensor(lut.Spec), spy).Classify(shifted);
            Assert.That(moved.Query(at).ToArray(), Is.EqualTo(spy.First), move.ToString());
        }
    }

    [Test]
    public void When_MovesParsed_Expect_TheNamedSetsInOrderAndBadListsRefused()
    {
        Assert.That(FitMoves.Parse("axes,diagonals,two-pixel"), Is.EqualTo(FitMoves.Directions(12)));
        Assert.That(FitMoves.Parse("axes"), Is.EqualTo(FitMoves.Directions(4)));
        Assert.That(FitMoves.Parse("none, rotate:10 ,scale:0.1"), Is.EqualTo(new[]
            { FitMove.Shift(0, 0), FitMove.Rotate(10), FitMove.Rotate(-10), FitMove.Zoom(1.1), FitMove.Zoom(0.9) }));
        Assert.That(string.Join(" ", FitMoves.Parse("none,rotate:7.5,scale:0.1")), Is.EqualTo("(0,0) rotate 7.5 rotate -7.5 scale 1.1 scale 0.9"));
        foreach (string bad in new[] { "", "axes,", "up", "rotate", "rotate:0", "rotate:50", "rotate:x", "scale:0.6", "axes:1", "axes,axes", "none,two-pixel,none" })
            Assert.Throws<BadInputException>(() => FitMoves.Parse(bad), bad);

        // The unmoved image is the image; a rotation or scaling is the training augmentation's warp.
        var image = TestImages.Bordered(1, seed: 51).Image(0).ToArray();
        int side = (int)Math.Sqrt(image.Length);
        var dst = new float[image.Length];
        FitMove.Shift(0, 0).Apply(image, dst, side);
        Assert.That(dst, Is.EqualTo(image));
        var warp = new float[image.Length];
        FitMove.Rotate(10).Apply(image, dst, side);
        Mbi.Algorithm.Ram.AffineWarp.Apply(image, side, 10 * Math.PI / 180, 1, warp);
        Assert.That(dst, Is.EqualTo(warp));
        Assert.That(dst, Is.Not.EqualTo(image));
        FitMove.Zoom(0.9).Apply(image, dst, side);
        Mbi.Algorithm.Ram.AffineWarp.Apply(image, side, 0, 0.9, warp);
        Assert.That(dst, Is.EqualTo(warp));
    }

    [Test]
    public void When_FitQueriesOfTwoTablesCombined_Expect_RefusedNamingTheFix()
    {
        var a = FitQueryRecorder.Record(RandomTables.Table(RandomTables.SmallSpec(), 200, seed: 41), TestImages.Bordered(2, seed: 42), "a");
        var b = FitQueryRecorder.Record(RandomTables.Table(RandomTables.SmallSpec(), 200, seed: 43), TestImages.Bordered(2, seed: 42), "b");
        Assert.That(FitQueries.Concat([a]), Is.SameAs(a));
        var e = Assert.Throws<BadInputException>(() => FitQueries.Concat([a, b]));
        Assert.That(e!.Message, Does.Contain("different tables").And.Contain("mbi fit-queries"));
    }

    private sealed class FirstQuery(BruteForceSearch inner) : INearestKeySearch
    {
        public ulong[]? First { get; private set; }
        public DistanceKernel Kernel => inner.Kernel;
        public int Rows => inner.Rows;
        public SearchResult Nearest(ReadOnlySpan<ulong> query)
        {
            First ??= query[..Kernel.Layout.WordsPerKey].ToArray();
            return inner.Nearest(query);
        }
    }

    /// <summary><paramref name="count"/> synthetic queries near the table's keys, with their exact nearest rows by brute force.</summary>
    private static FitQueries Fit(DistanceKernel kernel, byte[] elements, KeyTable table, int count, ulong seed)
    {
        var layout = kernel.Layout;
        int e = layout.ElementsPerKey, w = layout.WordsPerKey;
        byte[] q = RandomTables.Elements(layout.Spec, count, seed: 22, noise: 0.15);
        // Same prototypes as the keys (seed 22), other noise: re-draw the noise with the test's seed.
        var rng = new Mbi.Core.Randomness.SeededRandom(seed);
        for (int i = 0; i < q.Length; i++) if (rng.NextDouble() < 0.05) q[i] = (byte)rng.NextInt(layout.LevelsOf(i % e));
        var words = new ulong[count * w];
        var start = new int[count + 1];
        var rows = new List<int>();
        var d = new double[table.Rows];
        for (int i = 0; i < count; i++)
        {
            layout.Encode(q.AsSpan(i * e, e), words.AsSpan(i * w, w));
            kernel.Distances(table, words.AsSpan(i * w, w), 0, table.Rows, d);
            double min = d.Min();
            for (int r = 0; r < table.Rows; r++) if (d[r] == min) rows.Add(r);
            start[i + 1] = rows.Count;
        }
        return new FitQueries(FitQueries.Fingerprint(layout, kernel.Weights, elements, table.Rows), w, words, start, [.. rows], $"synthetic, seed {seed}");
    }

    private static (DistanceKernel, byte[], KeyTable) Setup()
    {
        var layout = new KeyLayout(RandomTables.SmallSpec(), KeyMetric.BitWeightedHamming);
        byte[] elements = RandomTables.Elements(layout.Spec, Rows, seed: 22);
        return (new DistanceKernel(layout, new DistanceWeights(1, 1, 1)), elements, KeyTable.FromElements(layout, elements, Rows));
    }
}

using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Algorithm.Tests.Memorization;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Search;

/// <summary>The k nearest keys a search compared (NearestK) and MBI's vote over them (MbiClassifier, vote k).</summary>
[TestFixture]
public sealed class NearestKTests
{
    private const int Rows = 2000;

    [Test]
    public void When_KeysAreOffered_Expect_TheKNearestAscendingTiesToTheLowerRowAndACopyCountedOnce()
    {
        var set = new NearestSet(3);
        Assert.That(set.Bound, Is.EqualTo(double.PositiveInfinity));
        foreach (var (row, d) in new[] { (10, 5.0), (4, 2.0), (7, 5.0), (4, 2.0), (2, 9.0), (1, 2.0), (3, 1.0) })
            set.Offer(row, d);
        Assert.That(set.Rows.ToArray(), Is.EqualTo(new[] { 3, 1, 4 }));
        Assert.That(set.Distances.ToArray(), Is.EqualTo(new[] { 1.0, 2.0, 2.0 }));
        Assert.That(set.Bound, Is.EqualTo(2.0));
    }

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(32)]
    public void When_ExactSearchKeepsK_Expect_TheKSmallestDistancesOfAFullSort(int k)
    {
        var (lut, keys, kernel) = Setup();
        var brute = (INearestKeySearch)new BruteForceSearch(keys, kernel);
        var set = new NearestSet(k);
        var d = new double[Rows];
        ForEachQuery(lut, 60, q =>
        {
            var r = brute.NearestK(q, set);
            kernel.Distances(keys, q, 0, Rows, d);
            var expected = Enumerable.Range(0, Rows).OrderBy(i => d[i]).ThenBy(i => i).Take(k).ToArray();
            Assert.That(set.Rows.ToArray(), Is.EqualTo(expected));
            Assert.That(r.Row, Is.EqualTo(expected[0]));
            Assert.That(r.Distance, Is.EqualTo(brute.Nearest(q).Distance));
        });
    }

    [Test]
    public void When_TheTreeKeepsK_Expect_TheSameNearestDistanceAndCostAsItsPlainSearchAndDistinctKeys()
    {
        var (lut, keys, kernel) = Setup();
        var tree = KMeansTree.Build(kernel, lut.KeyElements, Rows, new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 3, NeighbourSpill = 2, LeafCapacity = 32 });
        var searches = new INearestKeySearch[] { tree, tree.WithBestFirst(new BestFirstOptions { Budget = 120, GapPriority = true }) };
        var set = new NearestSet(5);
        var d = new double[Rows];
        foreach (var search in searches)
            ForEachQuery(lut, 60, q =>
            {
                var plain = search.Nearest(q);
                var withK = search.NearestK(q, set);
                Assert.That((withK.Distance, withK.Levels, withK.DistanceComputations), Is.EqualTo((plain.Distance, plain.Levels, plain.DistanceComputations)),
                    "keeping k costs no extra distance and finds a key as near (ties may name another row)");
                Assert.That(set.Rows.ToArray(), Is.Unique, "a spilled copy is one key");
                kernel.Distances(keys, q, 0, Rows, d);
                for (int j = 0; j < set.Count; j++) Assert.That(set.Distances[j], Is.EqualTo(d[set.Rows[j]]));
            });
        // With every leaf scanned, the tree's k nearest are the exact k nearest.
        var all = tree.WithBestFirst(new BestFirstOptions { Budget = int.MaxValue, GapPriority = true });
        var exact = new NearestSet(5);
        ForEachQuery(lut, 30, q =>
        {
            ((INearestKeySearch)all).NearestK(q, set);
            ((INearestKeySearch)new BruteForceSearch(keys, kernel)).NearestK(q, exact);
            Assert.That(set.Rows.ToArray(), Is.EqualTo(exact.Rows.ToArray()));
        });
    }

    [Test]
    public void When_KeysVote_Expect_BitwiseWeightedMajorityAndWeightedModesWithTiesToTheNearest()
    {
        var lut = VoteTable();
        var h = new byte[3];
        var scratch = new double[10];
        // Equal distances: weights 1, 1, 1. Bits: 1-0-0 -> -1, 0-1-1 -> +1, 0-0-1 -> -1; location (2, 2) has 2 of 3; class 3 has 2 of 3.
        int cls = MbiClassifier.Combine(lut, [0, 1, 2], [1.0, 1.0, 1.0], h, out int x, out int y, out _, out _, scratch);
        Assert.That(h, Is.EqualTo(new byte[] { 0, 1, 0 }));
        Assert.That((x, y, cls), Is.EqualTo((2, 2, 3)));
        // The nearest far ahead (weights 1, 1/4, 1/4): its value wins every vote.
        cls = MbiClassifier.Combine(lut, [0, 1, 2], [0.0, 3.0, 3.0], h, out x, out y, out _, out _, scratch);
        Assert.That(h, Is.EqualTo(new byte[] { 1, 0, 0 }));
        Assert.That((x, y, cls), Is.EqualTo((1, 1, 7)));
        // Two keys at equal distance: every disagreement is a tie, and ties go to the nearest (the first).
        cls = MbiClassifier.Combine(lut, [1, 0], [2.0, 2.0], h, out x, out y, out _, out _, scratch);
        Assert.That(h, Is.EqualTo(new byte[] { 0, 1, 0 }));
        Assert.That((x, y, cls), Is.EqualTo((2, 2, 3)));
    }

    // Tolerance of the agreement checks: each is a sum of at most three quotients of small exact numbers (weights 1 and
    // 1/4 are exact), so it is off the exact fraction by a few roundings of values <= 1: 1e-15 is ~5 ulps.
    private const double AgreementTolerance = 1e-15;

    // rows, distances, expected hidden agreement (mean over bits of |sum ±w| / sum w) and class agreement (winner's share)
    [TestCase(new[] { 1, 3 }, new[] { 0.0, 4.0 }, 1.0, 1.0, TestName = "When_KeysAgreeOnEveryValue_Expect_HiddenAndClassAgreementOne")]
    // weights 1, 1, 1: every bit splits 2 to 1 -> |±1| / 3 each; class 3 holds 2 of 3
    [TestCase(new[] { 0, 1, 2 }, new[] { 1.0, 1.0, 1.0 }, 1.0 / 3, 2.0 / 3, TestName = "When_EqualWeightsSplitTwoToOne_Expect_OneThirdPerBitAndTwoThirdsOfTheClass")]
    // weights 1, 1/4, 1/4 (sum 3/2): bits |1 - 1/2| = 1/2, |-1 + 1/2| = 1/2, |-1| = 1 -> (1/3 + 1/3 + 2/3) / 3 = 4/9; class 7 holds 1 of 3/2
    [TestCase(new[] { 0, 1, 2 }, new[] { 0.0, 3.0, 3.0 }, 4.0 / 9, 2.0 / 3, TestName = "When_TheNearestOutweighsTwoFarKeys_Expect_TheWeightedShares")]
    // weights 1, 1: bits 0 and 1 tie (0), bit 2 agrees (1) -> 1/3; classes 3 and 7 tie at 1/2
    [TestCase(new[] { 1, 0 }, new[] { 2.0, 2.0 }, 1.0 / 3, 1.0 / 2, TestName = "When_TwoKeysTieOnTwoBitsAndTheClass_Expect_OneThirdAndOneHalf")]
    public void When_KeysVote_Expect_TheAgreementOfTheValuesRead(int[] rows, double[] distances, double hiddenExpected, double classExpected)
    {
        var h = new byte[3];
        MbiClassifier.Combine(VoteTable(), rows, distances, h, out _, out _, out double hidden, out double cls, new double[10]);
        Assert.That(hidden, Is.EqualTo(hiddenExpected).Within(AgreementTolerance));
        Assert.That(cls, Is.EqualTo(classExpected).Within(AgreementTolerance));
    }

    [TestCase(1, 2.0, TestName = "When_OneKeyDecides_Expect_AgreementTwo")]
    // rows 0, 1 at one distance: hidden (0 + 0 + 1) / 3 = 1/3 at each non-last glimpse, class 7 vs 3 -> 1/2
    [TestCase(2, 1.0 / 2 + 1.0 / 3, TestName = "When_TwoEqualKeysSplit_Expect_AgreementOneHalfPlusOneThird")]
    // rows 0, 1, 2: hidden (1/3 + 1/3 + 1) / 3 = 5/9, class 7 holds 2 of 3
    [TestCase(3, 2.0 / 3 + 5.0 / 9, TestName = "When_ThreeEqualKeysVote_Expect_AgreementTwoThirdsPlusFiveNinths")]
    public void When_ImagesClassifiedByVote_Expect_ClassShareAtTheLastGlimpsePlusTheLeastUnanimousHiddenVote(int vote, double expected)
    {
        // Every key is the same, so every glimpse of every image finds all rows at one distance (weights 1): the vote is
        // over exactly the first `vote` rows, and the agreement follows from their values alone.
        var spec = new GlimpseKeySpec(patchSize: 1, scales: 1, scaleFactor: 1, patchBits: 1, hiddenBits: 3, locationLevels: 5, glimpses: 3);
        byte[] hidden = [1, 0, 0, /**/ 0, 1, 0, /**/ 1, 0, 0];
        byte[] location = [1, 1, /**/ 2, 2, /**/ 3, 3];
        byte[] classes = [7, 3, 7];
        var lut = new LookupTable(spec, 3, new byte[3 * (1 + 3 + 2)], hidden, location, classes, new byte[3], 2, 2,
            DistanceWeights.Unweighted, KeyMetric.Manhattan, "agreement test");
        var classifier = new MbiClassifier(lut, new QuantizedGlimpseSensor(spec), new BruteForceSearch(lut.PackKeys(), new DistanceKernel(lut.Layout, lut.Weights)), vote);
        var run = MbiEvaluation.Run(classifier, Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(6, 28, 3));
        Assert.That(run.Agreement, Has.All.EqualTo(expected).Within(AgreementTolerance));
        Assert.That(classifier.Classify(Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(1, 28, 4).Image(0)).Agreement, Is.EqualTo(expected).Within(AgreementTolerance));
    }

    [Test]
    public void When_VoteIsOneOrFive_Expect_AgreementTwoForOneKeyAndWithinZeroToTwoForFive()
    {
        var (lut, keys, kernel) = Setup();
        var images = Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(40, 28, 9);
        var sensor = new QuantizedGlimpseSensor(lut.Spec);
        var brute = new BruteForceSearch(keys, kernel);
        Assert.That(MbiEvaluation.Run(new MbiClassifier(lut, sensor, brute), images).Agreement, Has.All.EqualTo(2.0), "one key is unanimous");
        var five = MbiEvaluation.Run(new MbiClassifier(lut, sensor, brute, vote: 5), images).Agreement;
        Assert.That(five, Has.All.InRange(0.0, 2.0));
        Assert.That(five, Has.Some.LessThan(2.0), "random values disagree");
    }

    /// <summary>Four stored rows (all keys zero): next hidden, next location (x, y), class. Rows 1 and 3 hold the same value.</summary>
    private static LookupTable VoteTable()
    {
        var spec = new GlimpseKeySpec(patchSize: 1, scales: 1, scaleFactor: 1, patchBits: 1, hiddenBits: 3, locationLevels: 5, glimpses: 2);
        byte[] hidden = [1, 0, 0, /**/ 0, 1, 0, /**/ 0, 1, 1, /**/ 0, 1, 0];
        byte[] location = [1, 1, /**/ 2, 2, /**/ 2, 2, /**/ 2, 2];
        byte[] classes = [7, 3, 3, 3];
        return new LookupTable(spec, 4, new byte[4 * (1 + 3 + 2)], hidden, location, classes, new byte[3], 2, 2,
            DistanceWeights.Unweighted, KeyMetric.Manhattan, "vote test");
    }

    [Test]
    public void When_VoteIsOne_Expect_ThePapersNearestKeyInferenceAndOutOfRangeRefused()
    {
        var (lut, keys, kernel) = Setup();
        var images = Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(40, 28, 9);
        var sensor = new QuantizedGlimpseSensor(lut.Spec);
        var brute = new BruteForceSearch(keys, kernel);
        var plain = MbiEvaluation.Run(new MbiClassifier(lut, sensor, brute), images);
        var one = MbiEvaluation.Run(new MbiClassifier(lut, sensor, brute, vote: 1), images);
        var five = MbiEvaluation.Run(new MbiClassifier(lut, sensor, brute, vote: 5), images);
        Assert.That(one.Predicted.ToArray(), Is.EqualTo(plain.Predicted.ToArray()));
        Assert.That(five.AverageDistanceComputations, Is.EqualTo(plain.AverageDistanceComputations), "the vote compares no extra key");
        Assert.That(five.Predicted.ToArray(), Is.Not.EqualTo(plain.Predicted.ToArray()), "on random values the vote changes some answers");
        foreach (int bad in new[] { 0, 33 })
        {
            var e = Assert.Throws<BadInputException>(() => new MbiClassifier(lut, sensor, brute, bad));
            Assert.That(e!.Message, Does.StartWith($"vote was {bad}"));
        }
    }

    private static (LookupTable, KeyTable, DistanceKernel) Setup()
    {
        var lut = RandomTables.Table(RandomTables.SmallSpec(), Rows, seed: 31);
        return (lut, lut.PackKeys(), new DistanceKernel(lut.Layout, lut.Weights));
    }

    private static void ForEachQuery(LookupTable lut, int count, Action<ulong[]> check)
    {
        byte[] queries = RandomTables.Elements(lut.Spec, count, seed: 78);
        int e = lut.ElementsPerKey;
        for (int i = 0; i < count; i++)
        {
            var q = new ulong[lut.Layout.WordsPerKey];
            lut.Layout.Encode(queries.AsSpan(i * e, e), q);
            check(q);
        }
    }
}

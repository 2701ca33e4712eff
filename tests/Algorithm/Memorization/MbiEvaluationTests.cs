using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;
using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

/// <summary>
/// Mixed MBI's gate on hand-made runs: an image goes by lookups when MaxDistance + weight x (2 - Agreement) &lt;= T
/// (<see cref="MbiRun.GateScore"/>), weight 0 being the paper's rule (MaxDistance &lt;= T).
/// </summary>
[TestFixture]
public sealed class MbiEvaluationTests
{
    // Six images, all labelled 0. Lookups right on 0, 2, 4, 5; the RAM right on 0, 2, 3, 5.
    private static readonly byte[] Labels = [0, 0, 0, 0, 0, 0];
    private static readonly int[] Model = [0, 1, 0, 0, 1, 0];
    private static readonly MbiRun Hand = Run(
        predicted: [0, 1, 0, 1, 0, 0],
        maxDistance: [1.0, 2.0, 3.0, 4.0, 0.5, 6.0],
        agreement: [2.0, 1.0, 2.0, 1.9, 1.5, 2.0]);

    [Test]
    public void When_AgreementWeighted_Expect_TheGateScoreDistancePlusWeightTimesDisagreement()
    {
        // weight 10: 1 + 0, 2 + 10, 3 + 0, 4 + 10 x 0.1, 0.5 + 5, 6 + 0
        double[] expected = [1.0, 12.0, 3.0, 5.0, 5.5, 6.0];
        for (int i = 0; i < 6; i++)
        {
            // 4 + 10 x (2 - 1.9): 2 - 1.9 is not exact in binary, so the score is 5 within a few ulps.
            Assert.That(Hand.GateScore(i, 10), Is.EqualTo(expected[i]).Within(1e-14));
            Assert.That(Hand.GateScore(i, 0), Is.EqualTo(Hand.MaxDistance[i]), "weight 0 is the distance itself, bit for bit");
        }
    }

    [Test]
    public void When_TheGateWeighsAgreement_Expect_ADifferentExactlyKnownServedSet()
    {
        // T = 5, weight 0: served {0, 1, 2, 3, 4} (distance <= 5): lookups right on 0, 2, 4 (3 of 5), the RAM right on 5.
        var plain = MbiEvaluation.Mixed(Hand, Model, Labels, 5);
        Assert.That(plain, Is.EqualTo(new MixedPoint(5, 4 / 6.0, 5 / 6.0, 3 / 5.0, 1.0, 0)));
        // T = 5.5, weight 10: scores 1, 12, 3, 5, 5.5, 6 -> served {0, 2, 3, 4}: lookups right on 0, 2, 4 (3 of 4); the
        // RAM right on 5, wrong on 1 (1 of 2). (T = 5.5, not 5: image 3's score is 5 only within rounding.)
        var gated = MbiEvaluation.Mixed(Hand, Model, Labels, 5.5, agreementWeight: 10);
        Assert.That(gated, Is.EqualTo(new MixedPoint(5.5, 4 / 6.0, 4 / 6.0, 3 / 4.0, 1 / 2.0, 10)));
        // T = 4.5, weight 10: served {0, 2}, both right; the RAM right on 3, 5 of {1, 3, 4, 5}.
        var tight = MbiEvaluation.Mixed(Hand, Model, Labels, 4.5, agreementWeight: 10);
        Assert.That(tight, Is.EqualTo(new MixedPoint(4.5, 4 / 6.0, 2 / 6.0, 1.0, 2 / 4.0, 10)));
        Assert.That(Enumerable.Range(0, 6).Where(i => Hand.GateScore(i, 10) <= 5.5), Is.EqualTo(new[] { 0, 2, 3, 4 }));
    }

    [Test]
    public void When_OneKeyDecides_Expect_AnyWeightToServeTheSameSetAsTheDistanceAlone()
    {
        var unanimous = Hand with { Agreement = [2.0, 2.0, 2.0, 2.0, 2.0, 2.0] };
        foreach (double t in new[] { 0.5, 1, 3, 5, 6 })
            Assert.That(MbiEvaluation.Mixed(unanimous, Model, Labels, t, 40) with { AgreementWeight = 0 }, Is.EqualTo(MbiEvaluation.Mixed(unanimous, Model, Labels, t)));
    }

    [Test]
    public void When_TheVoteShowsWhichLookupsAreWrong_Expect_BestThresholdWithTheWeightToServeMore()
    {
        // Four images, the RAM right on all; the target is 100 %: every image served must be right.
        // Lookups wrong only on image 1, which is the second nearest but the only split vote.
        var run = Run(predicted: [0, 1, 0, 0], maxDistance: [1.0, 2.0, 3.0, 4.0], agreement: [2.0, 1.0, 2.0, 2.0]);
        int[] model = [0, 0, 0, 0];
        byte[] labels = [0, 0, 0, 0];
        // The distance alone stops before image 1: T = 1, one image by lookups.
        Assert.That(MbiEvaluation.BestThreshold(run, model, labels, 1.0), Is.EqualTo(new MixedPoint(1, 1, 0.25, 1, 1, 0)));
        // Weight 5 moves image 1 to 2 + 5 = 7, behind 3 and 4: T = 4 serves 0, 2, 3.
        Assert.That(MbiEvaluation.BestThreshold(run, model, labels, 1.0, agreementWeight: 5), Is.EqualTo(new MixedPoint(4, 1, 0.75, 1, 1, 5)));
        // Lookups wrong on the nearest image: only the RAM reaches 100 %; threshold -1 serves none under any weight (scores are >= 0).
        var wrongFirst = run with { Predicted = [1, 0, 0, 0] };
        var none = MbiEvaluation.BestThreshold(wrongFirst, model, labels, 1.0, agreementWeight: 5);
        Assert.That(none, Is.EqualTo(new MixedPoint(-1, 1, 0, double.NaN, 1, 5)));
        Assert.That(MbiEvaluation.Mixed(wrongFirst, model, labels, none.Threshold, 5).MbiFraction, Is.Zero);
    }

    [TestCase(0.0)]
    [TestCase(5.0)]
    [TestCase(20.0)]
    public void When_BestThresholdOnARandomRun_Expect_TheMostServedOverEveryScoreAtTheTarget(double weight)
    {
        var (run, model, labels) = RandomRun(400, seed: 11);
        const double target = 0.9;
        var best = MbiEvaluation.BestThreshold(run, model, labels, target, weight);
        // Every distinct score as a threshold, scored by Mixed itself.
        var points = Enumerable.Range(0, 400).Select(i => run.GateScore(i, weight)).Distinct()
            .Select(t => MbiEvaluation.Mixed(run, model, labels, t, weight)).Where(p => p.Accuracy >= target).ToList();
        Assert.That(points, Is.Not.Empty, "the random run must reach the target somewhere");
        Assert.That(best.MbiFraction, Is.EqualTo(points.Max(p => p.MbiFraction)));
        Assert.That(best.AgreementWeight, Is.EqualTo(weight));
        Assert.That(best, Is.EqualTo(MbiEvaluation.Mixed(run, model, labels, best.Threshold, weight)));
    }

    [Test]
    public void When_MostAccurateOnTheHandRun_Expect_TheBestAccuracyAndTheLargerShareOnATie()
    {
        // Distances 0.5, 1, 2, 3, 4, 6 are images 4, 0, 1, 2, 3, 5; lookups right on 4, 0, 2, 5, the fallback on 0, 2, 3, 5.
        // Correct count serving the nearest k: none 4; +4 -> 5; +0 -> 5; +1 -> 5; +2 -> 5; +3 -> 4; +5 -> 4.
        // Best 5 of 6, first at T = 0.5, last (the larger share) at T = 3: served {4, 0, 1, 2}.
        var best = MbiEvaluation.MostAccurateThreshold(Hand, Model, Labels);
        Assert.That(best, Is.EqualTo(MbiEvaluation.Mixed(Hand, Model, Labels, 3)));
        Assert.That(best.Accuracy, Is.EqualTo(5 / 6.0));
        Assert.That(best.MbiFraction, Is.EqualTo(4 / 6.0));
        // A fallback right everywhere, weight 10 (scores 1, 12, 3, 5, 5.5, 6): the lookups keep 100 % only while they serve
        // images they get right, the two lowest scores (images 0 and 2, T = 3).
        int[] allRight = [0, 0, 0, 0, 0, 0];
        var two = MbiEvaluation.MostAccurateThreshold(Hand, allRight, Labels, 10);
        Assert.That(two, Is.EqualTo(MbiEvaluation.Mixed(Hand, allRight, Labels, 3, 10)));
        Assert.That((two.Accuracy, two.MbiFraction), Is.EqualTo((1.0, 2 / 6.0)));
        // Lookups wrong everywhere: the fallback alone is best; threshold -1 serves nothing.
        var none = MbiEvaluation.MostAccurateThreshold(Hand with { Predicted = [1, 1, 1, 1, 1, 1] }, allRight, Labels, 10);
        Assert.That(none, Is.EqualTo(new MixedPoint(-1, 1, 0, double.NaN, 1, 10)));
    }

    [TestCase(0.0)]
    [TestCase(20.0)]
    public void When_MostAccurateOnARandomRun_Expect_TheBestAccuracyOverEveryScoreThenTheMostServed(double weight)
    {
        var (run, model, labels) = RandomRun(400, seed: 13);
        var best = MbiEvaluation.MostAccurateThreshold(run, model, labels, weight);
        var points = Enumerable.Range(0, 400).Select(i => run.GateScore(i, weight)).Distinct()
            .Select(t => MbiEvaluation.Mixed(run, model, labels, t, weight)).ToList();
        double top = points.Max(p => p.Accuracy);
        Assert.That(best.Accuracy, Is.EqualTo(top));
        Assert.That(best.MbiFraction, Is.EqualTo(points.Where(p => p.Accuracy == top).Max(p => p.MbiFraction)));
        Assert.That(best, Is.EqualTo(MbiEvaluation.Mixed(run, model, labels, best.Threshold, weight)));
    }

    [Test]
    public void When_WeightIsZero_Expect_ThePapersRuleWhateverTheAgreement()
    {
        // The old rule, written out: served = MaxDistance <= T. The agreement must not matter at weight 0.
        var (run, model, labels) = RandomRun(400, seed: 12);
        var other = run with { Agreement = [.. run.Agreement.Select(a => 2 - a)] };
        foreach (double t in run.MaxDistance.Distinct().Append(-1).Append(double.PositiveInfinity))
        {
            int served = 0, right = 0;
            for (int i = 0; i < 400; i++)
            {
                bool byLookups = run.MaxDistance[i] <= t;
                served += byLookups ? 1 : 0;
                right += (byLookups ? run.Predicted[i] : model[i]) == labels[i] ? 1 : 0;
            }
            var point = MbiEvaluation.Mixed(run, model, labels, t);
            Assert.That((point.MbiFraction, point.Accuracy), Is.EqualTo((served / 400.0, right / 400.0)));
            Assert.That(MbiEvaluation.Mixed(other, model, labels, t), Is.EqualTo(point));
        }
        Assert.That(MbiEvaluation.BestThreshold(other, model, labels, 0.9), Is.EqualTo(MbiEvaluation.BestThreshold(run, model, labels, 0.9)));
    }

    [Test]
    public void When_AnotherFallbackClassifiesTheRest_Expect_ItsClassesInTheMixedAccuracyComputedByHand()
    {
        // --fallback-model: the same lookups and gate, another network's classes on the images not served. At T = 1 (weight 0)
        // images 4 (0.5) and 0 (1.0) go by lookups, both right; 1, 2, 3, 5 go to the fallback. The table's RAM is right on
        // 2, 3, 5 (5 of 6); a fallback right everywhere gives 6 of 6, one wrong everywhere 2 of 6. Exact: counts over 6.
        int[] perfect = [0, 0, 0, 0, 0, 0], wrong = [1, 1, 1, 1, 1, 1];
        Assert.That(MbiEvaluation.Mixed(Hand, Model, Labels, 1.0).Accuracy, Is.EqualTo(5 / 6.0));
        Assert.That(MbiEvaluation.Mixed(Hand, perfect, Labels, 1.0), Is.EqualTo(new MixedPoint(1.0, 1.0, 2 / 6.0, 1.0, 1.0)));
        Assert.That(MbiEvaluation.Mixed(Hand, wrong, Labels, 1.0), Is.EqualTo(new MixedPoint(1.0, 2 / 6.0, 2 / 6.0, 1.0, 0.0)));
        // Under any per-image score (the learned gate's path) the same images and counts.
        double[] scores = [.. Hand.MaxDistance];
        Assert.That(MbiEvaluation.Mixed(Hand, scores, perfect, Labels, 1.0), Is.EqualTo(new MixedPoint(1.0, 1.0, 2 / 6.0, 1.0, 1.0)));

        // The fallback also decides T. At target 1: with the perfect fallback, serve 4 and 0 and stop before 1 (a wrong lookup);
        // with the table's RAM (wrong on 1 and 4) no threshold reaches 100 %.
        Assert.That(MbiEvaluation.BestThreshold(Hand, perfect, Labels, 1.0), Is.EqualTo(new MixedPoint(1.0, 1.0, 2 / 6.0, 1.0, 1.0)));
        Assert.That(MbiEvaluation.BestThreshold(Hand, scores, perfect, Labels, 1.0).Threshold, Is.EqualTo(1.0));
        Assert.That(MbiEvaluation.BestThreshold(Hand, Model, Labels, 1.0).Threshold, Is.NaN);
    }

    [Test]
    public void When_TheFallbackIsAnyRam_Expect_ItsOwnEvaluationsClassesAndATableOfOtherClassesRefused()
    {
        // A small full-precision RAM (no MBI step function: hidden and patch bits 0, continuous locations) on 40 random images:
        // RunFallback's classes are the model's own evaluation pass, whatever the table's key shape.
        var config = new RamConfig
        {
            PatchSize = 3, Scales = 2, ScaleFactor = 2, Glimpses = 3, GlimpseHidden = 7, LocationHidden = 5, GlimpseFeatures = 9,
            Hidden = 6, HiddenBits = 0, PatchBits = 0, LocationLevels = 0, PolicySigma = 0.2f,
        };
        var model = RamModel.Initialize(config, 3);
        Assert.That(model.Config.IsMbiCompatible, Is.False);
        var rng = new SeededRandom(5);
        var images = new MnistImages([.. Enumerable.Range(0, 40 * 784).Select(_ => (float)rng.NextDouble())], [.. Enumerable.Range(0, 40).Select(i => (byte)(i % 10))], 28);
        var table = new GlimpseKeySpec(patchSize: 3, scales: 2, scaleFactor: 2, patchBits: 2, hiddenBits: 40, locationLevels: 7, glimpses: 4);
        var expected = new int[40];
        model.Evaluate(images, expected);
        Assert.That(MbiEvaluation.RunFallback(model, "tiny.ram", table, images), Is.EqualTo(expected));

        var fiveClasses = new GlimpseKeySpec(patchSize: 3, scales: 2, scaleFactor: 2, patchBits: 2, hiddenBits: 40, locationLevels: 7, glimpses: 4, classes: 5);
        var e = Assert.Throws<BadInputException>(() => MbiEvaluation.RunFallback(model, "tiny.ram", fiveClasses, images));
        Assert.That(e!.Message, Does.StartWith("fallback_model was tiny.ram (a RAM for 28 x 28 images and 10 classes)")
            .And.Contain("the table's 28 x 28 images and 5 classes"));
    }

    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(2e6)]
    public void When_AgreementWeightOutOfRange_Expect_BadInputNamingIt(double weight)
    {
        var e = Assert.Throws<BadInputException>(() => MbiEvaluation.Mixed(Hand, Model, Labels, 5, weight));
        Assert.That(e!.Message, Does.StartWith("agreement_weight was").And.Contain("between 0 and 1000000"));
        Assert.Throws<BadInputException>(() => MbiEvaluation.BestThreshold(Hand, Model, Labels, 0.5, weight));
    }

    [Test]
    public void When_PerImageArraysDifferInLength_Expect_ArgumentException() =>
        Assert.Throws<ArgumentException>(() => Run(predicted: [0, 1], maxDistance: [1.0, 2.0], agreement: [2.0]));

    private static MbiRun Run(int[] predicted, double[] maxDistance, double[] agreement) =>
        new(predicted, maxDistance, agreement, new double[predicted.Length], predicted.Length, predicted.Length, predicted.Length);

    /// <summary>
    /// A run where lookups are right more often the nearer and the more unanimous the image (as real runs are), with
    /// distances on a coarse grid so thresholds tie.
    /// </summary>
    private static (MbiRun Run, int[] Model, byte[] Labels) RandomRun(int n, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var predicted = new int[n];
        var distance = new double[n];
        var agreement = new double[n];
        var model = new int[n];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = (byte)rng.NextInt(10);
            distance[i] = 0.25 * rng.NextInt(40);
            agreement[i] = 2 * rng.NextDouble();
            double pRight = 1 - 0.5 * (distance[i] / 10 + (2 - agreement[i]) / 2) / 2;
            predicted[i] = rng.NextDouble() < pRight ? labels[i] : (labels[i] + 1) % 10;
            model[i] = rng.NextDouble() < 0.97 ? labels[i] : (labels[i] + 2) % 10;
        }
        return (Run(predicted, distance, agreement), model, labels);
    }
}

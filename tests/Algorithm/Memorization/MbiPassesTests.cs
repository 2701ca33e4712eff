using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Core.Errors;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

[TestFixture]
public sealed class MbiPassesTests
{
    [Test]
    public void When_TheSensorIsOffset_Expect_ThePatchOfTheTranslatedImage()
    {
        var spec = RandomTables.SmallSpec();
        var images = TestImages.Bordered(30, 21);
        var patch = new byte[spec.PatchElements];
        var moved = new byte[spec.PatchElements];
        int differ = 0;
        for (int k = 1; k < EvaluationPasses.Max; k++)
        {
            var (dx, dy) = EvaluationPasses.Offset(k);
            var offset = new QuantizedGlimpseSensor(spec, dx, dy);
            var plain = new QuantizedGlimpseSensor(spec);
            var translated = TestImages.Translated(images, dx, dy);
            for (int i = 0; i < 5; i++)
                for (int x = 0; x < spec.LocationLevels; x++)
                    for (int y = 0; y < spec.LocationLevels; y++)
                    {
                        offset.Sense(images.Image(i), x, y, patch);
                        plain.Sense(translated.Image(i), x, y, moved);
                        Assert.That(patch, Is.EqualTo(moved), $"pass {k}, image {i}, location ({x}, {y})");
                        plain.Sense(images.Image(i), x, y, moved);
                        if (!patch.AsSpan().SequenceEqual(moved)) differ++;
                    }
        }
        Assert.That(differ, Is.GreaterThan(0), "an offset must change some patches");
    }

    [Test]
    public void When_LookupsRunInPasses_Expect_PassZeroIsThePlainRunAndEachPassItsTranslatedImages()
    {
        var lut = RandomTables.Table(RandomTables.SmallSpec(), 600, seed: 31);
        var images = TestImages.Bordered(30, 22);
        var tree = SearchFactory.Build(lut, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 2 });
        var runs = MbiEvaluation.RunPasses(lut, tree, 5, images, 3);
        Assert.That(runs, Has.Length.EqualTo(3));
        var plain = MbiEvaluation.Run(new MbiClassifier(lut, new QuantizedGlimpseSensor(lut.Spec), tree, 5), images);
        Assert.That(runs[0].Predicted, Is.EqualTo(plain.Predicted));
        Assert.That(runs[0].MaxDistance, Is.EqualTo(plain.MaxDistance));
        var (dx, dy) = EvaluationPasses.Offset(2);
        var second = MbiEvaluation.Run(new MbiClassifier(lut, new QuantizedGlimpseSensor(lut.Spec), tree, 5), TestImages.Translated(images, dx, dy));
        Assert.That(runs[2].Predicted, Is.EqualTo(second.Predicted));
        Assert.That(runs[2].MaxDistance, Is.EqualTo(second.MaxDistance));
        Assert.That(runs.Sum(r => r.Lookups), Is.EqualTo(3L * images.Count * lut.Spec.Glimpses));
        Assert.That(Assert.Throws<BadInputException>(() => MbiEvaluation.RunPasses(lut, tree, 5, images, 14))!.Message, Does.Contain("passes was 14"));
    }

    /// <summary>A 600-row random table, 40 bordered images drawn with <paramref name="imageSeed"/>, and an 8-way tree of 16-key leaves.</summary>
    private static (LookupTable Lut, Mbi.Algorithm.Mnist.MnistImages Images, INearestKeySearch Tree) Fixture(ulong imageSeed)
    {
        var lut = RandomTables.Table(RandomTables.SmallSpec(), 600, seed: 31);
        return (lut, TestImages.Bordered(40, imageSeed), SearchFactory.Build(lut, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 2 }));
    }

    [Test]
    public void When_PassesStopEarly_Expect_ConfidentImagesKeepPassZeroAndTheOthersTheFullVote()
    {
        var (lut, images, tree) = Fixture(23);
        const int passes = 4;
        var full = MbiEvaluation.RunPasses(lut, tree, 3, images, passes);
        int[] vote = MbiEvaluation.VotePasses(full, 10);
        double[] worst = full[0].MaxDistance;
        double median = worst.Order().ElementAt(worst.Length / 2);

        var stopping = MbiEvaluation.RunPassesStopping(lut, tree, 3, images, passes, median);
        int stopped = 0;
        for (int i = 0; i < images.Count; i++)
        {
            bool stops = worst[i] <= median;
            if (stops) stopped++;
            Assert.That(stopping.Classes[i], Is.EqualTo(stops ? full[0].Predicted[i] : vote[i]), $"image {i}");
        }
        Assert.That(stopped, Is.InRange(1, images.Count - 1), "the fixture must stop some images and not others");
        Assert.That(stopping.Continued, Has.Length.EqualTo(images.Count - stopped));
        int g = lut.Spec.Glimpses;
        Assert.That(stopping.Lookups, Is.EqualTo((long)images.Count * g + (long)(passes - 1) * (images.Count - stopped) * g));
        Assert.That(stopping.MeanPasses, Is.EqualTo(1 + (passes - 1) * (images.Count - stopped) / (double)images.Count));

        var none = MbiEvaluation.RunPassesStopping(lut, tree, 3, images, passes, double.MaxValue);
        Assert.That(none.Classes, Is.EqualTo(full[0].Predicted), "every image stops: pass 0's classes");
        Assert.That(none.Lookups, Is.EqualTo((long)images.Count * g));
        Assert.That(Assert.Throws<BadInputException>(() => MbiEvaluation.RunPassesStopping(lut, tree, 3, images, passes, -1))!.Message,
            Does.Contain("stop_distance was -1"));
    }

    [Test]
    public void When_PassesStopAtAVoteMargin_Expect_EachImageToStopAtThePassItsLeaderIsThatFarAhead()
    {
        // Hand-run from every pass over every image: an image's passes vote in order (weight 1 / (1 + worst distance));
        // it closes after the first pass at which the leader is m ahead of the runner-up, or runs all M. Its class is
        // the leader then; each pass runs on the images still open, so the lookups are exactly theirs.
        var (lut, images, tree) = Fixture(24);
        const int passes = 5;
        var full = MbiEvaluation.RunPasses(lut, tree, 3, images, passes);
        int n = images.Count;
        // The margin: of a few multiples of the median pass weight, the one that stops images at the most different passes.
        var weights = full.SelectMany(r => r.MaxDistance).Select(d => 1 / (1 + d)).Order().ToArray();
        double median = weights[weights.Length / 2];
        (int[] Class, int[] Passes) HandRun(double margin)
        {
            var cls = new int[n];
            var ran = new int[n];
            for (int i = 0; i < n; i++)
            {
                var sum = new double[10];
                int k = 0;
                while (true)
                {
                    sum[full[k].Predicted[i]] += 1 / (1 + full[k].MaxDistance[i]);
                    k++;
                    var sorted = sum.OrderDescending().ToArray();
                    if (k == passes || sorted[0] - sorted[1] >= margin) break;
                }
                ran[i] = k;
                cls[i] = Array.IndexOf(sum, sum.Max());
            }
            return (cls, ran);
        }
        double margin = new[] { 0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 2.5 }.Select(f => f * median).MaxBy(m => HandRun(m).Passes.Distinct().Count());
        var (expectedClass, expectedPasses) = HandRun(margin);
        Assert.That(expectedPasses.Distinct().Count(), Is.GreaterThanOrEqualTo(3), "the fixture must stop images at several different passes");
        Assert.That(expectedPasses, Does.Contain(passes));

        var run = MbiEvaluation.RunPassesStopping(lut, tree, 3, images, passes, null, null, margin);
        Assert.That(run.Classes, Is.EqualTo(expectedClass));
        for (int k = 0; k < run.Runs.Length; k++)
            Assert.That(run.Runs[k].Predicted, Has.Length.EqualTo(expectedPasses.Count(p => p > k)), $"images open at pass {k}");
        Assert.That(run.Lookups, Is.EqualTo(expectedPasses.Sum() * (long)lut.Spec.Glimpses));
        Assert.That(run.MeanPasses, Is.EqualTo(expectedPasses.Sum() / (double)n));
        Assert.That(run.Continued, Has.Length.EqualTo(expectedPasses.Count(p => p > 1)));

        var atZero = MbiEvaluation.RunPassesStopping(lut, tree, 3, images, passes, null, null, 0);
        Assert.That((atZero.Classes, atZero.Runs.Length, atZero.MeanPasses), Is.EqualTo((full[0].Predicted, 1, 1.0)), "margin 0: every image stops after one pass");
        var never = MbiEvaluation.RunPassesStopping(lut, tree, 3, images, passes, null, null, 1e9);
        Assert.That(never.Classes, Is.EqualTo(MbiEvaluation.VotePasses(full, 10)), "an unreachable margin: the full vote");
        Assert.That(never.MeanPasses, Is.EqualTo(passes));
    }

    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void When_TheStopMarginIsBad_Expect_BadInputNamingIt(double margin)
    {
        var e = Assert.Throws<BadInputException>(() => MbiEvaluation.CheckStopMargin(margin))!;
        Assert.That(e.Message, Does.Contain("stop_margin was"));
    }

    [Test]
    public void When_PassesVote_Expect_EachWeightedByOneOverOnePlusItsWorstDistance()
    {
        // Image 0: one close pass for class 1 (weight 1) outweighs two far ones for class 2 (0.25 each).
        // Image 1: two passes for class 4 at distance 1 (0.5 each) against one for class 3 at 0 (1): a tie, to the lower class, 3.
        // Image 2: every pass says 6.
        MbiRun Run(int[] classes, double[] worst) => new(classes, worst, new double[classes.Length], new double[classes.Length], classes.Length, 0, 0);
        var passes = new[]
        {
            Run([1, 3, 6], [0, 0, 9]),
            Run([2, 4, 6], [3, 1, 1]),
            Run([2, 4, 6], [3, 1, 2]),
        };
        Assert.That(MbiEvaluation.VotePasses(passes, 10), Is.EqualTo(new[] { 1, 3, 6 }));
        Assert.That(MbiEvaluation.VotePasses(passes[1..], 10), Is.EqualTo(new[] { 2, 4, 6 }));
        Assert.That(MbiEvaluation.VotePasses(passes[..1], 10), Is.EqualTo(passes[0].Predicted), "one pass is that pass's classes");
    }
}

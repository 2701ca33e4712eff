using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;
using Mbi.Core.Randomness;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Ram;

[TestFixture]
public sealed class EvaluationPassesTests
{
    private const int Count = 30;

    /// <summary>An MBI-configuration model with weights pushed off their initial values so its classes vary.</summary>
    private static RamModel Model()
    {
        var config = RamConfig.Mbi with { HeadHidden = 16, HeadInput = HeadInput.PreActivation, GlimpseHidden = 32, LocationHidden = 16, GlimpseFeatures = 48 };
        var model = RamModel.Initialize(config, 3);
        var rng = new SeededRandom(4, 0, 0);
        for (int i = 0; i < model.Parameters.Length; i++) model.Parameters[i] += (float)(rng.NextDouble() - 0.5) * 0.4f;
        return model;
    }

    private static RamNetwork Forward(RamModel model, MnistImages images, LocationPolicy policy)
    {
        var network = new RamNetwork(model.Config, Count);
        network.Forward(model.Parameters, images, Enumerable.Range(0, Count).ToArray(), policy);
        return network;
    }

    [Test]
    public void When_APassOffsetsTheSensor_Expect_TheSameNetworkAsOnTheTranslatedImage()
    {
        // A pass is an address offset of the glimpse sensor: it must see exactly what the plain pass sees on the image
        // moved by that offset, at every step (patches, hidden bits, locations) and in the logits.
        var model = Model();
        var images = TestImages.Bordered(Count, 11);
        for (int k = 1; k < EvaluationPasses.Max; k++)
        {
            var (dx, dy) = EvaluationPasses.Offset(k);
            var offset = Forward(model, images, LocationPolicy.MeanOffset(dx, dy));
            var moved = Forward(model, TestImages.Translated(images, dx, dy), LocationPolicy.Mean);
            for (int t = 0; t < model.Config.Glimpses; t++)
            {
                Assert.That(offset.Patches(t, Count).ToArray(), Is.EqualTo(moved.Patches(t, Count).ToArray()), $"pass {k}, patches of step {t}");
                Assert.That(offset.Hidden(t, Count).ToArray(), Is.EqualTo(moved.Hidden(t, Count).ToArray()), $"pass {k}, h_{t}");
                Assert.That(offset.Locations(t, Count).ToArray(), Is.EqualTo(moved.Locations(t, Count).ToArray()), $"pass {k}, l_{t}");
            }
            Assert.That(offset.Logits.ToArray(), Is.EqualTo(moved.Logits.ToArray()), $"pass {k}, logits");
        }
        var plain = Forward(model, images, LocationPolicy.Mean);
        Assert.That(Forward(model, images, LocationPolicy.MeanOffset(1, 0)).Patches(0, Count).ToArray(),
            Is.Not.EqualTo(plain.Patches(0, Count).ToArray()), "an offset must move what the sensor sees");
    }

    [Test]
    public void When_SeveralPassesAreEvaluated_Expect_TheClassOfTheSummedSoftmaxOutputs()
    {
        var model = Model();
        var images = TestImages.Bordered(Count, 12);
        const int passes = 5;
        var sum = new double[Count * model.Config.Classes];
        var classesSeen = new HashSet<int>();
        for (int k = 0; k < passes; k++)
        {
            var (dx, dy) = EvaluationPasses.Offset(k);
            var network = Forward(model, images, LocationPolicy.MeanOffset(dx, dy));
            for (int j = 0; j < sum.Length; j++) sum[j] += network.Probabilities[j];
            foreach (int c in network.Predictions[..Count]) classesSeen.Add(c);
        }
        var expected = new int[Count];
        int correct = 0;
        for (int i = 0; i < Count; i++)
        {
            var row = sum.AsSpan(i * 10, 10);
            for (int c = 1; c < 10; c++) if (row[c] > row[expected[i]]) expected[i] = c;
            if (expected[i] == images.Label(i)) correct++;
        }
        Assert.That(classesSeen, Has.Count.GreaterThan(1), "the fixture must not give one class to every image");

        var predicted = new int[Count];
        double accuracy = model.Evaluate(images, predicted, passes: passes);
        Assert.That(predicted, Is.EqualTo(expected));
        Assert.That(accuracy, Is.EqualTo(correct / (double)Count));
    }

    [Test]
    public void When_OnePassIsEvaluated_Expect_TheOrdinaryEvaluation()
    {
        var model = Model();
        var images = TestImages.Bordered(Count, 13);
        var one = new int[Count];
        var plain = new int[Count];
        Assert.That(model.Evaluate(images, one, passes: 1), Is.EqualTo(model.Evaluate(images, plain)));
        Assert.That(one, Is.EqualTo(plain));
        Assert.That(one, Is.EqualTo(Forward(model, images, LocationPolicy.Mean).Predictions[..Count].ToArray()));
        Assert.That(EvaluationPasses.Offset(0), Is.EqualTo((0, 0)), "pass 0 is the image as it is");
    }

    /// <summary>Pass 0's softmax rows and the sum of the first <paramref name="passes"/> passes' rows, each pass one full-batch forward.</summary>
    private static (float[] First, double[] Sum) PassOutputs(RamModel model, MnistImages images, int passes)
    {
        float[] first = [];
        var sum = new double[Count * model.Config.Classes];
        for (int k = 0; k < passes; k++)
        {
            var (dx, dy) = EvaluationPasses.Offset(k);
            var network = Forward(model, images, LocationPolicy.MeanOffset(dx, dy));
            if (k == 0) first = network.Probabilities[..sum.Length].ToArray();
            for (int j = 0; j < sum.Length; j++) sum[j] += network.Probabilities[j];
        }
        return (first, sum);
    }

    private static int ArgMax(ReadOnlySpan<double> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    [Test]
    public void When_TheFirstPassIsConfident_Expect_ItsClassAndNoMorePasses()
    {
        // Stop at the median top probability: about half the images keep pass 0's class after one forward pass, the
        // others run all M passes (only they, in a smaller batch) and take the class of the M summed softmax outputs.
        var model = Model();
        var images = TestImages.Bordered(Count, 14);
        const int passes = 4;
        var (first, sum) = PassOutputs(model, images, passes);
        var top = Enumerable.Range(0, Count).Select(i => first.AsSpan(i * 10, 10).ToArray().Max()).ToArray();
        double p = top.Order().ElementAt(Count / 2);
        var expected = new int[Count];
        int stopped = 0, correct = 0;
        for (int i = 0; i < Count; i++)
        {
            bool stop = top[i] >= p;
            if (stop) stopped++;
            expected[i] = ArgMax(stop ? first.AsSpan(i * 10, 10).ToArray().Select(x => (double)x).ToArray() : sum.AsSpan(i * 10, 10));
            if (expected[i] == images.Label(i)) correct++;
        }
        Assert.That(stopped, Is.InRange(1, Count - 1), "the fixture must stop some images and not others");
        var full = new int[Count];
        model.Evaluate(images, full, passes: passes);
        Assert.That(Enumerable.Range(0, Count).Count(i => top[i] >= p && full[i] != expected[i]), Is.GreaterThan(0),
            "some stopped image must keep a class the later passes would change, or the test cannot tell a stop from none");

        var predicted = new int[Count];
        var run = model.EvaluatePasses(images, predicted, passes, p);
        Assert.That(predicted, Is.EqualTo(expected));
        Assert.That(run.Accuracy, Is.EqualTo(correct / (double)Count));
        Assert.That(run.StoppedAfterFirstPass, Is.EqualTo(stopped));
        Assert.That(run.ForwardPasses, Is.EqualTo(Count + (long)(passes - 1) * (Count - stopped)));
        Assert.That(run.MeanPasses, Is.EqualTo((Count + (passes - 1.0) * (Count - stopped)) / Count));
    }

    [Test]
    public void When_TheStopConfidenceIsZeroOrOne_Expect_OnePassOrEveryPass()
    {
        var model = Model();
        var images = TestImages.Bordered(Count, 15);
        var (first, _) = PassOutputs(model, images, 1);
        Assert.That(first.Max(), Is.LessThan(1f), "no softmax row of the fixture may be exactly one");

        var one = new int[Count];
        var stopAll = new int[Count];
        var atZero = model.EvaluatePasses(images, stopAll, 5, 0);
        Assert.That(atZero.Accuracy, Is.EqualTo(model.Evaluate(images, one)));
        Assert.That(stopAll, Is.EqualTo(one), "P = 0 stops every image after the first pass: the ordinary evaluation");
        Assert.That((atZero.StoppedAfterFirstPass, atZero.MeanPasses), Is.EqualTo((Count, 1.0)));

        var every = new int[Count];
        var all = new int[Count];
        var atOne = model.EvaluatePasses(images, every, 5, 1);
        Assert.That(atOne.Accuracy, Is.EqualTo(model.Evaluate(images, all, passes: 5)));
        Assert.That(every, Is.EqualTo(all), "P = 1 stops no image: every pass runs");
        Assert.That((atOne.StoppedAfterFirstPass, atOne.MeanPasses), Is.EqualTo((0, 5.0)));
        var none = model.EvaluatePasses(images, Span<int>.Empty, 5, null);
        Assert.That((none.StoppedAfterFirstPass, none.ForwardPasses), Is.EqualTo((0, 5L * Count)));
    }

    [TestCase(1.5, 5, "from 0 to 1")]
    [TestCase(-0.1, 5, "from 0 to 1")]
    [TestCase(double.NaN, 5, "from 0 to 1")]
    [TestCase(0.9, 1, "passes M > 1")]
    public void When_TheStopConfidenceIsBad_Expect_BadInputNamingIt(double p, int passes, string says)
    {
        var e = Assert.Throws<BadInputException>(() => RamModel.CheckStopConfidence(p, passes))!;
        Assert.That(e.Message, Does.Contain("stop_confidence was").And.Contain(says));
        Assert.DoesNotThrow(() => RamModel.CheckStopConfidence(null, 1));
    }

    [TestCase(0)]
    [TestCase(14)]
    [TestCase(-1)]
    public void When_PassesAreOutOfRange_Expect_BadInputNamingTheRange(int passes)
    {
        var e = Assert.Throws<BadInputException>(() => RamModel.CheckPasses(passes))!;
        Assert.That(e.Message, Does.Contain($"passes was {passes}").And.Contain("from 1 to 13"));
    }

    [Test]
    public void When_TheScheduleIsRead_Expect_DistinctOffsetsWithinTwoPixels()
    {
        var offsets = Enumerable.Range(0, EvaluationPasses.Max).Select(EvaluationPasses.Offset).ToArray();
        Assert.That(offsets.Distinct().Count(), Is.EqualTo(offsets.Length));
        Assert.That(offsets.All(o => Math.Abs(o.X) + Math.Abs(o.Y) <= 2));
        Assert.That(offsets[1..5], Is.EquivalentTo(new[] { (1, 0), (-1, 0), (0, 1), (0, -1) }), "passes 2-5 are the four 1-pixel neighbours");
    }
}

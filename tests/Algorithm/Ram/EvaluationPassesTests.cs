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

using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Ram;

[TestFixture]
public sealed class RamTrainerTests
{
    /// <summary>The MBI configuration with three classes, on synthetic 28x28 bar images (no MNIST needed).</summary>
    private static readonly RamConfig SmallMbi = RamConfig.Mbi with { Classes = 3, GlimpseHidden = 32, LocationHidden = 16, GlimpseFeatures = 48, Hidden = 32 };

    private static MnistImages Bars(int count) => RamGradientTests.Synthetic(count, 28, 21);

    [TestCase(true)]
    [TestCase(false)]
    public void When_TwentyStepsOnOneBatch_Expect_CrossEntropyLower(bool quantized)
    {
        var config = quantized ? SmallMbi : SmallMbi with { HiddenBits = 0, PatchBits = 0, LocationLevels = 0 };
        var images = Bars(32);
        int[] batch = Enumerable.Range(0, 32).ToArray();
        var trainer = new RamTrainer(RamModel.Initialize(config, 3), new TrainingOptions { BatchSize = 32, LearningRate = 3e-3f, Seed = 3 });
        double first = trainer.Step(images, batch, 0, 3e-3f).CrossEntropy;
        double last = first;
        for (int step = 1; step < 20; step++) last = trainer.Step(images, batch, step * 32, 3e-3f).CrossEntropy;
        // ln 3 = 1.10 at chance; twenty Adam steps on one batch of three separable classes must cut it clearly.
        Assert.That(last, Is.LessThan(0.7 * first), $"cross-entropy {first:F3} -> {last:F3}");
    }

    [Test]
    public void When_TrainedTwiceWithOneSeed_Expect_SameModelBytes()
    {
        var (train, validation) = (Bars(96), Bars(30));
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 42 };
        byte[] first = new RamTrainer(RamModel.Initialize(SmallMbi, 42), options).Train(train, validation, null).Model.ToBytes();
        byte[] second = new RamTrainer(RamModel.Initialize(SmallMbi, 42), options).Train(train, validation, null).Model.ToBytes();
        byte[] other = new RamTrainer(RamModel.Initialize(SmallMbi, 43), options with { Seed = 43 }).Train(train, validation, null).Model.ToBytes();
        Assert.That(second, Is.EqualTo(first), "blocks run in parallel, but gradients are summed in a fixed order");
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void When_WeightsBecomeNonFinite_Expect_TrainingStopsNamingTheLearningRateAndNoModelKept()
    {
        // A diverged run, made certain: one weight is already NaN, and Adam spreads it through its layer in one step.
        var start = RamModel.Initialize(SmallMbi, 42);
        start.Parameters[0] = float.NaN;
        var kept = new List<RamModel>();
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 0.99f, Seed = 42 };
        var e = Assert.Throws<BadInputException>(() => new RamTrainer(start, options).Train(Bars(32), Bars(16), null, (best, _) => kept.Add(best)));
        Assert.That(e!.Parameter, Is.EqualTo("learning_rate"), "the CLI shows it as --lr");
        Assert.That(e.Message, Does.StartWith("learning_rate was 0.99").And.Contain("after epoch 1").And.Contain("weights were NaN or infinite"));
        Assert.That(kept, Is.Empty, "no diverged model is offered as the best one");
    }

    [Test]
    public void When_TrainingOptionIsOutOfRange_Expect_BadInputNamingIt()
    {
        var e = Assert.Throws<BadInputException>(() => new TrainingOptions { Epochs = 0 }.Validated());
        Assert.That(e!.Message, Does.Contain("epochs was 0").And.Contain("between 1 and 10000"));
        e = Assert.Throws<BadInputException>(() => (RamConfig.Reference with { Hidden = 0 }).Validated());
        Assert.That(e!.Message, Does.Contain("hidden was 0"));
        e = Assert.Throws<BadInputException>(() => (RamConfig.Mbi with { PatchBits = 9 }).Validated());
        Assert.That(e!.Message, Does.Contain("patch_bits was 9"));
    }
}

using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;
using Mbi.Core.Randomness;
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

    /// <summary>The model bytes a training of <paramref name="config"/> from initial seed <paramref name="initSeed"/> ends with.</summary>
    private static byte[] TrainedBytes(RamConfig config, ulong initSeed, TrainingOptions options, MnistImages train, MnistImages validation) =>
        new RamTrainer(RamModel.Initialize(config, initSeed), options).Train(train, validation, null).Model.ToBytes();

    [Test]
    public void When_TrainedTwiceWithOneSeed_Expect_SameModelBytes()
    {
        var (train, validation) = (Bars(96), Bars(30));
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 42 };
        byte[] first = TrainedBytes(SmallMbi, 42, options, train, validation);
        byte[] second = TrainedBytes(SmallMbi, 42, options, train, validation);
        byte[] other = TrainedBytes(SmallMbi, 43, options with { Seed = 43 }, train, validation);
        Assert.That(second, Is.EqualTo(first), "blocks run in parallel, but gradients are summed in a fixed order");
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void When_TrainedTwiceWithOneSeedWithClassifierLayerAndShifts_Expect_SameModelBytes()
    {
        // The shipped wide model's recipe in small: a hidden classifier layer on the pre-activation, shift augmentation.
        var config = SmallMbi with { HeadHidden = 24, HeadInput = HeadInput.PreActivation };
        var (train, validation) = (Bars(96), Bars(30));
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 42, AugmentShift = 2 };
        byte[] first = TrainedBytes(config, 42, options, train, validation);
        byte[] second = TrainedBytes(config, 42, options, train, validation);
        byte[] unshifted = TrainedBytes(config, 42, options with { AugmentShift = 0 }, train, validation);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(unshifted, Is.Not.EqualTo(first), "the shifts must change the training");
    }

    [Test]
    public void When_TrainedTwiceWithRotationAndScaling_Expect_SameModelBytesAndTheWarpToMatter()
    {
        var (train, validation) = (Bars(96), Bars(30));
        var plain = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 42, AugmentShift = 1 };
        var warped = plain with { AugmentRotate = 12f, AugmentScale = 0.1f };
        byte[] first = TrainedBytes(SmallMbi, 42, warped, train, validation);
        byte[] second = TrainedBytes(SmallMbi, 42, warped, train, validation);
        byte[] clean = TrainedBytes(SmallMbi, 42, plain, train, validation);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(clean, Is.Not.EqualTo(first), "the rotation and scaling must change the training");
    }

    [Test]
    public void When_AnImageIsWarped_Expect_IdentityAtZeroAQuarterTurnAsTransposeAndFlipAndTheCentreFixedUnderScaling()
    {
        const int n = 5;
        var source = Enumerable.Range(0, n * n).Select(i => (float)(i * i % 17)).ToArray();
        var destination = new float[n * n];
        AffineWarp.Apply(source, n, 0, 1, destination);
        Assert.That(destination, Is.EqualTo(source).Within(1e-6f));
        AffineWarp.Apply(source, n, Math.PI / 2, 1, destination);
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                Assert.That(destination[r * n + c], Is.EqualTo(source[c * n + (n - 1 - r)]).Within(1e-5f), $"({r}, {c})");
        AffineWarp.Apply(source, n, 0, 2, destination);
        Assert.That(destination[2 * n + 2], Is.EqualTo(source[2 * n + 2]).Within(1e-6f), "the centre pixel stays");
        // scale 2: output pixel (2, 3) reads source (2, 2.5), halfway between two pixels
        Assert.That(destination[2 * n + 3], Is.EqualTo((source[2 * n + 2] + source[2 * n + 3]) / 2).Within(1e-5f));
        AffineWarp.Apply(source, n, 0, 0.5, destination);
        Assert.That(destination[0], Is.EqualTo(0f), "points from outside the frame read zero");
    }

    [Test]
    public void When_TrainedTwiceWithElasticDistortion_Expect_SameModelBytesAndTheDistortionToMatter()
    {
        var (train, validation) = (Bars(96), Bars(30));
        var plain = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 42, AugmentShift = 1, AugmentRotate = 5f };
        var elastic = plain with { AugmentElastic = 20f, ElasticSigma = 4f };
        byte[] first = TrainedBytes(SmallMbi, 42, elastic, train, validation);
        byte[] second = TrainedBytes(SmallMbi, 42, elastic, train, validation);
        byte[] clean = TrainedBytes(SmallMbi, 42, plain, train, validation);
        byte[] smoother = TrainedBytes(SmallMbi, 42, elastic with { ElasticSigma = 6f }, train, validation);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(clean, Is.Not.EqualTo(first), "the distortion must change the training");
        Assert.That(smoother, Is.Not.EqualTo(first), "its sigma must reach the warp");
    }

    [Test]
    public void When_AFieldIsConstant_Expect_IdentityAtZeroAndAOnePixelShiftAtOne()
    {
        const int n = 6;
        var source = Enumerable.Range(0, n * n).Select(i => (float)(i * 7 % 11)).ToArray();
        var destination = new float[n * n];
        var warp = new ElasticWarp(n, 4);
        warp.SetConstant(0f, 0f);
        warp.Apply(source, destination);
        Assert.That(destination, Is.EqualTo(source));
        warp.SetConstant(1f, 0f);
        warp.Apply(source, destination);
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n - 1; c++) Assert.That(destination[r * n + c], Is.EqualTo(source[r * n + c + 1]).Within(1e-6f), $"({r}, {c})");
            Assert.That(destination[r * n + n - 1], Is.EqualTo(0f), "the last column reads outside the frame");
        }
        warp.SetConstant(0f, 0.5f);
        warp.Apply(source, destination);
        Assert.That(destination[2 * n + 3], Is.EqualTo((source[2 * n + 3] + source[3 * n + 3]) / 2).Within(1e-5f), "half a pixel down: bilinear");
    }

    [Test]
    public void When_AFieldIsDrawn_Expect_SeededSmoothAndLinearInAlpha()
    {
        const int n = 28;
        var (a, b) = (new ElasticWarp(n, 4), new ElasticWarp(n, 4));
        ulong stream = SeededRandom.StreamId("ram-augment-elastic");
        a.Draw(new SeededRandom(5, stream, 7), 20);
        b.Draw(new SeededRandom(5, stream, 7), 40);
        for (int i = 0; i < n * n; i++)
        {
            Assert.That(b.Dx[i], Is.EqualTo(2 * a.Dx[i]).Within(1e-5f), "the same draws, twice alpha: twice the field");
            Assert.That(b.Dy[i], Is.EqualTo(2 * a.Dy[i]).Within(1e-5f));
        }
        b.Draw(new SeededRandom(5, stream, 8), 20);
        Assert.That(b.Dx.ToArray(), Is.Not.EqualTo(a.Dx.ToArray()), "another sample, another field");

        // Smoothed white noise of variance 1/3 by a normalised Gaussian of sigma 4: rms 20 x sqrt(1/3) / (sqrt(4 pi) x 4) = 0.81 px per axis
        // away from the frame's edge; neighbouring pixels move nearly together.
        double squares = 0, steps = 0;
        int count = 0;
        for (int r = 12; r < 16; r++)
            for (int c = 12; c < 16; c++)
            {
                squares += a.Dx[r * n + c] * a.Dx[r * n + c] + a.Dy[r * n + c] * a.Dy[r * n + c];
                count += 2;
            }
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n - 1; c++) steps += Math.Abs(a.Dx[r * n + c + 1] - a.Dx[r * n + c]);
        double mean = 0;
        for (int i = 0; i < n * n; i++) mean += Math.Abs(a.Dx[i]);
        Assert.That(Math.Sqrt(squares / count), Is.InRange(0.2, 2.5), "about 0.8 px rms at alpha 20, sigma 4");
        Assert.That(steps / (n * (n - 1)), Is.LessThan(0.25 * mean / (n * n)), "a smooth field: one pixel over, nearly the same displacement");
    }

    [TestCase(-1f, 4f, "augment_elastic was -1")]
    [TestCase(101f, 4f, "augment_elastic was 101")]
    [TestCase(20f, 0.5f, "elastic_sigma was 0.5")]
    [TestCase(20f, 11f, "elastic_sigma was 11")]
    public void When_ElasticDistortionIsOutOfRange_Expect_BadInput(float alpha, float sigma, string starts)
    {
        var e = Assert.Throws<BadInputException>(() => new TrainingOptions { AugmentElastic = alpha, ElasticSigma = sigma }.Validated());
        Assert.That(e!.Message, Does.StartWith(starts));
    }

    [TestCase(50f, 0f, "augment_rotate was 50")]
    [TestCase(-1f, 0f, "augment_rotate was -1")]
    [TestCase(0f, 0.6f, "augment_scale was 0.6")]
    public void When_RotationOrScalingIsOutOfRange_Expect_BadInput(float rotate, float scale, string starts)
    {
        var e = Assert.Throws<BadInputException>(() => new TrainingOptions { AugmentRotate = rotate, AugmentScale = scale }.Validated());
        Assert.That(e!.Message, Does.StartWith(starts));
    }

    /// <summary>
    /// Training noise for the lookups (hidden-bit flips, patch noise, the lookup chain in the loop), the graded REINFORCE reward,
    /// the triangle gate and the stochastic hidden state: seeded, so twice the same bytes, and not a no-op.
    /// </summary>
    [TestCase("hidden flips")]
    [TestCase("patch noise")]
    [TestCase("lookups in the loop")]
    [TestCase("graded reward")]
    [TestCase("triangle gate")]
    [TestCase("stochastic hidden state")]
    public void When_TrainedTwiceWithATrainingOption_Expect_SameModelBytesAndTheOptionToMatter(string option)
    {
        var (train, validation) = (Bars(96), Bars(30));
        var plain = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 42 };
        var options = option switch
        {
            "hidden flips" => plain with { HiddenFlip = 0.1f },
            "patch noise" => plain with { PatchNoise = 0.1f },
            "graded reward" => plain with { Reward = PolicyReward.Probability },
            "triangle gate" => plain with { HiddenGradient = HiddenGradient.Triangle },
            "stochastic hidden state" => plain with { HiddenGradient = HiddenGradient.Stochastic },
            _ => plain with { LookupSubstitution = 0.5f },
        };
        byte[] first = TrainedBytes(SmallMbi, 42, options, train, validation);
        byte[] second = TrainedBytes(SmallMbi, 42, options, train, validation);
        byte[] clean = TrainedBytes(SmallMbi, 42, plain, train, validation);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(clean, Is.Not.EqualTo(first), $"the {option} must change the training");
    }

    [Test]
    public void When_HiddenStateIsDrawn_Expect_OnesAtTheRateOfTheClippedPreActivation()
    {
        // First step's fed bits (the same pre-activations with and without the draw): 256 rows x 32 bits; the drawn bits'
        // mean must be the mean of clip(pre, 0, 1) (standard error below 0.002 for 8,192 draws of variance <= 0.25), and
        // the evaluation (policy mean) keeps the threshold.
        const int rows = 256;
        var network = ForwardOnBars(rows, new LocationPolicy(true, 5, 0, StochasticHidden: true));
        float[] drawn = network.Hidden(0, rows).ToArray();
        float[] pre = network.CorePreActivation(0, rows).ToArray();
        double expected = pre.Average(p => Math.Clamp(p, 0f, 1f));
        Assert.That(drawn.All(b => b is 0f or 1f));
        Assert.That(drawn.Average(), Is.EqualTo(expected).Within(0.01));
        float[] threshold = pre.Select(p => Quantizer.Activate(p, 1, out _)).ToArray();
        int disagree = drawn.Where((b, j) => b != threshold[j]).Count();
        Assert.That(disagree, Is.GreaterThan(rows), "the draw must differ from the threshold somewhere");
        Assert.That(ForwardOnBars(rows, LocationPolicy.Mean).Hidden(0, rows).ToArray(), Is.EqualTo(threshold), "evaluation thresholds");
    }

    /// <summary>A network of SmallMbi (initial seed 3) after one forward pass of <paramref name="policy"/> over <paramref name="rows"/> synthetic bar images.</summary>
    private static RamNetwork ForwardOnBars(int rows, LocationPolicy policy)
    {
        var network = new RamNetwork(SmallMbi, rows);
        network.Forward(RamModel.Initialize(SmallMbi, 3).Parameters, RamGradientTests.Synthetic(rows, 28, 9), Enumerable.Range(0, rows).ToArray(), policy);
        return network;
    }

    [Test]
    public void When_PatchNoiseIsOn_Expect_ElementsMovedOneLevelAtTheAskedRate()
    {
        // First glimpse (same location with and without noise): 128 rows x 32 elements = 4,096 draws at p = 0.2; the moved
        // fraction's standard error is 0.0063, so 0.2 +- 0.03 is almost 5 of them.
        const int rows = 128;
        var a = ForwardOnBars(rows, new LocationPolicy(true, 5, 0)).Patches(0, rows);
        var b = ForwardOnBars(rows, new LocationPolicy(true, 5, 0, PatchNoise: 0.2f)).Patches(0, rows);
        int moved = 0;
        float step = Quantizer.Value(1, SmallMbi.PatchBits);
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i]) continue;
            moved++;
            Assert.That(MathF.Abs(a[i] - b[i]), Is.EqualTo(step).Within(1e-6f), $"element {i} moved more than one level");
            Assert.That(b[i], Is.InRange(0f, 1f));
        }
        Assert.That(moved / (double)a.Length, Is.EqualTo(0.2).Within(0.03));
        Assert.That(ForwardOnBars(rows, new LocationPolicy(true, 5, 0, PatchNoise: 0.2f)).Patches(0, rows).ToArray(), Is.EqualTo(b.ToArray()), "same seed, same noise");
        Assert.That(ForwardOnBars(rows, LocationPolicy.Mean with { PatchNoise = 0.2f }).Patches(0, rows).ToArray(), Is.EqualTo(a.ToArray()),
            "evaluation (no sampling) never adds noise");
    }

    [Test]
    public void When_EveryGlimpseGoesByALookup_Expect_EachFedHiddenStateAStoredValueAndTheLastStepOnAStoredKey()
    {
        const int rows = 24;
        var model = RamModel.Initialize(SmallMbi, 3);
        var images = RamGradientTests.Synthetic(rows, 28, 9);
        int[] indices = Enumerable.Range(0, rows).ToArray();
        var lookups = LookupSubstitution.FromSnapshot(model, images, 1f, 7);
        Assert.That(lookups.StoredKeys, Is.GreaterThan(rows), "both halves' distinct keys");
        var network = new RamNetwork(SmallMbi, rows);
        network.Forward(model.Parameters, images, indices, new LocationPolicy(true, 5, 0, Lookups: lookups));
        int h = SmallMbi.Hidden;
        for (int t = 0; t < SmallMbi.Glimpses - 1; t++)
        {
            var hidden = network.Hidden(t, rows);
            for (int i = 0; i < rows; i++)
                Assert.That(lookups.IsStoredNextHidden(hidden.Slice(i * h, h)), Is.True, $"glimpse {t + 1}, row {i}");
        }
        // The last glimpse runs the network on the nearest stored key's inputs (MBI answers with that key's class).
        int last = SmallMbi.Glimpses - 1, p = SmallMbi.PatchElements;
        var patches = network.Patches(last, rows);
        var locations = network.Locations(last, rows);
        var fed = network.LastPrevious(rows);
        for (int i = 0; i < rows; i++)
            Assert.That(lookups.IsStoredKey(patches.Slice(i * p, p), fed.Slice(i * h, h), locations[2 * i], locations[2 * i + 1]), Is.True, $"last glimpse, row {i}");
        var clean = new RamNetwork(SmallMbi, rows);
        clean.Forward(model.Parameters, images, indices, new LocationPolicy(true, 5, 0));
        Assert.That(network.Hidden(0, rows).ToArray(), Is.Not.EqualTo(clean.Hidden(0, rows).ToArray()),
            "an image never finds its own keys (the other half's table), so the first state differs from the network's");
    }

    /// <summary>Each training noise is refused on a configuration it cannot apply to, and out of its range.</summary>
    [TestCase("hidden flips", "hidden_flip was 0.1", "1 bit", "in [0, 0.5]")]
    [TestCase("patch noise", "patch_noise was 0.1", "quantized", "in [0, 0.5]")]
    [TestCase("lookups in the loop", "lookup_substitution was 0.5", "MBI configuration", "in [0, 1]")]
    public void When_LookupNoiseIsAskedOfAConfigurationItCannotTakeOrOutOfRange_Expect_BadInput(string noise, string starts, string names, string range)
    {
        var plain = new TrainingOptions { Epochs = 1, BatchSize = 16 };
        var (options, unfit, outOfRange) = noise switch
        {
            "hidden flips" => (plain with { HiddenFlip = 0.1f }, SmallMbi with { HiddenBits = 2 }, plain with { HiddenFlip = 0.7f }),
            "patch noise" => (plain with { PatchNoise = 0.1f }, SmallMbi with { PatchBits = 0 }, plain with { PatchNoise = 0.6f }),
            _ => (plain with { LookupSubstitution = 0.5f }, SmallMbi with { HiddenBits = 0 }, plain with { LookupSubstitution = 1.5f }),
        };
        var e = Assert.Throws<BadInputException>(() => new RamTrainer(RamModel.Initialize(unfit, 1), options));
        Assert.That(e!.Message, Does.StartWith(starts).And.Contain(names));
        e = Assert.Throws<BadInputException>(() => outOfRange.Validated());
        Assert.That(e!.Message, Does.Contain(range));
    }

    [Test]
    public void When_AnEnsembleTeaches_Expect_TheMeanOfItsMembersSoftenedDistributions()
    {
        var images = Bars(40);
        var a = RamModel.Initialize(SmallMbi, 7);
        var b = RamModel.Initialize(SmallMbi with { HiddenBits = 0, PatchBits = 0, LocationLevels = 0 }, 8);
        var (ta, tb) = (SoftTargets.FromTeacher(a, images, 2f), SoftTargets.FromTeacher(b, images, 2f));
        var both = SoftTargets.FromTeachers([a, b], images, 2f);
        Assert.That(both.Temperature, Is.EqualTo(2f));
        for (int i = 0; i < images.Count; i++)
            for (int c = 0; c < SmallMbi.Classes; c++)
                Assert.That(both.Of(i)[c], Is.EqualTo((ta.Of(i)[c] + tb.Of(i)[c]) / 2).Within(1e-6f), $"image {i}, class {c}");
        Assert.That(SoftTargets.FromTeachers([a], images, 2f).Of(3).ToArray(), Is.EqualTo(ta.Of(3).ToArray()), "one teacher: its own distribution");
    }

    [Test]
    public void When_ATeacherReadsEachImageInPasses_Expect_TheMeanOfItsDistributionsOnTheTranslatedImages()
    {
        // `train --teacher-passes 3`: the teacher's target is the mean of its softened distributions on the image and on the
        // image read 1 pixel to either side (pass k's sensor offset equals the plain sensor on the translated image).
        var images = Mbi.Tests.TestImages.Bordered(30, 5);
        var teacher = RamModel.Initialize(SmallMbi, 9);
        var passes = SoftTargets.FromTeachers([teacher], images, 2f, passes: 3);
        var views = Enumerable.Range(0, 3).Select(k =>
        {
            var (dx, dy) = EvaluationPasses.Offset(k);
            return SoftTargets.FromTeacher(teacher, Mbi.Tests.TestImages.Translated(images, dx, dy), 2f);
        }).ToArray();
        int differ = 0;
        for (int i = 0; i < images.Count; i++)
            for (int c = 0; c < SmallMbi.Classes; c++)
            {
                Assert.That(passes.Of(i)[c], Is.EqualTo(views.Average(v => v.Of(i)[c])).Within(1e-6f), $"image {i}, class {c}");
                if (MathF.Abs(views[1].Of(i)[c] - views[0].Of(i)[c]) > 1e-4f) differ++;
            }
        Assert.That(differ, Is.GreaterThan(0), "a pass must change what the teacher says");
        Assert.That(SoftTargets.FromTeachers([teacher], images, 2f, passes: 1).Of(4).ToArray(), Is.EqualTo(views[0].Of(4).ToArray()), "one pass: the plain target");
        Assert.Throws<BadInputException>(() => SoftTargets.FromTeachers([teacher], images, 2f, passes: 14));
    }

    [Test]
    public void When_TrainedTwiceWithOneSeedAndATeacher_Expect_SameModelBytesAndTheTeacherToMatter()
    {
        // The teacher is a second small RAM; its soft targets are computed on both cores, row by row, so they are fixed too.
        var (train, validation) = (Bars(96), Bars(30));
        var teacher = RamModel.Initialize(SmallMbi with { HiddenBits = 0, PatchBits = 0, LocationLevels = 0 }, 7);
        var targets = SoftTargets.FromTeacher(teacher, train, 4f);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 42, DistillWeight = 0.7f };
        byte[] first = new RamTrainer(RamModel.Initialize(SmallMbi, 42), options, targets).Train(train, validation, null).Model.ToBytes();
        byte[] second = new RamTrainer(RamModel.Initialize(SmallMbi, 42), options, SoftTargets.FromTeacher(teacher, train, 4f))
            .Train(train, validation, null).Model.ToBytes();
        byte[] labelsOnly = TrainedBytes(SmallMbi, 42, options with { DistillWeight = 0f }, train, validation);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(labelsOnly, Is.Not.EqualTo(first));
    }

    [Test]
    public void When_DistillWeightHasNoTeacherOrTargetsMissTheSplit_Expect_BadInput()
    {
        var options = new TrainingOptions { Epochs = 1, BatchSize = 16, DistillWeight = 0.5f };
        var e = Assert.Throws<BadInputException>(() => new RamTrainer(RamModel.Initialize(SmallMbi, 1), options));
        Assert.That(e!.Message, Does.StartWith("distill_weight was 0.5").And.Contain("no teacher"));
        e = Assert.Throws<BadInputException>(() => (options with { DistillWeight = 1.5f }).Validated());
        Assert.That(e!.Message, Does.Contain("distill_weight was 1.5").And.Contain("in [0, 1]"));
        var targets = SoftTargets.FromTeacher(RamModel.Initialize(SmallMbi, 2), Bars(20), 4f);
        e = Assert.Throws<BadInputException>(() => new RamTrainer(RamModel.Initialize(SmallMbi, 1), options, targets).Train(Bars(32), Bars(16), null));
        Assert.That(e!.Message, Does.Contain("cover 20 images").And.Contain("has 32"));
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
    [Test]
    public void When_WeightsAreAveraged_Expect_TheDebiasedMovingAverageOfTheRawWeightsAndTheRawTrajectoryUnchanged()
    {
        const float d = 0.9f;
        var images = Bars(32);
        int[] batch = Enumerable.Range(0, 32).ToArray();
        var options = new TrainingOptions { BatchSize = 32, LearningRate = 3e-3f, Seed = 3 };
        var averaging = new RamTrainer(RamModel.Initialize(SmallMbi, 3), options with { WeightAverage = d });
        var plain = new RamTrainer(RamModel.Initialize(SmallMbi, 3), options);
        Assert.That(plain.AveragedParameters(), Is.Null, "off by default");
        Assert.That(averaging.AveragedParameters(), Is.EqualTo(averaging.Model.Parameters), "before any step: the raw weights");
        var snapshots = new List<float[]>();
        for (int step = 0; step < 3; step++)
        {
            averaging.Step(images, batch, step * 32, 3e-3f);
            plain.Step(images, batch, step * 32, 3e-3f);
            snapshots.Add((float[])averaging.Model.Parameters.Clone());
        }
        Assert.That(averaging.Model.Parameters, Is.EqualTo(plain.Model.Parameters), "Adam steps the raw weights, averaged or not");
        // a_3 / (1 - d^3) with a_n = d a_(n-1) + (1 - d) w_n: weights (1 - d) d^2, (1 - d) d, (1 - d) over w_1, w_2, w_3.
        double norm = 1 - Math.Pow(d, 3);
        float[] averaged = averaging.AveragedParameters()!;
        double worst = 0; int moved = 0;
        for (int i = 0; i < averaged.Length; i++)
        {
            double expected = ((1 - d) * d * d * snapshots[0][i] + (1 - d) * d * snapshots[1][i] + (1 - d) * snapshots[2][i]) / norm;
            worst = Math.Max(worst, Math.Abs(averaged[i] - expected));
            if (averaged[i] != snapshots[2][i]) moved++;
        }
        Assert.That(worst, Is.LessThan(1e-6), "the average is the debiased exponential moving average of the raw weights");
        Assert.That(moved, Is.GreaterThan(averaged.Length / 2), "and not the last weights themselves");
    }

    [Test]
    public void When_TrainedWithWeightAveraging_Expect_SameBytesTwiceTheAverageKeptAndBothAccuraciesRecorded()
    {
        var (train, validation) = (Bars(96), Bars(30));
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 42, WeightAverage = 0.99f };
        byte[] first = TrainedBytes(SmallMbi, 42, options, train, validation);
        byte[] second = TrainedBytes(SmallMbi, 42, options, train, validation);
        byte[] raw = TrainedBytes(SmallMbi, 42, options with { WeightAverage = 0f }, train, validation);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(raw, Is.Not.EqualTo(first), "the model kept is the average, not the raw weights");
        var result = new RamTrainer(RamModel.Initialize(SmallMbi, 42), options).Train(train, validation, null);
        var best = result.Epochs[result.BestEpoch - 1];
        Assert.That(result.Model.Evaluate(validation), Is.EqualTo(best.ValidationAccuracy), "the validation recorded is the kept average's");
        Assert.That(result.Epochs.All(e => e.RawValidationAccuracy is >= 0 and <= 1));
    }

    [TestCase(-0.1f)]
    [TestCase(1f)]
    public void When_WeightAverageIsOutOfRange_Expect_BadInput(float decay)
    {
        var e = Assert.Throws<BadInputException>(() => new TrainingOptions { WeightAverage = decay }.Validated());
        Assert.That(e!.Message, Does.StartWith($"weight_average was {decay}").And.Contain("[0, 0.99999]"));
    }
}

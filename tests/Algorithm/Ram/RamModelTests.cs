using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Ram;

[TestFixture]
public sealed class RamModelTests
{
    private string _path = "";

    [SetUp]
    public void SetUp() => _path = Path.Combine(Path.GetTempPath(), $"mbi-ram-{Guid.NewGuid():N}.ram");

    [TearDown]
    public void TearDown() { if (File.Exists(_path)) File.Delete(_path); }

    [Test]
    public void When_ModelIsSavedAndLoaded_Expect_SameConfigurationAndWeights()
    {
        var model = RamModel.Initialize(RamConfig.Mbi with { ExtraCoreLayers = 1 }, 9);
        model.Save(_path);
        var loaded = RamModel.Load(_path);
        Assert.That(loaded.Config, Is.EqualTo(model.Config));
        Assert.That(loaded.Parameters, Is.EqualTo(model.Parameters));
    }

    [Test]
    public void When_ModelWithClassifierHiddenLayerIsSavedAndLoaded_Expect_FormatVersion2AndSameModel()
    {
        AssertRoundTrip(RamModel.Initialize(RamConfig.Mbi with { HeadHidden = 32, HeadInput = HeadInput.PreActivation }, 9), 2u);
    }

    /// <summary>Saves <paramref name="model"/>, checks the file's format version, and loads the same configuration and weights back.</summary>
    private void AssertRoundTrip(RamModel model, uint version)
    {
        model.Save(_path);
        Assert.That(BitConverter.ToUInt32(File.ReadAllBytes(_path), 8), Is.EqualTo(version));
        var loaded = RamModel.Load(_path);
        Assert.That(loaded.Config, Is.EqualTo(model.Config));
        Assert.That(loaded.Parameters, Is.EqualTo(model.Parameters));
    }

    [Test]
    public void When_ModelWithAWideCoreIsSavedAndLoaded_Expect_FormatVersion3AndSameModel()
    {
        var model = RamModel.Initialize(RamConfig.Mbi with { ExtraCoreLayers = 1, CoreWidth = 96, HeadHidden = 32, HeadInput = HeadInput.PreActivation }, 9);
        Assert.That(model.Layout.U.Cols, Is.EqualTo(96));
        Assert.That(model.Layout.Extra[0].Rows, Is.EqualTo(96));
        Assert.That(model.Layout.Extra[0].Cols, Is.EqualTo(64));
        AssertRoundTrip(model, 3u);
        AssertRoundTrip(RamModel.Initialize(RamConfig.Mbi with { ExtraCoreLayers = 1, CoreWidth = 96, HeadHidden = 32, HeadInput = HeadInput.CoreFeatures }, 9), 3u);
    }

    [Test]
    public void When_ModelWithAPooledFirstPatchIsSavedAndLoaded_Expect_FormatVersion4AndSameModel()
    {
        var pooled = RamModel.Initialize(RamConfig.Mbi with { PatchPool = 2, HeadHidden = 32, HeadInput = HeadInput.PreActivation }, 9);
        Assert.That(pooled.Parameters.Length, Is.EqualTo(RamModel.Initialize(RamConfig.Mbi with { HeadHidden = 32, HeadInput = HeadInput.PreActivation }, 9).Parameters.Length),
            "pooling changes no weight's shape: the patch has the same elements");
        AssertRoundTrip(pooled, 4u);
        AssertRoundTrip(RamModel.Initialize(RamConfig.Mbi with { PatchPool = 2 }, 9), 4u);
        Assert.That(pooled.Config.ToKeySpec().PatchPool, Is.EqualTo(2));
        Assert.That(pooled.Config.Describe(), Does.Contain("first patch 8 pixels wide"));
    }

    [Test]
    public void When_ModelWithACoarseGainIsSavedAndLoaded_Expect_FormatVersion5AndSameModel_AndGainOneKeepsItsVersion()
    {
        var gained = RamModel.Initialize(RamConfig.Mbi with { PatchPool = 2, CoarseGain = 2, HeadHidden = 32, HeadInput = HeadInput.PreActivation }, 9);
        AssertRoundTrip(gained, 5u);
        AssertRoundTrip(RamModel.Initialize(RamConfig.Mbi with { CoarseGain = 3 }, 9), 5u);
        AssertRoundTrip(RamModel.Initialize(RamConfig.Mbi with { PatchPool = 2, CoarseGain = 1 }, 9), 4u);
        Assert.That(gained.Config.ToKeySpec().CoarseGain, Is.EqualTo(2));
        Assert.That(gained.Config.Describe(), Does.Contain("coarse gain 2"));
        var e = Assert.Throws<BadInputException>(() => (RamConfig.Mbi with { CoarseGain = 0 }).Validated())!;
        Assert.That(e.Message, Does.Contain("coarse_gain was 0"));
    }

    [TestCase(0)]
    [TestCase(9)]
    public void When_PatchPoolIsOutOfRange_Expect_BadInputNamingIt(int pool)
    {
        var e = Assert.Throws<BadInputException>(() => (RamConfig.Mbi with { PatchPool = pool }).Validated())!;
        Assert.That(e.Message, Does.Contain($"patch_pool was {pool}"));
    }

    [Test]
    public void When_CoreWidthIsGivenWithoutAnExtraLayer_Expect_BadInputNamingTheFix()
    {
        var e = Assert.Throws<BadInputException>(() => (RamConfig.Mbi with { CoreWidth = 512 }).Validated())!;
        Assert.That(e.Message, Does.Contain("core_width was 512").And.Contain("--extra-core-layers 1"));
    }

    [Test]
    public void When_CoreIsWidened_Expect_EveryHiddenBitLocationAndLogitUnchanged()
    {
        // A trained-looking 1-bit model (weights scaled up so hidden bits sit on both sides of the threshold), widened:
        // the new layer computes ReLU(p) - ReLU(-p) = p, so the state, the policy and the logits must be bit for bit the same.
        var config = RamConfig.Mbi with { HeadHidden = 16, HeadInput = HeadInput.PreActivation, GlimpseHidden = 32, LocationHidden = 16, GlimpseFeatures = 48 };
        var model = RamModel.Initialize(config, 3);
        var rng = new Core.Randomness.SeededRandom(4, 0, 0);
        for (int i = 0; i < model.Parameters.Length; i++) model.Parameters[i] += (float)(rng.NextDouble() - 0.5) * 0.4f;
        var wide = model.WithWiderCore(200, 7);
        Assert.That(wide.Config.ExtraCoreLayers, Is.EqualTo(1));
        Assert.That(wide.Config.CoreWidth, Is.EqualTo(200));
        Assert.That(wide.Config.ToKeySpec(), Is.EqualTo(config.ToKeySpec()), "widening adds no key bit");

        var (a, b) = ForwardBoth(model, wide);
        int ones = 0;
        for (int t = 0; t < config.Glimpses; t++)
        {
            Assert.That(b.Hidden(t, 12).ToArray(), Is.EqualTo(a.Hidden(t, 12).ToArray()), $"h_{t}");
            Assert.That(b.Locations(t, 12).ToArray(), Is.EqualTo(a.Locations(t, 12).ToArray()), $"l_{t}");
            foreach (float bit in a.Hidden(t, 12)) if (bit > 0.5f) ones++;
        }
        Assert.That(ones, Is.InRange(1, config.Glimpses * 12 * config.Hidden - 1), "the fixture must have bits of both values");
        Assert.That(b.Logits.ToArray(), Is.EqualTo(a.Logits.ToArray()));
        Assert.That(new RamNetwork(wide.Config, 12).Layout.Count, Is.EqualTo(wide.Parameters.Length));
    }

    /// <summary>Both models' forward pass (mean policy) on the same 12 synthetic 28 x 28 images.</summary>
    private static (RamNetwork Before, RamNetwork After) ForwardBoth(RamModel before, RamModel after)
    {
        var images = RamGradientTests.Synthetic(12, 28, 5);
        int[] indices = Enumerable.Range(0, 12).ToArray();
        var a = new RamNetwork(before.Config, 12);
        var b = new RamNetwork(after.Config, 12);
        a.Forward(before.Parameters, images, indices, LocationPolicy.Mean);
        b.Forward(after.Parameters, images, indices, LocationPolicy.Mean);
        return (a, b);
    }

    [TestCase(16)]
    [TestCase(0)]
    public void When_HeadIsMovedOntoTheCore_Expect_TheSameLogitsToRounding(int headHidden)
    {
        var config = RamConfig.Mbi with { HeadHidden = headHidden, HeadInput = HeadInput.PreActivation, GlimpseHidden = 32, LocationHidden = 16, GlimpseFeatures = 48 };
        var model = RamModel.Initialize(config, 3);
        var rng = new Core.Randomness.SeededRandom(4, 0, 0);
        for (int i = 0; i < model.Parameters.Length; i++) model.Parameters[i] += (float)(rng.NextDouble() - 0.5) * 0.4f;
        var wide = model.WithWiderCore(200, 7);
        // Training moves E and be away from [I; -I] and 0: perturb them so the fold is tested on a general layer.
        foreach (var slice in new[] { wide.Layout.Extra[0], wide.Layout.ExtraBias[0] })
        {
            Span<float> values = slice.Of(wide.Parameters);
            for (int i = 0; i < values.Length; i++) values[i] += (float)(rng.NextDouble() - 0.5) * 0.1f;
        }
        var moved = wide.WithHeadOnCoreFeatures();
        Assert.That(moved.Config.HeadInput, Is.EqualTo(HeadInput.CoreFeatures));
        Assert.That((headHidden > 0 ? moved.Layout.WK : moved.Layout.WC).Rows, Is.EqualTo(200));

        var (a, b) = ForwardBoth(wide, moved);
        float[] za = a.Logits.ToArray(), zb = b.Logits.ToArray();
        double scale = za.Max(Math.Abs);
        Assert.That(scale, Is.GreaterThan(0.1), "the fixture's logits must not all be zero");
        for (int i = 0; i < za.Length; i++) Assert.That(zb[i], Is.EqualTo(za[i]).Within(1e-4 * scale), $"logit {i}");
        Assert.That(b.Predictions.ToArray(), Is.EqualTo(a.Predictions.ToArray()));
        Assert.That(Assert.Throws<BadInputException>(() => model.WithHeadOnCoreFeatures())!.Message, Does.Contain("--widen-core"));
    }

    [Test]
    public void When_CoreIsWidenedTwiceWithOneSeed_Expect_TheSameBytes()
    {
        // The new units' input weights come from the seed's own stream: same seed, same file; another seed moves only them.
        var model = RamModel.Initialize(RamConfig.Mbi with { HeadHidden = 16, HeadInput = HeadInput.PreActivation }, 3);
        byte[] once = model.WithWiderCore(256, 5).ToBytes(), again = model.WithWiderCore(256, 5).ToBytes();
        Assert.That(again, Is.EqualTo(once));
        var other = model.WithWiderCore(256, 6);
        var first = model.WithWiderCore(256, 5);
        Assert.That(other.Layout.U.Of(other.Parameters).ToArray(), Is.Not.EqualTo(first.Layout.U.Of(first.Parameters).ToArray()));
        Assert.That(other.Layout.Extra[0].Of(other.Parameters).ToArray(), Is.EqualTo(first.Layout.Extra[0].Of(first.Parameters).ToArray()));
    }

    [Test]
    public void When_WideningIsAskedTwiceOrTooNarrow_Expect_BadInput()
    {
        var model = RamModel.Initialize(RamConfig.Mbi, 3);
        Assert.That(Assert.Throws<BadInputException>(() => model.WithWiderCore(100, 1))!.Message, Does.Contain("widen_core was 100").And.Contain("128"));
        var wide = model.WithWiderCore(128, 1);
        Assert.That(Assert.Throws<BadInputException>(() => wide.WithWiderCore(256, 1))!.Message, Does.Contain("already has 1 extra core layer"));
    }

    [Test]
    public void When_ModelHasThePapersClassifier_Expect_FormatVersion1AsEveryEarlierMbiWrote()
    {
        RamModel.Initialize(RamConfig.Mbi, 9).Save(_path);
        Assert.That(BitConverter.ToUInt32(File.ReadAllBytes(_path), 8), Is.EqualTo(1u));
        Assert.That(File.ReadAllBytes(_path).Length, Is.EqualTo(ChecksummedFile.HeaderBytes + 4 * 14 + 8 + 4 * RamModel.Initialize(RamConfig.Mbi, 9).Parameters.Length));
    }

    [Test]
    public void When_OneByteIsFlipped_Expect_ChecksumError()
    {
        RamModel.Initialize(RamConfig.Mbi, 9).Save(_path);
        byte[] bytes = File.ReadAllBytes(_path);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(_path, bytes);
        var e = Assert.Throws<FileFormatException>(() => RamModel.Load(_path));
        Assert.That(e!.Message, Does.Contain("checksum mismatch").And.Contain("mbi train"));
    }

    [Test]
    public void When_FileIsAnotherFormat_Expect_MagicError()
    {
        ChecksummedFile.Write(_path, "MBI_LUT_", 1, new byte[16]);
        var e = Assert.Throws<FileFormatException>(() => RamModel.Load(_path));
        Assert.That(e!.Message, Does.Contain("not a RAM model file"));
    }

    [Test]
    public void When_ParameterCountDisagreesWithConfiguration_Expect_MismatchError()
    {
        var model = RamModel.Initialize(RamConfig.Mbi, 9);
        byte[] payload = model.ToBytes();
        ChecksummedFile.Write(_path, RamModel.Magic, model.FormatVersion, payload.AsSpan(0, payload.Length - 8));
        var e = Assert.Throws<FileFormatException>(() => RamModel.Load(_path));
        Assert.That(e!.Message, Does.Contain("parameters").And.Contain("needs"));
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    public void When_WeightsAreNotFinite_Expect_SaveRefusedAndNothingWritten(float bad)
    {
        var model = RamModel.Initialize(RamConfig.Mbi, 9);
        model.Parameters[7] = bad;
        var e = Assert.Throws<MbiException>(() => model.Save(_path));
        Assert.That(e!.Message, Does.Contain("1 of").And.Contain("NaN or infinite").And.Contain("lower learning rate"));
        Assert.That(File.Exists(_path), Is.False);
    }

    [Test]
    public void When_FileHoldsNonFiniteWeights_Expect_LoadRefusedNamingTheCount()
    {
        var model = RamModel.Initialize(RamConfig.Mbi, 9);
        model.Parameters.AsSpan(0, 10).Fill(float.NaN);
        ChecksummedFile.Write(_path, RamModel.Magic, model.FormatVersion, model.ToBytes()); // a valid checksum over bad weights
        var e = Assert.Throws<FileFormatException>(() => RamModel.Load(_path));
        Assert.That(e!.Message, Does.Contain($"10 of {model.Parameters.Length} weights are NaN or infinite"));
    }

    [Test]
    public void When_StoredImageSizeIsNotMnists_Expect_FormatErrorNotACrash()
    {
        var small = new RamConfig
        {
            PatchSize = 3, Scales = 2, ScaleFactor = 2, Glimpses = 3, GlimpseHidden = 7, LocationHidden = 5, GlimpseFeatures = 9,
            Hidden = 6, ExtraCoreLayers = 1, ImageSize = 9, Classes = 3, PolicySigma = 0.2f,
        };
        RamModel.Initialize(small, 9).Save(_path);
        var e = Assert.Throws<FileFormatException>(() => RamModel.Load(_path));
        Assert.That(e!.Message, Does.Contain("9 x 9 images and 3 classes").And.Contain("28 x 28"));
    }

    [Test]
    public void When_FullPrecisionModelIsAskedForKeySpec_Expect_BadInput()
    {
        var e = Assert.Throws<BadInputException>(() => RamConfig.Reference.ToKeySpec());
        Assert.That(e!.Message, Does.Contain("not an MBI model").And.Contain("hidden_bits 1"));
    }

    [Test]
    public void When_MbiPresetIsMapped_Expect_KeyFitsFiveArraysOf32Columns()
    {
        var spec = RamConfig.Mbi.ToKeySpec();
        int patchColumns = spec.PatchElements * spec.PatchBits;
        int locationColumns = 2 * (int)Math.Ceiling(Math.Log2(spec.LocationLevels));
        int arrays = (patchColumns + 31) / 32 + (spec.HiddenBits + 31) / 32 + (locationColumns + 31) / 32;
        Assert.That((patchColumns, spec.HiddenBits, locationColumns), Is.EqualTo((64, 64, 8)));
        Assert.That(arrays, Is.EqualTo(5));
    }
}

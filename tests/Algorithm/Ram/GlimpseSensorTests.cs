using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Ram;

[TestFixture]
public sealed class GlimpseSensorTests
{
    /// <summary>A 6x6 image whose pixel (r, c) is r*6 + c + 1 (so every pixel is distinct and non-zero).</summary>
    private static float[] Ramp(int n = 6)
    {
        var image = new float[n * n];
        for (int i = 0; i < image.Length; i++) image[i] = i + 1;
        return image;
    }

    [TestCase(-1f, 0)]
    [TestCase(0f, 3)]
    [TestCase(0.3f, 3)] // (1.3 / 2) * 6 = 3.9 -> 3
    [TestCase(1f, 5)]   // 6 clamps to the last pixel
    public void When_LocationIsMapped_Expect_CentrePixel(float l, int pixel) =>
        Assert.That(new GlimpseSensor(2, 1, 2, 6).CentrePixel(l), Is.EqualTo(pixel));

    [Test]
    public void When_OneScaleAtCentre_Expect_PixelsAroundCentre()
    {
        // 3-wide patch at centre pixel (3, 3): rows/cols 2..4.
        var patch = new float[9];
        new GlimpseSensor(3, 1, 2, 6).Extract(Ramp(), 0f, 0f, patch);
        Assert.That(patch, Is.EqualTo(new float[] { 15, 16, 17, 21, 22, 23, 27, 28, 29 }));
    }

    [Test]
    public void When_PatchCrossesTopLeftBorder_Expect_ZeroPadding()
    {
        // Centre (0, 0), 3 wide: rows/cols -1..1, the first row and column fall outside.
        var patch = new float[9];
        new GlimpseSensor(3, 1, 2, 6).Extract(Ramp(), -1f, -1f, patch);
        Assert.That(patch, Is.EqualTo(new float[] { 0, 0, 0, 0, 1, 2, 0, 7, 8 }));
    }

    [Test]
    public void When_PatchCrossesBottomRightBorder_Expect_ZeroPadding()
    {
        // Centre (5, 5), 2 wide: rows/cols 4..5, inside; 4 wide second scale: rows/cols 3..6 pooled 2x2.
        var patch = new float[8];
        new GlimpseSensor(2, 2, 2, 6).Extract(Ramp(), 1f, 1f, patch);
        // scale 0: [29 30; 35 36]
        // scale 1 blocks: rows 3-4 x cols 3-4 = (22+23+28+29)/4 = 25.5; rows 3-4 x cols 5-6 = (24+30)/4 = 13.5;
        //                 rows 5-6 x cols 3-4 = (34+35)/4 = 17.25;   rows 5-6 x cols 5-6 = 36/4 = 9.
        Assert.That(patch, Is.EqualTo(new float[] { 29, 30, 35, 36, 25.5f, 13.5f, 17.25f, 9f }));
    }

    [Test]
    public void When_SecondScaleIsPooled_Expect_BlockMeans()
    {
        // x = column at l = 0 -> pixel 3; y = row at l = -1 -> pixel 0. Scale 1: 2 wide rows/cols -1..0 x 2..3.
        var patch = new float[8];
        new GlimpseSensor(1, 2, 2, 6).Extract(Ramp(), 0f, -1f, patch);
        // scale 0: pixel (0, 3) = 4; scale 1 (2 wide, 2x2 pool to 1x1): rows -1..0, cols 2..3 -> (3 + 4) / 4.
        Assert.That(patch[0], Is.EqualTo(4f));
        Assert.That(patch[1], Is.EqualTo(1.75f));
    }

    [Test]
    public void When_ThreeScalesOfFactorThree_Expect_WholeImageMeanAtLast()
    {
        // 1x1 patch, scales 1, 3, 9 wide at centre pixel 4 of a 9-pixel image: the last covers every pixel.
        var image = new float[81];
        for (int i = 0; i < 81; i++) image[i] = i;
        var patch = new float[3];
        new GlimpseSensor(1, 3, 3, 9).Extract(image, 0f, 0f, patch);
        Assert.That(patch[0], Is.EqualTo(40f));
        Assert.That(patch[1], Is.EqualTo((30 + 31 + 32 + 39 + 40 + 41 + 48 + 49 + 50) / 9f).Within(1e-5f));
        Assert.That(patch[2], Is.EqualTo(40f).Within(1e-4f), "mean of 0..80; float sums of 81 terms, 1e-4 relative");
    }

    [Test]
    public void When_FirstPatchIsPooled_Expect_TwiceTheWidthInBlockMeans()
    {
        // 2x2 patch pooled 2: 4 pixels wide at centre pixel (3, 3), rows/cols 1..4, each element a 2x2 block mean.
        var patch = new float[8];
        new GlimpseSensor(2, 2, 2, 6, patchPool: 2).Extract(Ramp(), 0f, 0f, patch);
        Assert.That(patch[..4], Is.EqualTo(new float[] { (8 + 9 + 14 + 15) / 4f, (10 + 11 + 16 + 17) / 4f, (20 + 21 + 26 + 27) / 4f, (22 + 23 + 28 + 29) / 4f }));
        // The second patch is 8 pixels wide (rows/cols -1..6), pooled 4: the top-left block holds rows/cols 0..2 of the image.
        Assert.That(patch[4], Is.EqualTo((1 + 2 + 3 + 7 + 8 + 9 + 13 + 14 + 15) / 16f));
    }

    [Test]
    public void When_PatchPoolIsOne_Expect_ThePapersSensorBitForBit()
    {
        var image = Ramp(28);
        var paper = new float[32];
        var pooledOne = new float[32];
        foreach (float l in new[] { -1f, -0.4f, 0f, 0.7f, 1f })
        {
            new GlimpseSensor(4, 2, 3, 28).Extract(image, l, -l, paper);
            new GlimpseSensor(4, 2, 3, 28, patchPool: 1).Extract(image, l, -l, pooledOne);
            Assert.That(pooledOne, Is.EqualTo(paper));
        }
    }

    [Test]
    public void When_CoarseGainIsTwo_Expect_LaterPatchesDoubledAndClippedToOne_AndTheFirstAsItWas()
    {
        // A ramp scaled by 1/20 (0 .. 1.75). 2x2 patch pooled 2 at centre (3, 3): the first patch as without a gain;
        // the second patch (8 wide, blocks of 4x4) doubled, and a block whose doubled mean passes 1 reads 1.
        var image = Ramp().Select(v => v / 20f).ToArray();
        var plain = new float[8];
        var gained = new float[8];
        new GlimpseSensor(2, 2, 2, 6, patchPool: 2).Extract(image, 0f, 0f, plain);
        new GlimpseSensor(2, 2, 2, 6, patchPool: 2, coarseGain: 2).Extract(image, 0f, 0f, gained);
        Assert.That(gained[..4], Is.EqualTo(plain[..4]));
        Assert.That(gained[4], Is.EqualTo(2 * (1 + 2 + 3 + 7 + 8 + 9 + 13 + 14 + 15) / 16f / 20f).Within(1e-6f));
        for (int i = 4; i < 8; i++)
            Assert.That(gained[i], Is.EqualTo(Math.Min(1f, 2 * plain[i])).Within(1e-6f), $"element {i}");
        Assert.That(plain[7] * 2, Is.GreaterThan(1f), "the test covers the clip: the last block's doubled mean is above 1");
        Assert.That(gained[7], Is.EqualTo(1f));
    }

    [TestCase(0)]
    [TestCase(9)]
    public void When_CoarseGainIsOutOfRange_Expect_BadInputNamingIt(int gain)
    {
        var e = Assert.Throws<BadInputException>(() => new GlimpseSensor(4, 2, 3, 28, 2, gain))!;
        Assert.That(e.Message, Does.Contain($"coarse_gain was {gain}"));
    }

    [TestCase(0)]
    [TestCase(9)]
    public void When_PatchPoolIsOutOfRange_Expect_BadInputNamingIt(int pool)
    {
        var e = Assert.Throws<BadInputException>(() => new GlimpseSensor(4, 2, 3, 28, pool))!;
        Assert.That(e.Message, Does.Contain($"patch_pool was {pool}"));
    }

    [Test]
    public void When_ImageIsShiftedForAugmentation_Expect_PatchOfTranslatedImage()
    {
        // Shifting the image one pixel right and down moves the centre from (3, 3) to (2, 2) in image coordinates.
        var shifted = new float[9];
        var moved = new float[9];
        var sensor = new GlimpseSensor(3, 1, 2, 6);
        sensor.Extract(Ramp(), 0f, 0f, shifted, shiftX: 1, shiftY: 1);
        sensor.Extract(Ramp(), -0.3f, -0.3f, moved); // floor((1 - 0.3) / 2 * 6) = floor(2.1) = 2
        Assert.That(shifted, Is.EqualTo(moved));
        Assert.That(shifted[0], Is.EqualTo(8f), "pixel (1, 1)");
    }

    [TestCase(0f, 2, 0)]
    [TestCase(0.16f, 2, 0)]
    [TestCase(0.17f, 2, 1)]
    [TestCase(0.5f, 2, 2)]  // 1.5 + 0.5 rounds up
    [TestCase(1f, 2, 3)]
    [TestCase(1.7f, 2, 3)]  // clamped
    [TestCase(0.5f, 1, 1)]
    [TestCase(0.49f, 1, 0)]
    public void When_PixelIsQuantized_Expect_NearestLevel(float value, int bits, int level) =>
        Assert.That(Quantizer.Level(value, bits), Is.EqualTo(level));

    [TestCase(-1f, 0)]
    [TestCase(-0.9f, 0)]
    [TestCase(0f, 3)]
    [TestCase(0.2f, 4)]   // (1.2/2) * 6 = 3.6 -> 4
    [TestCase(1.4f, 6)]   // clipped first
    public void When_LocationIsSnapped_Expect_GridIndex(float l, int index)
    {
        var grid = new LocationGrid(7);
        Assert.That(grid.Index(l), Is.EqualTo(index));
        Assert.That(grid.Value(grid.Index(l)), Is.EqualTo(-1f + index / 3f).Within(1e-6f));
    }

    [Test]
    public void When_HiddenIsOneBit_Expect_StepAtHalfAndClippedStraightThroughGate()
    {
        Assert.That(Quantizer.Activate(0.6f, 1, out float gate), Is.EqualTo(1f));
        Assert.That(gate, Is.EqualTo(1f));
        Assert.That(Quantizer.Activate(0.4f, 1, out gate), Is.EqualTo(0f));
        Assert.That(gate, Is.EqualTo(1f));
        Assert.That(Quantizer.Activate(3f, 1, out gate), Is.EqualTo(1f));
        Assert.That(gate, Is.EqualTo(0f), "outside the clipping window the straight-through gradient is cut");
        Assert.That(Quantizer.Activate(-2f, 0, out gate), Is.EqualTo(0f));
        Assert.That(Quantizer.Activate(2.5f, 0, out gate), Is.EqualTo(2.5f), "full precision is plain ReLU");
    }

    [TestCase(0.5f, 2f)] [TestCase(0.25f, 1f)] [TestCase(0.75f, 1f)] [TestCase(0.1f, 0.4f)] [TestCase(0.95f, 0.2f)]
    [TestCase(0f, 0f)] [TestCase(1f, 0f)] [TestCase(-0.3f, 0f)] [TestCase(1.4f, 0f)]
    public void When_TriangleGateIsAsked_Expect_BiRealApproximateSignOnTheBoxWindow(float pre, float expected)
    {
        Assert.That(Quantizer.StraightThrough(pre, 1, triangle: true), Is.EqualTo(expected).Within(1e-6f));
        Quantizer.Activate(pre, 1, out float box);
        Assert.That(Quantizer.StraightThrough(pre, 1, triangle: false), Is.EqualTo(box));
        Assert.That(Quantizer.StraightThrough(pre, 2, triangle: true), Is.EqualTo(Gate(pre, 2)), "multi-bit states keep the box");
        Assert.That(Quantizer.StraightThrough(pre, 0, triangle: true), Is.EqualTo(Gate(pre, 0)), "full precision keeps ReLU's derivative");
    }

    [Test]
    public void When_TriangleGateIsIntegrated_Expect_TheBoxsAreaOfOne()
    {
        const int n = 100_000;
        double area = 0;
        for (int i = 0; i < n; i++) area += Quantizer.StraightThrough((i + 0.5f) / n, 1, triangle: true) / n;
        Assert.That(area, Is.EqualTo(1.0).Within(1e-6));
    }

    private static float Gate(float pre, int bits)
    {
        Quantizer.Activate(pre, bits, out float gate);
        return gate;
    }

    [Test]
    public void When_QuantizedSensorIsBuiltFromSpecAlone_Expect_LevelsOfPooledPatch()
    {
        var spec = new GlimpseKeySpec(patchSize: 3, scales: 1, scaleFactor: 2, patchBits: 2, hiddenBits: 8,
            locationLevels: 7, glimpses: 2, imageSize: 6);
        var sensor = new QuantizedGlimpseSensor(spec);
        float[] image = Ramp();
        for (int i = 0; i < image.Length; i++) image[i] /= 36f;
        var levels = new byte[9];
        sensor.Sense(image, 3, 3, levels); // grid index 3 of 7 = 0.0 -> centre pixel 3
        // pixels 15,16,17,21,22,23,27,28,29 / 36 times 3, rounded.
        Assert.That(levels, Is.EqualTo(new byte[] { 1, 1, 1, 2, 2, 2, 2, 2, 2 }));
    }

    [Test]
    public void When_SensorLocationIsOffGrid_Expect_Exception()
    {
        var spec = new GlimpseKeySpec(3, 1, 2, 2, 8, 7, 2, imageSize: 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedGlimpseSensor(spec).Sense(new float[36], 7, 0, new byte[9]));
    }

    [Test]
    public void When_PatchIsWiderThanImage_Expect_BadInputNamingOption()
    {
        var e = Assert.Throws<BadInputException>(() => new GlimpseSensor(30, 1, 2, 28));
        Assert.That(e!.Message, Does.Contain("patch_size was 30"));
    }
}

using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Circuit.Adc;
using Mbi.CoSim.Energy;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.CoSim.Tests.Energy;

/// <summary>
/// The glimpse sensor's band (<see cref="GlimpseSensorCost"/>, <see cref="LogicEnergyModel.GlimpseSensorPerGlimpseJoules"/>):
/// its counts from the key spec by hand, its price as the hand product of those counts and the accountant's constants, and its
/// place in the dynamic energy per inference. Every expected value is arithmetic on stated figures, so the tolerance is double
/// rounding (1e-9 %).
/// </summary>
[TestFixture]
public sealed class GlimpseSensorTests
{
    private static GlimpseKeySpec Spec(int patchSize = 4, int scales = 2, int scaleFactor = 3, int patchBits = 2, int patchPool = 1) =>
        new(patchSize, scales, scaleFactor, patchBits, hiddenBits: 64, locationLevels: 15, glimpses: 5, patchPool: patchPool);

    // 5 lookups (a vote of 5: 25 value rows read), as one pass of the paper's 5 glimpses
    private static readonly InferenceCounts Counts = new(SplitComparisonsPerImage: 2600, RowsPerImage: 520, StoredRows: 100_000, Splits: 5, Columns: 32,
        RowsPerArray: 32, ValueRows: 90_000, ValueBits: 76, ValueReadsPerImage: 25, Vote: 5, HiddenBits: 64);

    private static EnergyBands Compute(InferenceCounts counts) =>
        EnergyBandCalculator.Compute(EnergyBandsTests.Points(), EnergyConfig.Load(), AdcModel.Spice, 5, 16, counts, 5.27e-9, 27, true, 0);

    // patch, scales, factor, pool -> pixels per glimpse: the sum over scales of (patch x pool x factor^k)^2, each at most 28^2
    [TestCase(4, 2, 3, 1, 4 * 4 + 12 * 12, 16, TestName = "When_UnpooledMbiSpec_Expect_4x4Plus12x12Pixels")]
    [TestCase(4, 2, 3, 2, 8 * 8 + 24 * 24, 16, TestName = "When_PooledMbiSpec_Expect_8x8Plus24x24Pixels")]
    [TestCase(8, 3, 2, 1, 8 * 8 + 16 * 16 + 28 * 28, 16, TestName = "When_PatchWiderThanTheImage_Expect_ItsWindowClippedTo28x28")]
    [TestCase(1, 2, 8, 8, 8 * 8 + 28 * 28, 18, TestName = "When_BlockOf784Pixels_Expect_An18BitAccumulator")]
    public void When_SpecGiven_Expect_PixelsElementsComparesAndAccumulatorByHand(int patchSize, int scales, int scaleFactor, int pool, int pixels, int accumulatorBits)
    {
        var sensor = GlimpseSensorCost.Of(Spec(patchSize, scales, scaleFactor, patchPool: pool));
        Assert.That(sensor.Pixels, Is.EqualTo(pixels));
        Assert.That(sensor.Elements, Is.EqualTo(patchSize * patchSize * scales));
        Assert.That(sensor.ComparesPerElement, Is.EqualTo(3), "a 2-bit code: 3 thresholds");
        Assert.That(sensor.CodeBits, Is.EqualTo(2));
        // the largest block (6 x 6 = 36 pixels for the pooled spec, at most 9,180) fits 14 bits: the logic model's 16-bit add
        Assert.That(sensor.AccumulatorBits, Is.EqualTo(accumulatorBits));
    }

    [Test]
    public void When_ShippedModelsRead_Expect_160PixelsUnpooledAnd640Pooled()
    {
        var plain = GlimpseSensorCost.Of(RamModel.Load(TestAssets.RepositoryFile("models/ram-mbi.ram")).Config.ToKeySpec());
        var pooled = GlimpseSensorCost.Of(RamModel.Load(TestAssets.RepositoryFile("models/ram-mbi-pool.ram")).Config.ToKeySpec());
        Assert.That((plain.Pixels, plain.Elements), Is.EqualTo((160L, 32)));
        Assert.That((pooled.Pixels, pooled.Elements), Is.EqualTo((640L, 32)), "the same key, every patch twice as wide");
    }

    [TestCase(1, 16)]
    [TestCase(9, 16)]
    [TestCase(256, 16)]
    [TestCase(257, 16)]
    [TestCase(258, 17)]
    [TestCase(784, 18)]
    public void When_BlockSummed_Expect_TheBitsOfItsLargestSumAtLeast16(int blockPixels, int bits)
    {
        // 257 pixels of 255 sum to at most 65,535 (16 bits), 258 to 65,790 (17); 784 to 199,920 (18)
        Assert.That(GlimpseSensorCost.AccumulatorBitsFor(blockPixels), Is.EqualTo(bits));
    }

    [Test]
    public void When_OneGlimpsePriced_Expect_HandProductOfCountsAndThe16nmConstants()
    {
        var logic = EnergyConfig.Load().Logic;
        double add16 = 0.065e-12 * 16 / 45, clocked = 9.0e-15 * 16 / 40 * 2, readBit = 263.9e-15 / 76; // Horowitz, Aladdin + clock network 1, a 76-bit row read
        double expected = 160 * (8 * readBit + add16 + 16 * clocked) + 32 * (3 * add16 + 2 * clocked);
        Assert.That(logic.GlimpseSensorPerGlimpseJoules(160, 32, 3, 16, 2, 8, readBit), Is.EqualTo(expected).Within(1e-9).Percent);
        TestContext.Out.WriteLine($"one unpooled glimpse {expected:G4} J, one pooled {logic.GlimpseSensorPerGlimpseJoules(640, 32, 3, 16, 2, 8, readBit):G4} J");
        Assert.That(logic.GlimpseSensorPerGlimpseJoules(160, 32, 3, 32, 2, 8, readBit) - logic.GlimpseSensorPerGlimpseJoules(160, 32, 3, 16, 2, 8, readBit),
            Is.EqualTo((160 + 32 * 3) * add16 + 160 * 16 * clocked).Within(1e-9).Percent, "a 32-bit accumulator: every add twice as wide, 16 more bits clocked per pixel");
    }

    [TestCase(1)]
    [TestCase(2)]
    public void When_SensorInTheCounts_Expect_ItsBandIsGlimpsesTimesOneGlimpseAtTheBandsSources(int pool)
    {
        var config = EnergyConfig.Load();
        var sensor = GlimpseSensorCost.Of(Spec(patchPool: pool));
        var band = Compute(Counts with { Sensor = sensor }).Sensor!;
        // Points(): value-row reads of 90 / 100 / 110 fJ for 76 bits at wire x0.7 / nominal / x1.3
        double Glimpse(double clock, double rowJoules) => (config.Logic with { ClockNetworkFactor = clock })
            .GlimpseSensorPerGlimpseJoules(sensor.Pixels, 32, 3, 16, 2, 8, rowJoules / 76);
        Assert.That(band.TypicalJoules, Is.EqualTo(5 * Glimpse(config.Logic.ClockNetworkFactor, 100e-15)).Within(1e-9).Percent);
        Assert.That(band.MinJoules, Is.EqualTo(5 * Glimpse(EnergyBandCalculator.ClockFactorLow, 90e-15)).Within(1e-9).Percent);
        Assert.That(band.MaxJoules, Is.EqualTo(5 * Glimpse(EnergyBandCalculator.ClockFactorHigh, 110e-15)).Within(1e-9).Percent);
        Assert.That(band.MinJoules, Is.LessThanOrEqualTo(band.TypicalJoules));
        Assert.That(band.TypicalJoules, Is.LessThanOrEqualTo(band.MaxJoules));
        Assert.That(band.FloorJoules, Is.EqualTo(0), "a per-operation model, as the other logic bands: no floor asserted");
        Assert.That(band.Name, Is.EqualTo("glimpse sensor"));
        Assert.That(band.TypicalSetBy, Does.Contain(pool == 1 ? "160 pixels" : "640 pixels").And.Contain("5 glimpses").And.Contain("fJ/bit"));
    }

    [Test]
    public void When_SensorPriced_Expect_DynamicAndTotalRiseByItsBandAndLeakageUnchanged()
    {
        var without = Compute(Counts);
        var with = Compute(Counts with { Sensor = GlimpseSensorCost.Of(Spec(patchPool: 2)) });
        var sensor = with.Sensor!;
        Assert.That(without.Sensor, Is.Null, "counts without a sensor leave it unpriced");
        Assert.That(with.PerInference, Does.Contain(sensor));
        Assert.That(with.PerInferenceDynamic.TypicalJoules - without.PerInferenceDynamic.TypicalJoules, Is.EqualTo(sensor.TypicalJoules).Within(1e-9).Percent);
        Assert.That(with.PerInferenceDynamic.MinJoules - without.PerInferenceDynamic.MinJoules, Is.EqualTo(sensor.MinJoules).Within(1e-9).Percent);
        Assert.That(with.PerInferenceDynamic.MaxJoules - without.PerInferenceDynamic.MaxJoules, Is.EqualTo(sensor.MaxJoules).Within(1e-9).Percent);
        Assert.That(with.PerInferenceTotal.TypicalJoules - without.PerInferenceTotal.TypicalJoules, Is.EqualTo(sensor.TypicalJoules).Within(1e-9).Percent);
        Assert.That(with.PerInferenceLeakage, Is.EqualTo(without.PerInferenceLeakage), "the sensor adds no latency to the account");
        Assert.That(with.PerInferenceDynamic.TypicalSetBy, Does.Contain("glimpse sensor"));
        var clock = with.Sensitivity.Single(s => s.Factor == "logic clock network");
        var clockWithout = without.Sensitivity.Single(s => s.Factor == "logic clock network");
        Assert.That(clock.PerInferenceHighJoules - clockWithout.PerInferenceHighJoules, Is.GreaterThan(sensor.TypicalJoules),
            "the clock row moves the sensor's registers too");
    }

    [TestCase(1.0)]
    [TestCase(3.0)]
    [TestCase(1.26)]
    public void When_PassesRun_Expect_TheSensorScalesWithTheGlimpsesRun(double passes)
    {
        var sensor = GlimpseSensorCost.Of(Spec());
        var one = Compute(Counts with { Sensor = sensor }).Sensor!;
        // every pass re-runs the 5 glimpses: 5 x passes lookups, each reading 5 value rows (an early stop gives a fractional mean)
        var counts = Counts with { Sensor = sensor, SplitComparisonsPerImage = 2600 * passes, RowsPerImage = 520 * passes, ValueReadsPerImage = 25 * passes };
        var band = Compute(counts).Sensor!;
        Assert.That(counts.GlimpsesPerImage, Is.EqualTo(5 * passes).Within(1e-12));
        Assert.That(band.TypicalJoules, Is.EqualTo(passes * one.TypicalJoules).Within(1e-9).Percent);
        Assert.That(band.MinJoules, Is.EqualTo(passes * one.MinJoules).Within(1e-9).Percent);
        Assert.That(band.MaxJoules, Is.EqualTo(passes * one.MaxJoules).Within(1e-9).Percent);
    }

    [Test]
    public void When_CountsOutOfRange_Expect_BadInputNamingThem()
    {
        Assert.That(() => new GlimpseSensorCost(0, 32, 3, 16, 2),
            Throws.InstanceOf<Mbi.Core.Errors.BadInputException>().With.Message.StartsWith("sensor pixels per glimpse was 0"));
        Assert.That(() => new GlimpseSensorCost(160, 32, 3, 8, 2),
            Throws.InstanceOf<Mbi.Core.Errors.BadInputException>().With.Message.Contains("accumulator bits was 8").And.Message.Contains(">= 16"));
    }
}

using Mbi.Circuit.Adc;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Adc;

[TestFixture]
public sealed class AdcMismatchTests
{
    private static readonly SumLineAdc Nominal = new(5, topVolts: 1.8, lsbVolts: 0.0275);
    // The uncalibrated SPICE comparator's offset (docs/adc.md) with the default capacitor mismatch; the default design's offset is 0.
    private static readonly AdcMismatch Default = new AdcDesign { ComparatorOffsetSigmaLsb = 11.1 }.Mismatch;

    [Test]
    public void When_SigmasAreZero_Expect_TheNominalAdcItself()
    {
        var none = new AdcDesign { ComparatorOffsetSigmaLsb = 0, CapacitorMismatchRootFarads = 0 }.Mismatch;
        Assert.That(none.IsZero, Is.True);
        Assert.That(none.Apply(Nominal, Nominal.LsbVolts, seed: 3, die: 7, adc: 2), Is.SameAs(Nominal));
    }

    [Test]
    public void When_CapacitorErrorsAreZero_Expect_TheSarSearchToGiveTheRoundingCodesExactly()
    {
        // The SAR's binary search with exact binary weights must be the mid-tread rounding, saturation flags included,
        // at every input from 2 LSB above code 0 to 2 LSB beyond full scale, code edges (x = k + 1/2) included.
        var sar = Nominal.WithMismatch(0, new double[5]);
        for (int k = -160; k <= 1360; k++)
        {
            double v = Nominal.TopVolts - k / 40.0 * Nominal.LsbVolts;
            Assert.That(sar.Convert(v), Is.EqualTo(Nominal.Convert(v)), $"x = {k / 40.0} LSB");
        }
    }

    [Test]
    public void When_SameSeedDieAndAdc_Expect_TheSameAdcAndOtherDiesOrAdcsDiffer()
    {
        var a = Default.Apply(Nominal, Nominal.LsbVolts, 1, 4, 9);
        var b = Default.Apply(Nominal, Nominal.LsbVolts, 1, 4, 9);
        Assert.That(b.OffsetLsb, Is.EqualTo(a.OffsetLsb));
        Assert.That(b.CapacitorErrors, Is.EqualTo(a.CapacitorErrors));
        Assert.That(Default.Apply(Nominal, Nominal.LsbVolts, 1, 5, 9).OffsetLsb, Is.Not.EqualTo(a.OffsetLsb));
        Assert.That(Default.Apply(Nominal, Nominal.LsbVolts, 1, 4, 10).OffsetLsb, Is.Not.EqualTo(a.OffsetLsb));
        Assert.That(Default.Apply(Nominal, Nominal.LsbVolts, 2, 4, 9).OffsetLsb, Is.Not.EqualTo(a.OffsetLsb));
    }

    [Test]
    public void When_ManyDiesAreDrawn_Expect_OffsetAndCapacitorSigmasAsDesigned()
    {
        const int dies = 4000;
        double sumOffset = 0, sumOffset2 = 0, sumMsb2 = 0, sumLsb2 = 0;
        for (int die = 0; die < dies; die++)
        {
            var adc = Default.Apply(Nominal, Nominal.LsbVolts, 11, die, 0);
            sumOffset += adc.OffsetLsb;
            sumOffset2 += adc.OffsetLsb * adc.OffsetLsb;
            sumMsb2 += adc.CapacitorErrors![4] * adc.CapacitorErrors[4];
            sumLsb2 += adc.CapacitorErrors[0] * adc.CapacitorErrors[0];
        }
        // A sample sigma over n = 4000 normal draws has a relative standard error of 1/sqrt(2n) = 1.1 %: 5 % is over 4 of them.
        Assert.That(Math.Sqrt(sumOffset2 / dies), Is.EqualTo(11.1).Within(5).Percent);
        Assert.That(sumOffset / dies, Is.EqualTo(0).Within(4 * 11.1 / Math.Sqrt(dies)), "mean within 4 standard errors of 0");
        double unit = 0.01 * Math.Sqrt(1e-15 / 0.5e-15); // 1 % at 1 fF, Pelgrom: 1.41 % at 0.5 fF
        Assert.That(Math.Sqrt(sumLsb2 / dies), Is.EqualTo(unit).Within(5).Percent, "the LSB capacitor is one unit");
        Assert.That(Math.Sqrt(sumMsb2 / dies), Is.EqualTo(unit / 4).Within(5).Percent, "the MSB capacitor is 16 units: sigma / sqrt(16)");
    }

    [Test]
    public void When_AnAdcHasASmallerLsb_Expect_TheSameOffsetVoltageInMoreLsb()
    {
        var half = new SumLineAdc(5, Nominal.TopVolts, Nominal.LsbVolts / 2);
        var one = Default.Apply(Nominal, Nominal.LsbVolts, 1, 3, 0);
        var two = Default.Apply(half, Nominal.LsbVolts, 1, 3, 0);
        Assert.That(two.OffsetLsb, Is.EqualTo(2 * one.OffsetLsb).Within(1e-12));
    }

    [Test]
    public void When_MsbCapacitorIsLarge_Expect_TheCodeEdgeAtItsWeightToMove()
    {
        // MSB 10 % heavy: 16 x 1.1 = 17.6 LSB, so code 16 needs x + 1/2 >= 17.6 and inputs of 15.6..16.6 LSB read 15.
        var adc = Nominal.WithMismatch(0, [0, 0, 0, 0, 0.10]);
        double At(double x) => Nominal.TopVolts - x * Nominal.LsbVolts;
        Assert.That(Nominal.Convert(At(16.0)).Code, Is.EqualTo(16));
        Assert.That(adc.Convert(At(16.0)).Code, Is.EqualTo(15));
        Assert.That(adc.Convert(At(17.2)).Code, Is.EqualTo(16));
    }

    [TestCase(-1.0)]
    [TestCase(65.0)]
    [TestCase(double.NaN)]
    public void When_OffsetSigmaIsOutOfRange_Expect_BadInputNamingTheField(double sigma)
    {
        var e = Assert.Throws<BadInputException>(() => new AdcDesign { ComparatorOffsetSigmaLsb = sigma }.Validated());
        Assert.That(e!.Message, Does.Contain("adc.comparator_offset_sigma_lsb").And.Contain("between 0 and 64 LSB"));
    }

    [Test]
    public void When_CapacitorCoefficientIsNegative_Expect_BadInputNamingTheField()
    {
        var e = Assert.Throws<BadInputException>(() => new AdcDesign { CapacitorMismatchRootFarads = -1e-10 }.Validated());
        Assert.That(e!.Message, Does.Contain("adc.capacitor_mismatch_root_farads"));
    }
}

using Mbi.CoSim.Energy;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Energy;

/// <summary>`cosim --adc-bits N` prices the ADC at N bits from energy.json's NeuroSim fit (issue #12: it used to report the 5-bit energy for any N).</summary>
[TestFixture]
public sealed class EnergyConfigAdcBitsTests
{
    [Test]
    public void When_AdcBitsChanged_Expect_TheFitReEvaluatedAtThatResolution()
    {
        var five = EnergyConfig.Load();
        Assert.That(five.AdcBits, Is.EqualTo(5));
        // The fit read back reproduces the file's own resolution: P = a bits + b, t = (bits + 1) cycles.
        // Tolerance 1e-12 relative: a few double roundings of microwatt-scale sums.
        Assert.That(five.AdcFitSlopeWatts * 5 + five.AdcFitOffsetWatts, Is.EqualTo(five.AdcPowerWatts).Within(1e-12).Percent);
        Assert.That(6 * five.AdcBitCycleSeconds, Is.EqualTo(five.AdcConversionSeconds).Within(1e-12).Percent);
        var two = five.WithAdcBits(2);
        var eight = five.WithAdcBits(8);
        Assert.That(two.AdcConversionSeconds, Is.EqualTo(3 * five.AdcBitCycleSeconds).Within(1e-12).Percent);
        Assert.That(eight.AdcPowerWatts, Is.EqualTo(five.AdcFitSlopeWatts * 8 + five.AdcFitOffsetWatts).Within(1e-12).Percent);
        Assert.That(two.AdcEnergyJoules, Is.LessThan(five.AdcEnergyJoules));
        Assert.That(eight.AdcEnergyJoules, Is.GreaterThan(five.AdcEnergyJoules));
        Assert.That(five.WithAdcBits(5), Is.SameAs(five));
    }
}

using Mbi.CoSim.Energy;
using Mbi.CoSim.Reports;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Energy;

[TestFixture]
public sealed class EnergyAccountingTests
{
    [Test]
    public void When_PaperFiguresMultiplied_Expect_PaperInferenceEnergyOf13p16nJ()
    {
        // Table I footnote: 5 x 3.5 x 32 x 5 x 4.7 pJ = 13.16 nJ, exact up to double rounding (1e-15 J is 1e-7 of it).
        Assert.That(PaperFigures.EnergyPerInferenceJoules, Is.EqualTo(13.16e-9).Within(1e-15));
    }

    [Test]
    public void When_AdcModelAt16nm_Expect_NeuroSimFitInterpolatedTimesConversionTime()
    {
        var config = EnergyConfig.Load();
        // 16 nm lies a quarter of the way from 14 to 22 nm: a = 0.3132 + 0.25 (0.538 - 0.3132), b likewise; 5 bits; 6 ns
        double a = 0.3132 + 0.25 * (0.538 - 0.3132), b = 2.5681 + 0.25 * (4.3753 - 2.5681);
        Assert.That(config.AdcConversionSeconds, Is.EqualTo(6e-9).Within(1e-18));
        Assert.That(config.AdcEnergyJoules, Is.EqualTo((a * 5 + b) * 1e-6 * 6e-9).Within(1e-20));
    }

    [Test]
    public void When_LookupsCounted_Expect_EnergyAndLatencyScaleWithSplitComparisonsAndRows()
    {
        var comparison = new ComparisonEnergy(AdcJoules: 1e-12,
            Array: new ArrayEnergy(QueryDriverJoules: 1e-12, RowSelectJoules: 0.5e-12, CellJoules: 0.25e-12, LogicInputJoules: 0.25e-12,
                PrechargeGateDriverJoules: 1e-12, PrechargeRailJoules: 2e-12, ShareDriverJoules: 4e-12),
            LogicJoules: 5e-12, RowSeconds: 5e-9, AdcConversionSeconds: 6e-9, RowEnergyByPrecision: new Dictionary<int, RowEnergy>());
        // 10 images, 50 lookups over 175 levels (3.5 per lookup), 5600 rows, 5 splits each
        var inference = EnergyAccountant.PerInference(comparison, images: 10, lookups: 50, levels: 175, rowsScanned: 5600, splitComparisons: 28000);
        Assert.That(comparison.TotalJoules, Is.EqualTo(15e-12).Within(1e-24));
        Assert.That(inference.SplitComparisonsPerImage, Is.EqualTo(2800));
        Assert.That(inference.LevelsPerLookup, Is.EqualTo(3.5));
        Assert.That(inference.EnergyPerInferenceJoules, Is.EqualTo(2800 * 15e-12).Within(1e-20));
        Assert.That(inference.LatencySeconds, Is.EqualTo(560 * 11e-9).Within(1e-18), "rows scanned serially, splits in parallel");
    }

    [Test]
    public void When_ReferenceNetworksCounted_Expect_PublishedLayerArithmetic()
    {
        // LeNet-5: C1 28x28x6x25 + C3 10x10x16x150 + 400x120 + 120x84 + 84x10
        Assert.That(ReferenceNetworks.Macs("lenet5-mnist"), Is.EqualTo(117_600 + 240_000 + 48_000 + 10_080 + 840));
        // ResNet-20 on CIFAR-10 with option-A shortcuts: the commonly quoted ~40.6 M MACs (41 M with 1x1 projections)
        Assert.That(ReferenceNetworks.Macs("resnet20-cifar10"), Is.EqualTo(40_551_040));
        // On a 1x28x28 MNIST input the maps are 28, 14 and 7 wide
        Assert.That(ReferenceNetworks.Macs("resnet20-mnist"), Is.EqualTo(112_896 + 6 * 1_806_336 + 903_168 + 5 * 1_806_336 + 903_168 + 5 * 1_806_336 + 640));
        Assert.Throws<ArgumentException>(() => ReferenceNetworks.Macs("vgg"));
    }
}

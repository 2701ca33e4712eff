using Mbi.CoSim.Energy;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Energy;

[TestFixture]
public sealed class EnergyAccountingTests
{
    [Test]
    public void When_ShippedConfigLoaded_Expect_PaperInferenceEnergyOf13p16nJ()
    {
        var config = EnergyConfig.Load();
        // 5 x 3.5 x 32 x 5 x 4.7 pJ, exact up to double rounding
        Assert.That(config.PaperEnergyPerInferenceJoules, Is.EqualTo(13.16e-9).Within(1e-15));
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
    public void When_TableOneBuiltFromShippedMacros_Expect_PaperFiguresFromItsRatiosAndEveryRowLabelled()
    {
        var config = EnergyConfig.Load();
        var rows = TableOne.Build(mbiJoules: 2e-10, mixedJoules: 5e-10, mbiFractionOfMixed: 0.7, config);
        Assert.That(rows[0].ProjectedJoules, Is.EqualTo(2e-10));
        Assert.That(rows[2].ProjectedJoules, Is.EqualTo(13.16e-9).Within(1e-15), "the paper's MBI row");
        // The paper's own 16 nm macro figures: its MBI energy x the ratios in its abstract.
        var mlp = rows.Single(r => r.Name == "MLP-CIM (paper's figure)");
        Assert.That(mlp.Basis, Is.EqualTo(TableOneBasis.PaperRatio));
        Assert.That(mlp.ProjectedJoules, Is.EqualTo(2.7 * 13.16e-9).Within(1e-15));
        Assert.That(mlp.JoulesAtNode, Is.EqualTo(2.7 * 13.16e-9 * (28.0 / 16) * (28.0 / 16)).Within(1e-15));
        Assert.That(rows.Single(r => r.Name == "ResNet20-CIM (paper's figure)").RatioTo(13.16e-9), Is.EqualTo(83).Within(1e-9));
        // The abstract states no LeNet ratio: that row is missing, never estimated.
        var lenet = rows.Single(r => r.Name == "LeNet-CIM");
        Assert.That(lenet.Basis, Is.EqualTo(TableOneBasis.NotFound));
        Assert.That(lenet.RatioTo(2e-10), Is.Null);
        // Candidates: a derived energy is 2 ops/MAC x MACs / TOPS/W at the design's node.
        var convRam = rows.Single(r => r.Name.StartsWith("candidate: Conv-RAM", StringComparison.Ordinal));
        Assert.That(convRam.Basis, Is.EqualTo(TableOneBasis.DerivedFromEfficiency));
        Assert.That(convRam.JoulesAtNode, Is.EqualTo(2.0 * 416_520 / 28.1e12).Within(1e-18));
        var twin = rows.Single(r => r.Name.StartsWith("candidate: Twin-8T", StringComparison.Ordinal));
        Assert.That(twin.JoulesAtNode, Is.LessThan(twin.JoulesAtNodeHigh!.Value), "a TOPS/W range gives an energy range, best first");
        Assert.That(rows, Has.All.Matches<TableOneRow>(r => !string.IsNullOrEmpty(r.Basis)));
        string markdown = TableOne.Markdown(rows, 2e-10);
        Assert.That(markdown, Does.Contain("not found").And.Contain("derived from published TOPS/W").And.Contain("paper's ratio"));
    }

    [Test]
    public void When_MacroFileHasPublishedEnergy_Expect_ItIsUsedAsPublishedAndProjectedByNodeSquared()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mbi-macros-{Environment.ProcessId}.json");
        File.WriteAllText(path, """{"macros":[{"name":"X-CIM","network":"MLP","technology_nm":32,"energy_per_inference_joules":4e-8,"source":"test"}]}""");
        try
        {
            var rows = TableOne.Build(1e-9, 2e-9, 0.5, EnergyConfig.Load(), path);
            var x = rows.Single(r => r.Name == "X-CIM");
            Assert.That(x.Basis, Is.EqualTo(TableOneBasis.Published));
            Assert.That(x.ProjectedJoules, Is.EqualTo(1e-8).Within(1e-20), "(16/32)^2 = 1/4");
            Assert.That(x.RatioTo(1e-9), Is.EqualTo(10).Within(1e-9));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void When_MacroFileIsCorrupt_Expect_FileFormatErrorNamingTheFileAndTheFix()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mbi-macros-bad-{Environment.ProcessId}.json");
        File.WriteAllText(path, """{"macros":[{"name":"X","network":"MLP","technology_nm":0}]}""");
        try
        {
            var e = Assert.Throws<Mbi.Core.Errors.FileFormatException>(() => TableOne.Build(1e-9, 2e-9, 0.5, EnergyConfig.Load(), path));
            Assert.That(e!.Message, Does.Contain(path).And.Contain("git checkout config/cim-macros.json"));
        }
        finally { File.Delete(path); }
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

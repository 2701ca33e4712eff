using Mbi.CoSim.Energy;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Energy;

[TestFixture]
public sealed class PaperReconciliationTests
{
    private static string PresetPath => Path.Combine(Path.GetDirectoryName(EnergyConfig.Locate(null))!, "presets", "paper-4p7pj.json");

    // A comparison of 343 fJ shaped like a measured one (ADC, array, logic); the arithmetic below only needs its total.
    private static readonly ComparisonEnergy Measured = new(AdcJoules: 29.2e-15,
        Array: new ArrayEnergy(0.0752e-15, 0, 0, 0, 0, 25.8e-15, 0.422e-15), LogicJoules: 287e-15, RowSeconds: 5.27e-9,
        AdcConversionSeconds: 6e-9, RowEnergyByPrecision: new Dictionary<int, RowEnergy>());

    [Test]
    public void When_PresetLoadedAsEnergyConfig_Expect_PjClassConversion()
    {
        var config = EnergyConfig.Load(PresetPath);
        // 733.3333 uW x 6 ns = 4.4 pJ; 1e-6 relative: the fit is written to 7 significant figures.
        Assert.That(config.AdcEnergyJoules, Is.EqualTo(4.4e-12).Within(1e-4).Percent);
    }

    [Test]
    public void When_EachScenarioApplied_Expect_About4p7pJPerCountedComparisonFromMbisComponents()
    {
        var scenarios = PaperReconciliation.Load(PresetPath).Scenarios(Measured, mbiSplitComparisonsPerInference: 452.0 * 5);
        Assert.That(scenarios[0].MbiPerCountedComparisonJoules, Is.EqualTo(Measured.TotalJoules));
        // Node scan: 32 rows of 343 fJ = 11 pJ per counted comparison; the paper's inference then is 13.16 nJ / 32 = 411 pJ.
        Assert.That(scenarios[1].MbiPerCountedComparisonJoules, Is.EqualTo(32 * Measured.TotalJoules).Within(1e-9).Percent);
        Assert.That(scenarios[1].PaperPerInferenceJoules, Is.EqualTo(13.16e-9 / 32).Within(1e-9).Percent);
        // The ADC and bitline scenarios are chosen to reproduce 4.7 pJ with Mbi's other components: within 2%.
        Assert.That(scenarios[2].MbiPerCountedComparisonJoules, Is.EqualTo(4.7e-12).Within(2).Percent);
        Assert.That(scenarios[3].MbiPerCountedComparisonJoules, Is.EqualTo(4.7e-12).Within(2).Percent);
        foreach (var s in scenarios)
            TestContext.Out.WriteLine($"{s.Name}: paper {s.PaperPerCountedComparisonJoules:G3} J, Mbi {s.MbiPerCountedComparisonJoules:G3} J per counted comparison; per inference paper {s.PaperPerInferenceJoules:G3} J, Mbi {s.MbiPerInferenceJoules:G3} J");
    }

    [Test]
    public void When_PresetIsNotAPreset_Expect_FileFormatErrorWithTheFix()
    {
        var e = Assert.Throws<Mbi.Core.Errors.FileFormatException>(() => PaperReconciliation.Load(EnergyConfig.Locate(null)));
        Assert.That(e!.Message, Does.Contain("paper-4p7pj.json"));
    }
}

using Mbi.Circuit.Design;
using Mbi.CoSim.Characterisation;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Characterisation;

/// <summary>
/// The SAR clock (adc.sar_clock_period_seconds) in the energy bands' cache key: a design without it keeps the names of the
/// band files measured before it existed (session 14's TT file in models/characterisation and SS file in
/// docs/energy/ss-corner, hard-coded on purpose), and a slower SAR clock is measured again under another name while the
/// compact model and the Monte Carlo dies, which have no SAR, keep theirs. No ngspice is needed (names only).
/// </summary>
[TestFixture]
public sealed class SarClockKeyTests
{
    private static string BandsFile(CircuitDesign design) =>
        ShippedCharacterisation.Expected(design, TestAssets.ShippedModel(), seed: 1).Single(f => f.File.StartsWith("energy-bands-", StringComparison.Ordinal)).File;

    [TestCase(null, "energy-bands-94f50e67f84594b6.json")]
    [TestCase("samples/designs/ss-value-read.json", "energy-bands-11698852836f458b.json")]
    public void When_DesignHasNoSarClock_Expect_TheBandFileNameMeasuredBeforeTheField(string? file, string shippedName)
    {
        var design = file is null ? new CircuitDesign() : DesignFile.Read(TestAssets.RepositoryFile(file));
        Assert.That(BandsFile(design), Is.EqualTo(shippedName));
        Assert.That(BandsFile(design with { Adc = design.Adc with { SarClockPeriodSeconds = 2e-9 } }), Is.EqualTo(shippedName), "the default clock given explicitly");
    }

    [Test]
    public void When_SarClockSlower_Expect_AnotherBandFileAndFolderButTheSameCompactAndDies()
    {
        var design = DesignFile.Read(TestAssets.RepositoryFile("samples/designs/ss-value-read.json"));
        var slower = design with { Adc = design.Adc with { SarClockPeriodSeconds = 3e-9 } };
        var files = ShippedCharacterisation.Expected(design, TestAssets.ShippedModel(), seed: 1);
        var slowerFiles = ShippedCharacterisation.Expected(slower, TestAssets.ShippedModel(), seed: 1);
        Assert.That(BandsFile(slower), Is.Not.EqualTo(BandsFile(design)), "the SPICE ADC's energy and conversion time are measured with the slower clock");
        Assert.That(slowerFiles.Where(f => !f.File.StartsWith("energy-bands-", StringComparison.Ordinal)),
            Is.EqualTo(files.Where(f => !f.File.StartsWith("energy-bands-", StringComparison.Ordinal))));
        Assert.That(ShippedCharacterisation.KeyOf(slower, "ngspice-39").Folder, Is.Not.EqualTo(ShippedCharacterisation.KeyOf(design, "ngspice-39").Folder));
    }
}

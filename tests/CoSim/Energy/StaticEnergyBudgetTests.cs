using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Energy;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.CoSim.Tests.Energy;

[TestFixture]
public sealed class StaticEnergyBudgetTests
{
    [Test]
    public void When_ShippedSettingsLoaded_Expect_NoGatingByDefault()
    {
        var settings = LeakageSettings.Load();
        Assert.That(settings.PowerGatingFraction, Is.EqualTo(0));
        Assert.That(settings.TemperaturesCelsius, Is.EqualTo(new[] { 27.0, 85.0 }));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void When_FullLutLeaks_Expect_CellsTimesPowerTimesTimeAndHotterCostsMore(bool tunnelling)
    {
        TestAssets.RequireNgspice();
        using var engine = NgSpiceEngine.Start();
        // The full LUT of the full-size reproduction (README.md): 262,853 rows, 5 splits, 6.52 us per inference.
        var settings = new LeakageSettings([27, 85], 0, tunnelling);
        var budget = StaticEnergyBudget.Measure(engine, Technology.Ptm16Lp(), new ArrayDesign(), settings, 262_853, 5, 6.52e-6, valueBits: 76);
        foreach (var b in budget)
        {
            TestContext.Out.WriteLine($"{b.TemperatureCelsius} C, tunnelling {(b.GateTunneling ? "on" : "off")}: {b.Cells:N0} cells x {b.CellPowerWatts:G4} W = {b.CellJoules:G4} J; " +
                $"{b.Arrays:N0} decoders x {b.DecoderPowerWatts:G4} W = {b.PeripheryJoules:G4} J; {b.ValueCells:N0} value cells x {b.ValueCellPowerWatts:G4} W = {b.ValueJoules:G4} J; total {b.TotalJoules:G4} J per inference");
            Assert.That(b.Cells, Is.EqualTo(262_853.0 * 5 * 32));
            Assert.That(b.Arrays, Is.EqualTo(8_215.0 * 5));
            Assert.That(b.CellJoules, Is.EqualTo(b.Cells * b.CellPowerWatts * 6.52e-6).Within(1e-9).Percent);
            Assert.That(b.ValueCells, Is.EqualTo(262_853.0 * 76));
            Assert.That(b.ValueJoules, Is.EqualTo(b.ValueCells * b.ValueCellPowerWatts * 6.52e-6).Within(1e-9).Percent);
            // a 6T cell is the 10T cell's storage core: it cannot leak more than the whole 10T cell in hold
            Assert.That(b.ValueCellPowerWatts, Is.GreaterThan(0).And.LessThanOrEqualTo(b.CellPowerWatts * 1.01));
        }
        Assert.That(budget[1].TotalJoules, Is.GreaterThan(budget[0].TotalJoules), "85 C leaks more than 27 C");
    }
}

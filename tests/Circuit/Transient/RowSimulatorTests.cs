using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Transient;

[TestFixture]
public sealed class RowSimulatorTests
{
    private static readonly ArrayDesign Design = new();
    private RowResult _staircase = null!;

    [OneTimeSetUp]
    public void RunNominalOneBitStaircase()
    {
        using var engine = EngineRequirement.StartOrIgnore();
        var staircase = new Staircase(32);
        // only the 1-bit levels 0..32 (33 cycles): the staircase the paper's 28 mV is about
        var program = new RowProgram(staircase.Program.Key, staircase.Program.Cycles.Take(33).ToArray());
        _staircase = new RowSimulator(engine, new RowBench(Technology.Ptm16Lp(), Design, program)).Run();
    }

    [Test]
    public void When_NominalOneBitStaircase_Expect_MonotoneStepsWithin5PercentOfChargeSharing()
    {
        // Charge sharing of 32 bitlines onto their sum line: one bitline discharged to 0 V moves the sum
        // by VPmax C_BL / (32 C_BL + C_SL), at most VPmax / 32. The sum line's own capacitance (wire and
        // transmission-gate junctions, a few percent of the 32 bitlines') and coupling are not in this
        // bound, hence 5%.
        double bound = Design.VpMaxVolts / 32;
        for (int level = 0; level < 32; level++)
        {
            double step = _staircase.SumVolts(level) - _staircase.SumVolts(level + 1);
            Assert.That(step, Is.GreaterThan(0), $"staircase not monotone at level {level}");
            Assert.That(step, Is.EqualTo(bound).Within(5).Percent, $"step from level {level} to {level + 1}");
        }
    }

    [Test]
    public void When_BitlinesWereShared_Expect_PrechargeChargeOfOneLineCapacitanceAboveItsWire()
    {
        // After cycle i-1 every bitline and sum line sits at its sum line's settled voltage, so the rails
        // deliver C_line [(VP - V_SLP) + (VP - V_SLN)] while precharging cycle i, C_line = 32 C_BL + C_SL
        // per side. The bench has no lumped capacitor, so C_line is the cells' devices plus wire: it must
        // be the same at every level (10%: charge injected by the gate drivers does not scale with the
        // swing) and above the wire alone.
        var technology = Technology.Ptm16Lp();
        double wire = technology.WireCapacitanceFaradsPerMeter
            * (32 * Design.Rows * technology.CellHeightMeters + 32 * technology.CellWidthMeters);
        var rails = Enumerable.Range(0, _staircase.Supplies.Count).Where(s => _staircase.Supplies[s].Name.StartsWith("precharge_rail")).ToArray();
        var lines = new[] { 8, 16, 32 }.Select(cycle =>
            rails.Sum(s => _staircase.ChargeCoulombs(cycle, s, Phase.Precharge)) / (2 * Design.VpMaxVolts - _staircase.SumVolts(cycle - 1))).ToArray();
        foreach (double line in lines)
        {
            Assert.That(line, Is.EqualTo(lines[1]).Within(10).Percent, "line capacitance seen by the precharge");
            Assert.That(line, Is.GreaterThan(wire), "devices add to the wire");
        }
    }

    [Test]
    public void When_TransientRan_Expect_WaveformsCoverEveryCycle()
    {
        Assert.That(_staircase.Time.Count, Is.EqualTo(_staircase.Slp.Count).And.EqualTo(_staircase.Sln.Count));
        Assert.That(_staircase.Time[^1], Is.GreaterThan(0).And.LessThan(1e-6));
        Assert.That(_staircase.Cycles, Is.EqualTo(33));
    }
}

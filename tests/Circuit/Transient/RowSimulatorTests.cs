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
        // Charge sharing of 32 bitlines (C_BL each) and the sum line (C_SL plus the ADC's sampling capacitor):
        // one discharged bitline moves its sum line by VPmax * C_BL / (32 C_BL + C_SL + C_ADC). Device
        // capacitances and coupling are not in this figure, hence the 5% tolerance.
        double expected = Design.VpMaxVolts * Design.BitlineCapacitanceFarads
            / (32 * Design.BitlineCapacitanceFarads + Design.SumLineCapacitanceFarads + Design.AdcSamplingCapacitanceFarads);
        for (int level = 0; level < 32; level++)
        {
            double step = _staircase.SumVolts(level) - _staircase.SumVolts(level + 1);
            Assert.That(step, Is.GreaterThan(0), $"staircase not monotone at level {level}");
            Assert.That(step, Is.EqualTo(expected).Within(5).Percent, $"step from level {level} to {level + 1}");
        }
    }

    [Test]
    public void When_BitlinesWereShared_Expect_PrechargeRailsToRestoreTheirCharge()
    {
        // After cycle i-1 every bitline and sum line sits at its sum line's settled voltage, so the
        // rails must deliver about (32 C_BL + C_SL + C_ADC) * [(VP - V_SLP) + (VP - V_SLN)] while precharging
        // cycle i. 10%: device junction/overlap capacitances and the gate drivers' coupling are not counted.
        double lineCapacitance = 32 * Design.BitlineCapacitanceFarads + Design.SumLineCapacitanceFarads + Design.AdcSamplingCapacitanceFarads;
        var rails = Enumerable.Range(0, _staircase.Supplies.Count).Where(s => _staircase.Supplies[s].Name.StartsWith("precharge_rail")).ToArray();
        foreach (int cycle in new[] { 4, 16, 32 })
        {
            double expected = lineCapacitance * (2 * Design.VpMaxVolts - _staircase.SumVolts(cycle - 1));
            double delivered = rails.Sum(s => _staircase.ChargeCoulombs(cycle, s, Phase.Precharge));
            Assert.That(delivered, Is.EqualTo(expected).Within(10).Percent, $"precharge charge of cycle {cycle}");
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

using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Transient;

[TestFixture]
public sealed class RowSimulatorTests
{
    [Test]
    public void When_NominalOneBitStaircase_Expect_MonotoneStepsWithin5PercentOfChargeSharing()
    {
        using var engine = EngineRequirement.StartOrIgnore();
        var design = new ArrayDesign();
        var staircase = new Staircase(32);
        // only the 1-bit levels (33 cycles): that is the staircase the expectation is about
        var program = new RowProgram(staircase.Program.Key, staircase.Program.Cycles.Take(33).ToArray());
        var result = new RowSimulator(engine, new RowBench(Technology.Ptm16Lp(), design, program)).Run();

        // Charge sharing of 32 bitlines (C_BL each) and the sum line (C_SL): one discharged bitline
        // moves its sum line by VPmax * C_BL / (32 C_BL + C_SL). Device capacitances are not in this
        // figure, hence the 5% tolerance.
        double expected = design.VpMaxVolts * design.BitlineCapacitanceFarads
            / (32 * design.BitlineCapacitanceFarads + design.SumLineCapacitanceFarads);
        for (int level = 0; level < 32; level++)
        {
            double step = result.SumVolts(level) - result.SumVolts(level + 1);
            Assert.That(step, Is.EqualTo(expected).Within(5).Percent, $"step from level {level} to {level + 1}");
        }
    }
}

using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Netlists;

/// <summary>
/// The reduced bench (unselected cells merged per column and stored bit) against the whole 32x32 array
/// (every cell its own instance) on the default design, same random stored data: what `mbi mc`
/// simulates must read what the full array reads.
/// </summary>
[TestFixture]
public sealed class ArrayBenchAgreementTests
{
    [Test]
    public void When_MergedBenchAndFull32x32ArrayRunTheSameLevels_Expect_Within500MicrovoltsAnd5PercentSupplyEnergy()
    {
        using var engine = TestAssets.StartNgspice();
        var staircase = new Staircase(32);
        // 1-bit levels 1 and 16 (one and sixteen discharging columns); 1-bit cycles only, so every
        // supply is a constant source and its energy is V x delivered charge.
        var program = new RowProgram(staircase.Program.Key, [staircase.Program.Cycles[1], staircase.Program.Cycles[16]]);
        var design = new ArrayDesign();
        var merged = new RowSimulator(engine, new RowBench(Technology.Ptm16Lp(), design, program)).Run();
        var full = new RowSimulator(engine, new RowBench(Technology.Ptm16Lp(), design with { UnselectedRows = UnselectedRows.Full }, program)).Run();

        // Merged cells are the same devices with the same terminal voltages, so only solver tolerance
        // separates the two (reltol 1e-3 of a 1.8 V sum would allow more; the bound is 0.5 mV).
        for (int c = 0; c < program.Cycles.Count; c++)
            TestContext.Out.WriteLine(FormattableString.Invariant(
                $"cycle {c}: merged {merged.SumVolts(c):F6} V, full {full.SumVolts(c):F6} V, difference {(merged.SumVolts(c) - full.SumVolts(c)) * 1e3:F4} mV"));
        TestContext.Out.WriteLine(FormattableString.Invariant($"supply energy: merged {SupplyEnergy(merged) * 1e15:F2} fJ, full {SupplyEnergy(full) * 1e15:F2} fJ"));
        for (int c = 0; c < program.Cycles.Count; c++)
            Assert.That(merged.SumVolts(c), Is.EqualTo(full.SumVolts(c)).Within(0.5e-3), $"V_SLP + V_SLN of cycle {c}");
        Assert.That(SupplyEnergy(merged), Is.EqualTo(SupplyEnergy(full)).Within(5).Percent, "energy of the constant supplies");
    }

    /// <summary>Sum over the constant supplies of V x the charge each delivered over every reported cycle and phase.</summary>
    internal static double SupplyEnergy(RowResult result)
    {
        double joules = 0;
        for (int s = 0; s < result.Supplies.Count; s++)
        {
            if (double.IsNaN(result.Supplies[s].Volts)) continue;
            for (int c = 0; c < result.Cycles; c++)
                foreach (var phase in new[] { Phase.Precharge, Phase.Evaluate, Phase.Share })
                    joules += result.Supplies[s].Volts * result.ChargeCoulombs(c, s, phase);
        }
        return joules;
    }
}

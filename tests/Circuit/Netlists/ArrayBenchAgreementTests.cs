using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Netlists;

/// <summary>
/// The reduced bench (unselected cells merged per column and stored bit) against the whole array (every cell
/// its own instance) on the default design, same random stored data: what `mbi mc` simulates must read what
/// the full array reads.
/// </summary>
[TestFixture]
public sealed class ArrayBenchAgreementTests
{
    /// <summary>
    /// The suite's check on 8 columns x 32 rows. The merging is per column (each column's 31 unselected cells become
    /// one instance per stored bit, the row count is unchanged), and columns meet only on the sum lines and the row
    /// lines, which both benches share, so 8 columns exercise every merged instance the 32-column bench has. One
    /// column's error moves the sum 4x more here (charge sharing over 8 bitlines, not 32), so the same 0.5 mV bound
    /// is tighter per column. The whole 32x32 array costs about four times as much; it is the measurement below.
    /// </summary>
    [Test]
    public void When_MergedBenchAndFull8ColumnArrayRunOneAndHalfTheColumns_Expect_Within500MicrovoltsAnd5PercentSupplyEnergy()
    {
        Compare(columns: 8, levels: [1, 4]);
    }

    /// <summary>The default 32x32 array at levels 1 and 16 (docs/circuit.md quotes it). Run with --filter Name~Full32x32.</summary>
    [Explicit("the whole 32x32 array: several minutes of ngspice; run by hand"), Category("Measurement")]
    [Test]
    public void When_MergedBenchAndFull32x32ArrayRunTheSameLevels_Expect_Within500MicrovoltsAnd5PercentSupplyEnergy()
    {
        Compare(columns: 32, levels: [1, 16]);
    }

    /// <summary>
    /// 1-bit staircase levels (that many discharging columns) on both benches; 1-bit cycles only, so every supply is
    /// a constant source and its energy is V x delivered charge.
    /// </summary>
    private static void Compare(int columns, int[] levels)
    {
        using var engine = TestAssets.StartNgspice();
        var staircase = new Staircase(columns);
        var program = new RowProgram(staircase.Program.Key, levels.Select(level => staircase.Program.Cycles[level]).ToArray());
        var design = new ArrayDesign { Columns = columns };
        var merged = new RowSimulator(engine, new RowBench(Technology.Ptm16Lp(), design, program)).Run();
        var full = new RowSimulator(engine, new RowBench(Technology.Ptm16Lp(), design with { UnselectedRows = UnselectedRows.Full }, program)).Run();

        // Merged cells are the same devices with the same terminal voltages, so only solver tolerance
        // separates the two (reltol 1e-3 of a 1.8 V sum would allow more; the bound is 0.5 mV).
        for (int c = 0; c < program.Cycles.Count; c++)
            TestContext.Out.WriteLine(FormattableString.Invariant(
                $"{columns} columns, level {levels[c]}: merged {merged.SumVolts(c):F6} V, full {full.SumVolts(c):F6} V, difference {(merged.SumVolts(c) - full.SumVolts(c)) * 1e3:F4} mV"));
        TestContext.Out.WriteLine(FormattableString.Invariant($"supply energy: merged {SupplyEnergy(merged) * 1e15:F2} fJ, full {SupplyEnergy(full) * 1e15:F2} fJ"));
        for (int c = 0; c < program.Cycles.Count; c++)
            Assert.That(merged.SumVolts(c), Is.EqualTo(full.SumVolts(c)).Within(0.5e-3), $"V_SLP + V_SLN at level {levels[c]}");
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

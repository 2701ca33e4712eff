using System.Globalization;
using System.Text.RegularExpressions;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Netlists;

[TestFixture]
public sealed class RowBenchTests
{
    [Test]
    public void When_NetlistWritten_Expect_InvariantNumbersAndEveryDeviceOnce()
    {
        var bench = new RowBench(Technology.Ptm16Lp(), new ArrayDesign { Columns = 4 }, new Staircase(4).Program);
        string text = bench.Write();
        Assert.That(text, Does.Not.Match(@"\d,\d"), "no decimal commas");
        // bitline wire: 0.2 fF/um x 32 rows x 0.2 um; no lumped stand-in for the other rows
        Assert.That(text, Does.Contain("cwbl0 bl0 0 1.28E-15"));
        Assert.That(text, Does.Not.Contain("cbl0 "));
        Assert.That(text, Does.Contain(".subckt cell12t"));
        // selected row: 12 cell devices + 6 periphery per column, 2 sum-line precharge; merged cells take no shift
        Assert.That(bench.Devices.Select(d => d.InstancePath).Distinct().Count(), Is.EqualTo(4 * 18 + 2));
        // the 31 other rows: per column one merged instance per stored bit, multipliers adding up to 31
        var multipliers = Regex.Matches(text, @"^xm[01]_(\d+) .* mult=(\d+)$", RegexOptions.Multiline)
            .GroupBy(m => m.Groups[1].Value).Select(g => g.Sum(m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        Assert.That(multipliers, Is.EqualTo(new[] { 31, 31, 31, 31 }));
        Assert.That(text, Does.Contain("igcmod=0"), "gate tunnelling off by default");
    }

    [Test]
    public void When_StorageHeld_Expect_NoLatchTransistorsAndStorageNodesTiedToTheStoredBitsRails()
    {
        var program = new Staircase(4).Program;
        var latched = new RowBench(Technology.Ptm16Lp(), new ArrayDesign { Columns = 4 }, program);
        var held = new RowBench(Technology.Ptm16Lp(), new ArrayDesign { Columns = 4 }, program, storage: CellStorage.Held);
        var shifts = new double[held.Devices.Count];
        VthDraws.Fill(5, 0, 0.06, shifts);
        string text = held.Write(shifts);
        Assert.That(text, Does.Contain(".subckt cell12t_held ").And.Not.Contain(".subckt cell12t "));
        Assert.That(Regex.IsMatch(text, @"^mp[ud][12] ", RegexOptions.Multiline), Is.False, "no latch transistor in the cell");
        Assert.That(Regex.IsMatch(text, @"^\.ic ", RegexOptions.Multiline), Is.False, "no storage node to set");
        Assert.That(Regex.IsMatch(text, @"^x.* dp[ud][12]=", RegexOptions.Multiline), Is.False, "no latch delvto on an instance");
        for (int c = 0; c < 4; c++)
            Assert.That(text, Does.Contain($"xc{c} bl{c} blb{c} ql{c} qlb{c} sl rwl wl {(program.Key[c] ? "vdd 0" : "0 vdd")} vdd 0 cell12t_held"));
        // The draw order is the latched bench's, so every device in both decks draws the same shift.
        Assert.That(held.Devices.Select(d => d.InstancePath), Is.EqualTo(latched.Devices.Select(d => d.InstancePath)));
        Assert.That(held.Devices.Where(d => !d.InDeck).Select(d => d.Role).Distinct(),
            Is.EquivalentTo(new[] { "cell.mpu1", "cell.mpd1", "cell.mpu2", "cell.mpd2" }));
        Assert.That(held.Devices.Count(d => !d.InDeck), Is.EqualTo(4 * 4));
    }

    [Test]
    public void When_StorageHeldOnADie_Expect_SumLinesWithinATenthOfAMillivoltOfTheLatchedCells()
    {
        using var engine = TestAssets.StartNgspice();
        // Three cycles of the 4-column staircase (1-bit level 2, the 2-bit settling cycle, 2-bit level 3) on a 60 mV die:
        // the held deck leaves the latches out, which must not move a settled sum line by more than Monte Carlo's 0.1 mV
        // accuracy bound (the default bench's 84 cycles are measured in docs/circuit.md).
        var staircase = new Staircase(4).Program;
        var program = new RowProgram(staircase.Key, [staircase.Cycles[2], staircase.Cycles[5], staircase.Cycles[9]]);
        // Both decks at the same coarse solver options (the comparison is of the decks; a 500 ps cap halves the test's time).
        var design = new ArrayDesign { Columns = 4, MaxStepSeconds = 500e-12, RelativeTolerance = 3e-4 };
        var latched = new RowBench(Technology.Ptm16Lp(), design, program);
        var held = new RowBench(Technology.Ptm16Lp(), design, program, storage: CellStorage.Held);
        var shifts = new double[latched.Devices.Count];
        VthDraws.Fill(5, 0, 0.06, shifts);
        var full = new RowSimulator(engine, latched).Run(shifts);
        var cut = new RowSimulator(engine, held).Run(shifts);
        for (int c = 0; c < full.Cycles; c++)
        {
            Assert.That(cut.SettledSlpVolts[c], Is.EqualTo(full.SettledSlpVolts[c]).Within(0.1e-3), $"SLP cycle {c}");
            Assert.That(cut.SettledSlnVolts[c], Is.EqualTo(full.SettledSlnVolts[c]).Within(0.1e-3), $"SLN cycle {c}");
        }
        TestContext.Out.WriteLine(string.Join(", ", Enumerable.Range(0, full.Cycles).Select(c => FormattableString.Invariant(
            $"cycle {c}: dSLP {(cut.SettledSlpVolts[c] - full.SettledSlpVolts[c]) * 1e6:F1} uV, dSLN {(cut.SettledSlnVolts[c] - full.SettledSlnVolts[c]) * 1e6:F1} uV"))));
    }

    [Test]
    public void When_DieNetlistRunByNgspiceCommandLine_Expect_SameSumLineVoltagesAsTheLibrary()
    {
        TestAssets.NgspiceCommand(); // ignored before any simulation where the command is missing
        using var engine = TestAssets.StartNgspice();
        // Three cycles of the 4-column staircase rather than all 13: 1-bit level 2, the 2-bit settling cycle (the LSB
        // rail drops to VPmax/2) and 2-bit level 3. The check is that one deck gives one answer on both paths, which
        // needs both element precisions and both rails, not every level; SavedDecksTests runs a whole staircase die.
        var staircase = new Staircase(4).Program;
        var program = new RowProgram(staircase.Key, [staircase.Cycles[2], staircase.Cycles[5], staircase.Cycles[9]]);
        var bench = new RowBench(Technology.Ptm16Lp(), new ArrayDesign { Columns = 4 }, program);
        var shifts = new double[bench.Devices.Count];
        VthDraws.Fill(5, 0, 0.06, shifts);
        // the library path parses the nominal deck once and alters delvto; the written deck carries them inline
        var library = new RowSimulator(engine, bench).Run(shifts);

        string path = Path.Combine(Path.GetTempPath(), $"mbi-die-{Guid.NewGuid():N}.cir");
        File.WriteAllText(path, bench.Write(shifts));
        try
        {
            var (_, output, _) = TestAssets.RunNgspiceBatch(path);
            var measured = Regex.Matches(output, @"^(sl[pn])_(\d+)\s*=\s*(\S+)", RegexOptions.Multiline)
                .ToDictionary(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)),
                              m => double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
            Assert.That(measured, Has.Count.EqualTo(2 * library.Cycles), output.Length > 2000 ? output[^2000..] : output);
            // Same engine, same deck: the only differences are .meas's printout (7 digits) and where it
            // interpolates; 20 uV is far below the 0.3 mV one 2-bit LSB step would move.
            for (int c = 0; c < library.Cycles; c++)
            {
                Assert.That(measured[("slp", c)], Is.EqualTo(library.SettledSlpVolts[c]).Within(20e-6), $"SLP cycle {c}");
                Assert.That(measured[("sln", c)], Is.EqualTo(library.SettledSlnVolts[c]).Within(20e-6), $"SLN cycle {c}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void When_UnselectedDataNotGiven_Expect_SameRandomRowsForTheSameSeedOnly()
    {
        var program = new Staircase(4).Program;
        var a = new RowBench(Technology.Ptm16Lp(), new ArrayDesign { Columns = 4 }, program).UnselectedKeys;
        var b = new RowBench(Technology.Ptm16Lp(), new ArrayDesign { Columns = 4 }, program).UnselectedKeys;
        var c = new RowBench(Technology.Ptm16Lp(), new ArrayDesign { Columns = 4, StoredDataSeed = 2 }, program).UnselectedKeys;
        Assert.That(a, Has.Count.EqualTo(31));
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
    }

    [Test]
    public void When_PapersSourceLineScheme_Expect_UnselectedSourceLinesAtVpMaxAndTheirSupplyReported()
    {
        var bench = new RowBench(Technology.Ptm16Lp(), new ArrayDesign { Columns = 4, RowSelect = RowSelect.SourceLineHigh }, new Staircase(4).Program);
        string text = bench.Write();
        Assert.That(text, Does.Contain(".subckt cell10t"));
        Assert.That(text, Does.Contain("vslu slu 0 DC 0.9"));
        Assert.That(bench.Supplies.Select(s => s.Name), Does.Contain("unselected_source_lines"), "its static current must be counted");
        Assert.That(bench.Devices, Has.Count.EqualTo(4 * 16 + 2));
    }
}

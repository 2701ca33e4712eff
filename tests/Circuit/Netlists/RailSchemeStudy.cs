using Mbi.Tests;
using System.Diagnostics;
using System.Globalization;
using Mbi.Circuit.Design;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Netlists;

/// <summary>
/// A measurement, not a check (explicit; run by hand, docs/circuit.md "Boosted rails or within VDD"): a short nominal
/// staircase of one design (1-bit levels 0, 1, 2, 15, 16, 31, 32 and 2-bit levels 0..3 and 45..48, in the staircase's
/// order so every cycle has the history it has in `mbi mc`), printing V_SLP + V_SLN per level and the adjacent steps,
/// and the gate stress. Used to choose the within-VDD design's sizes and timing before the full `mbi mc` runs.
/// Run: MBI_STUDY_DESIGN=$PWD/samples/designs/within-vdd.json dotnet test tests/Circuit --filter Name~MeasureShortStaircase
/// </summary>
[TestFixture, Explicit("a measurement of minutes"), Category("Measurement")]
public sealed class RailSchemeStudy
{
    [Test]
    public void MeasureShortStaircase()
    {
        string? path = Environment.GetEnvironmentVariable("MBI_STUDY_DESIGN");
        var design = path is null ? new CircuitDesign() : DesignFile.Read(path);
        var staircase = new Staircase(design.Array.Columns);
        int first2 = staircase.FirstCycle(2);
        int[] levels1 = [0, 1, 2, 15, 16, 31, 32];
        int[] levels2 = [0, 1, 2, 3, 45, 46, 47, 48];
        var picked = levels1.Select(l => l).Concat([first2 - 1]).Concat(levels2.Select(l => first2 + l)).ToList();
        var program = new RowProgram(staircase.Program.Key, picked.Select(i => staircase.Program.Cycles[i]).ToArray());
        var bench = new RowBench(design.Technology, design.Array, program);
        using var engine = TestAssets.StartNgspice();
        var clock = Stopwatch.StartNew();
        var result = new RowSimulator(engine, bench).Run();
        var inv = CultureInfo.InvariantCulture;
        TestContext.Out.WriteLine($"{path ?? "default design"}: {GateStress.Of(design.Technology, design.Array).Describe()}; cycle {design.Array.CycleSeconds * 1e9:F2} ns; {clock.Elapsed.TotalSeconds:F0} s");
        void Print(int mode, int[] levels, int offset)
        {
            for (int k = 0; k < levels.Length; k++)
            {
                double sum = result.SumVolts(offset + k);
                string step = k > 0 && levels[k] == levels[k - 1] + 1 ? string.Format(inv, ", step {0:F2} mV", (result.SumVolts(offset + k - 1) - sum) * 1e3) : "";
                TestContext.Out.WriteLine(string.Format(inv, "{0}-bit level {1,2}: V_SLP {2:F4} V, V_SLN {3:F4} V, sum {4:F4} V{5}",
                    mode, levels[k], result.SettledSlpVolts[offset + k], result.SettledSlnVolts[offset + k], sum, step));
            }
            double mean = (result.SumVolts(offset) - result.SumVolts(offset + levels.Length - 1)) / (levels[^1] - levels[0]);
            TestContext.Out.WriteLine(string.Format(inv, "{0}-bit mean step over levels {1}..{2}: {3:F2} mV", mode, levels[0], levels[^1], mean * 1e3));
        }
        Print(1, levels1, 0);
        Print(2, levels2, levels1.Length + 1);
    }

    /// <summary>
    /// The dies an interrupted `mbi mc` journalled (its nominal die is not journalled): per die and mode the smallest
    /// adjacent step of V_SLP + V_SLN, its level, and the mean step. Seed 1, sigma(Vth) 60 mV (the journal is refused
    /// if its fingerprint differs).
    /// Run: MBI_STUDY_DESIGN=/abs/design.json MBI_STUDY_JOURNAL=/abs/runs/mc/dies.journal MBI_STUDY_DIES=4 dotnet test tests/Circuit --filter ReadJournalledDies
    /// </summary>
    [Test]
    public void ReadJournalledDies()
    {
        string path = Environment.GetEnvironmentVariable("MBI_STUDY_DESIGN") ?? throw new InvalidOperationException("MBI_STUDY_DESIGN");
        string journalPath = Environment.GetEnvironmentVariable("MBI_STUDY_JOURNAL") ?? throw new InvalidOperationException("MBI_STUDY_JOURNAL");
        int samples = int.Parse(Environment.GetEnvironmentVariable("MBI_STUDY_DIES") ?? "4", CultureInfo.InvariantCulture);
        var design = DesignFile.Read(path);
        var staircase = new Staircase(design.Array.Columns);
        var bench = new RowBench(design.Technology, design.Array, staircase.Program);
        using var journal = DieJournal.Open(journalPath, DieJournal.Fingerprint(bench, 1, 0.060), samples, bench.Timings.Count, fresh: false);
        foreach (var die in journal.Completed.Values.OrderBy(d => d.Index))
        {
            if (die.Failed) { TestContext.Out.WriteLine($"die {die.Index}: failed: {die.Failure}"); continue; }
            foreach (int mode in new[] { 1, 2 })
            {
                int first = staircase.FirstCycle(mode), levels = staircase.LevelCount(mode);
                double Sum(int l) => die.SlpVolts[first + l] + die.SlnVolts[first + l];
                var steps = Enumerable.Range(0, levels - 1).Select(l => Sum(l) - Sum(l + 1)).ToArray();
                int at = Array.IndexOf(steps, steps.Min());
                TestContext.Out.WriteLine(string.Format(CultureInfo.InvariantCulture, "die {0} {1}-bit: smallest step {2:F2} mV (level {3}), mean {4:F2} mV",
                    die.Index, mode, steps[at] * 1e3, at, steps.Average() * 1e3));
            }
        }
    }
}

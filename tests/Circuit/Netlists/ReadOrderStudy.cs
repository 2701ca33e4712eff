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
/// A measurement, not a check (explicit; docs/circuit.md "Reading after a jump"): nominal staircase cycles read in a
/// chosen order (MBI_STUDY_ORDER, e.g. "1:0,1,2,15,16,2,15;2:0,1,2,3,45,46,3,45", a 2-bit section preceded by one
/// unreported settling cycle), printing per cycle V_SLP + V_SLN and the sum lines' voltages at the end of the precharge
/// phase (how far their reset got). Run: MBI_STUDY_DESIGN=/abs/design.json dotnet test tests/Circuit --filter Name~MeasureReadOrder
/// </summary>
[TestFixture, Explicit("a measurement of a minute"), Category("Measurement")]
public sealed class ReadOrderStudy
{
    [Test]
    public void MeasureReadOrder()
    {
        string? path = Environment.GetEnvironmentVariable("MBI_STUDY_DESIGN");
        string order = Environment.GetEnvironmentVariable("MBI_STUDY_ORDER") ?? "1:0,1,2,15,16,2,15,31,32,2,32;2:0,1,2,3,45,46,3,45";
        var design = path is null ? new CircuitDesign() : DesignFile.Read(path);
        var staircase = new Staircase(design.Array.Columns);
        var picked = new List<(int Mode, int Level, int Cycle)>();
        foreach (string section in order.Split(';'))
        {
            int mode = int.Parse(section[..section.IndexOf(':')], CultureInfo.InvariantCulture);
            int first = staircase.FirstCycle(mode);
            if (mode == 2) picked.Add((2, -1, first - 1));
            foreach (string l in section[(section.IndexOf(':') + 1)..].Split(','))
            {
                int level = int.Parse(l, CultureInfo.InvariantCulture);
                picked.Add((mode, level, first + level));
            }
        }
        var program = new RowProgram(staircase.Program.Key, picked.Select(p => staircase.Program.Cycles[p.Cycle]).ToArray());
        var bench = new RowBench(design.Technology, design.Array, program);
        string? deck = Environment.GetEnvironmentVariable("MBI_STUDY_DECK");
        if (deck is not null)
        {
            // only write the deck (to probe internal nodes by hand with ngspice -b)
            File.WriteAllText(deck, bench.Write());
            TestContext.Out.WriteLine($"wrote {deck}: cycles end at " + string.Join(", ", bench.Timings.Select(t => (t.Settle * 1e9).ToString("F3", CultureInfo.InvariantCulture))) + " ns (settle)");
            return;
        }
        using var engine = TestAssets.StartNgspice();
        var clock = Stopwatch.StartNew();
        var result = new RowSimulator(engine, bench).Run();
        var inv = CultureInfo.InvariantCulture;
        TestContext.Out.WriteLine($"{path ?? "default design"}: cycle {design.Array.CycleSeconds * 1e9:F2} ns; {clock.Elapsed.TotalSeconds:F0} s");
        var time = result.Time.ToArray();
        var slp = result.Slp.ToArray();
        var sln = result.Sln.ToArray();
        for (int i = 0; i < picked.Count; i++)
        {
            var timing = bench.Timings[i];
            double precharged = timing.EvalStart - design.Array.EdgeSeconds - design.Array.GapSeconds;
            TestContext.Out.WriteLine(string.Format(inv,
                "{0}-bit level {1,2}: sum {2:F4} V (SLP {3:F4}, SLN {4:F4}); at the end of precharge SLP {5:F4} V, SLN {6:F4} V; at share start SLP {7:F4} V, SLN {8:F4} V",
                picked[i].Mode, picked[i].Level, result.SumVolts(i), result.SettledSlpVolts[i], result.SettledSlnVolts[i],
                Waveform.At(time, slp, precharged), Waveform.At(time, sln, precharged),
                Waveform.At(time, slp, timing.ShareStart), Waveform.At(time, sln, timing.ShareStart)));
        }
    }

    /// <summary>
    /// The whole nominal staircase (1-bit levels 0..32, 2-bit 0..48) read in staircase order and in the random order of seed
    /// MBI_STUDY_SEED (default 1), per level the difference random - staircase of V_SLP + V_SLN and the level it followed.
    /// Run: MBI_STUDY_DESIGN=/abs/design.json MBI_STUDY_SEED=1 dotnet test tests/Circuit --filter Name~MeasureRandomAgainstStaircase
    /// </summary>
    [Test]
    public void MeasureRandomAgainstStaircase()
    {
        string? path = Environment.GetEnvironmentVariable("MBI_STUDY_DESIGN");
        ulong seed = ulong.Parse(Environment.GetEnvironmentVariable("MBI_STUDY_SEED") ?? "1", CultureInfo.InvariantCulture);
        var design = path is null ? new CircuitDesign() : DesignFile.Read(path);
        var staircase = new Staircase(design.Array.Columns);
        var random = new Staircase(design.Array.Columns, ReadOrder.Random, seed);
        using var engine = TestAssets.StartNgspice();
        var clock = Stopwatch.StartNew();
        var inOrder = new RowSimulator(engine, new RowBench(design.Technology, design.Array, staircase.Program)).Run();
        var shuffled = new RowSimulator(engine, new RowBench(design.Technology, design.Array, random.SimulatedProgram)).Run().Reordered(random.SimulatedCycle);
        var inv = CultureInfo.InvariantCulture;
        TestContext.Out.WriteLine($"{path ?? "default design"}: cycle {design.Array.CycleSeconds * 1e9:F2} ns; read-order seed {seed}; {clock.Elapsed.TotalSeconds:F0} s for both");
        var previousOf = new int[random.Levels.Count];
        for (int i = 0; i < previousOf.Length; i++) previousOf[random.SimulatedCycle(i)] = i;
        foreach (int mode in new[] { 1, 2 })
        {
            int first = staircase.FirstCycle(mode);
            double worst = 0, sumSquares = 0;
            int worstLevel = 0, n = staircase.LevelCount(mode);
            for (int l = 0; l < n; l++)
            {
                int at = random.SimulatedCycle(first + l);
                int before = at == 0 ? -1 : previousOf[at - 1];
                string after = before < 0 ? "warm-up" : random.Levels[before].Level < 0 ? "settling" : $"level {random.Levels[before].Level}";
                double d = shuffled.SumVolts(first + l) - inOrder.SumVolts(first + l);
                sumSquares += d * d;
                if (Math.Abs(d) > Math.Abs(worst)) { worst = d; worstLevel = l; }
                TestContext.Out.WriteLine(string.Format(inv, "{0}-bit level {1,2}: staircase {2:F5} V, random {3:F5} V (after {4}): {5:+0.000;-0.000} mV",
                    mode, l, inOrder.SumVolts(first + l), shuffled.SumVolts(first + l), after, d * 1e3));
            }
            TestContext.Out.WriteLine(string.Format(inv, "{0}-bit: largest |random - staircase| {1:F3} mV (level {2}), RMS {3:F3} mV over {4} levels",
                mode, Math.Abs(worst) * 1e3, worstLevel, Math.Sqrt(sumSquares / n) * 1e3, n));
        }
    }
}

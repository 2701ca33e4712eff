using System.Diagnostics;
using System.Globalization;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Transient;

/// <summary>
/// A measurement, not a check (explicit; its numbers are in docs/circuit.md): the default bench with its latches
/// (<see cref="CellStorage.Latched"/>) against the same bench with the storage nodes held at the rails
/// (<see cref="CellStorage.Held"/>, what mc simulates), at the default solver options, on the nominal die and on
/// MBI_STUDY_DIES Monte Carlo dies (seed 1, sigma(Vth) 60 mV). Prints the largest |dV| over every settled V_SLP and
/// V_SLN, each supply's charge change over all reported cycles, time points per cycle and CPU seconds per deck.
/// MBI_STUDY_PROGRAM=short runs the 13-cycle subset of <see cref="ConvergenceStudy"/>, =tiny three cycles (1-bit
/// levels 1 and 32, 2-bit level 48), unset all 84.
/// Run: MBI_STUDY_PROGRAM=tiny dotnet test tests/Circuit -c Release --filter HeldStorageStudy --logger "console;verbosity=detailed"
/// </summary>
[TestFixture, Explicit("a measurement of minutes"), Category("Measurement")]
public sealed class HeldStorageStudy
{
    [Test]
    public void MeasureHeldStorageAgainstTheLatchedCells()
    {
        TestAssets.RequireNgspice();
        string which = Environment.GetEnvironmentVariable("MBI_STUDY_PROGRAM") ?? "full";
        int dies = int.Parse(Environment.GetEnvironmentVariable("MBI_STUDY_DIES") ?? "1", CultureInfo.InvariantCulture);
        var staircase = new Staircase(32);
        var program = which switch
        {
            "short" => ConvergenceStudy.ShortProgram(staircase),
            "tiny" => new RowProgram(staircase.Program.Key, [staircase.Program.Cycles[1], staircase.Program.Cycles[32],
                staircase.Program.Cycles[staircase.FirstCycle(2) + 48]]),
            _ => staircase.Program,
        };
        var technology = Technology.Ptm16Lp();
        var latched = new RowBench(technology, new ArrayDesign(), program);
        var held = new RowBench(technology, new ArrayDesign(), program, storage: CellStorage.Held);
        var mismatch = new VthMismatch(0.060);
        TestContext.Out.WriteLine(FormattableString.Invariant($"program: {which}, {program.Cycles.Count} cycles + warm-up; nominal + {dies} dies; load average {LoadAverage()}"));
        using var engine = NgSpiceEngine.Start();
        var shifts = new double[latched.Devices.Count];
        for (int d = 0; d <= dies; d++)
        {
            if (d > 0) mismatch.Fill(latched, 1, d - 1, shifts);
            // Each deck is loaded right before its run: the engine simulates the circuit it loaded last.
            var (a, cpuA) = Timed(() => d == 0 ? new RowSimulator(engine, latched).Run() : new RowSimulator(engine, latched).Run(shifts));
            var (b, cpuB) = Timed(() => d == 0 ? new RowSimulator(engine, held).Run() : new RowSimulator(engine, held).Run(shifts));
            double worst = 0;
            for (int c = 0; c < a.Cycles; c++)
                worst = Math.Max(worst, Math.Max(Math.Abs(a.SettledSlpVolts[c] - b.SettledSlpVolts[c]), Math.Abs(a.SettledSlnVolts[c] - b.SettledSlnVolts[c])));
            string name = d == 0 ? "nominal" : $"die {d - 1}";
            int cycles = a.Cycles + latched.WarmUpCycles;
            TestContext.Out.WriteLine(FormattableString.Invariant(
                $"{name}: max |dV| {worst * 1e6:F2} uV; latched {a.Time.Count / (double)cycles:F1} points/cycle, {cpuA:F1} s CPU; held {b.Time.Count / (double)cycles:F1} points/cycle, {cpuB:F1} s CPU"));
            for (int s = 0; s < a.Supplies.Count; s++)
            {
                double qa = Total(a, s), qb = Total(b, s);
                TestContext.Out.WriteLine(FormattableString.Invariant(
                    $"  {a.Supplies[s].Name}: latched {qa * 1e15:F3} fC, held {qb * 1e15:F3} fC, change {(qa == 0 ? 0 : (qb - qa) / Math.Abs(qa) * 100):F3} %"));
            }
        }
    }

    private static (RowResult, double) Timed(Func<RowResult> run)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var result = run();
        return (result, (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
    }

    private static double Total(RowResult result, int supply)
    {
        double total = 0;
        for (int c = 0; c < result.Cycles; c++)
            foreach (var phase in Enum.GetValues<Phase>()) total += result.ChargeCoulombs(c, supply, phase);
        return total;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}

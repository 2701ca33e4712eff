using System.Diagnostics;
using System.Globalization;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using Mbi.Core.Units;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Transient;

/// <summary>
/// A measurement, not a check (explicit; run by hand, its numbers are in docs/circuit.md): how far the settled
/// sum-line voltages of the default bench move with ngspice's maximum time step and reltol, against a converged
/// reference (25 ps maximum step, reltol 1e-4). For each setting it runs the nominal die and
/// MBI_STUDY_DIES Monte Carlo dies (seed 1, sigma(Vth) 60 mV) and prints the largest |dV| over every settled
/// V_SLP and V_SLN, the time points per cycle and the CPU seconds of the run. MBI_STUDY_PROGRAM=short runs a
/// representative subset of the staircase (1-bit levels 0, 1, 16, 31, 32; the settling cycle; 2-bit levels
/// 0, 1, 2, 31, 32, 47, 48) instead of all 84 cycles; MBI_STUDY_SETTINGS="100ps/1e-3,50ps/1e-3" replaces the
/// candidate list (the reference always runs first); MBI_STUDY_REFERENCE="100ps/1e-3" replaces the reference (to compare
/// two settings with each other, e.g. what a change of defaults moves).
/// Run: MBI_STUDY_PROGRAM=short dotnet test tests/Circuit -c Release --filter ConvergenceStudy --logger "console;verbosity=detailed"
/// </summary>
[TestFixture, Explicit("a measurement of tens of minutes"), Category("Measurement")]
public sealed class ConvergenceStudy
{
    private static readonly (double MaxStepSeconds, double RelativeTolerance) Reference = (25e-12, 1e-4);

    /// <summary>The previous default (100 ps, 1e-3) first, then the new one (500 ps, 3e-4), then neighbours of each.</summary>
    private static readonly (double, double)[] Candidates =
        [(100e-12, 1e-3), (500e-12, 3e-4), (1e-9, 3e-4), (500e-12, 5e-4), (250e-12, 1e-3), (50e-12, 1e-3), (100e-12, 1e-2)];

    [Test]
    public void MeasureSettledVoltagesAgainstTheConvergedReference()
    {
        bool shortProgram = Environment.GetEnvironmentVariable("MBI_STUDY_PROGRAM") == "short";
        int dies = int.Parse(Environment.GetEnvironmentVariable("MBI_STUDY_DIES") ?? "1", CultureInfo.InvariantCulture);
        var candidates = Environment.GetEnvironmentVariable("MBI_STUDY_SETTINGS") is { Length: > 0 } list ? Parse(list) : Candidates;
        var referenceSetting = Environment.GetEnvironmentVariable("MBI_STUDY_REFERENCE") is { Length: > 0 } own ? Parse(own)[0] : Reference;
        var staircase = new Staircase(32);
        var program = shortProgram ? ShortProgram(staircase) : staircase.Program;
        var technology = Technology.Ptm16Lp();
        TestAssets.RequireNgspice();

        var reference = Run(technology, program, referenceSetting, dies);
        TestContext.Out.WriteLine(FormattableString.Invariant(
            $"program: {program.Cycles.Count} cycles + warm-up ({(shortProgram ? "short subset" : "full staircase")}); nominal + {dies} dies; load average {LoadAverage()}"));
        TestContext.Out.WriteLine("max step | reltol | time points per cycle | CPU s (all dies) | max |dV| vs reference, mV | at (die, cycle, line) | max supply charge change | DC-supply energy change");
        Print(referenceSetting, reference, reference);
        foreach (var setting in candidates) Print(setting, Run(technology, program, setting, dies), reference);
    }

    /// <summary>A subset of the staircase cycles: both ends and the middle of each mode, and the cycles after each rail change.</summary>
    internal static RowProgram ShortProgram(Staircase staircase)
    {
        int[] oneBit = [0, 1, 16, 31, 32];
        int[] twoBit = [-1, 0, 1, 2, 31, 32, 47, 48];
        var cycles = oneBit.Select(l => staircase.Program.Cycles[l])
            .Concat(twoBit.Select(l => staircase.Program.Cycles[staircase.FirstCycle(2) + l])).ToArray();
        return new RowProgram(staircase.Program.Key, cycles);
    }

    /// <param name="Charges">Per die, per supply: the charge it delivered over all reported cycles (every phase).</param>
    /// <param name="EnergyJoules">Per die: sum of charge x volts over the DC supplies (pulsed drivers, whose volts are NaN, left out).</param>
    private sealed record Outcome(double[][] Slp, double[][] Sln, double[][] Charges, string[] Supplies, double[] EnergyJoules,
        double TimePointsPerCycle, double CpuSeconds);

    private static Outcome Run(Technology technology, RowProgram program, (double MaxStep, double RelTol) setting, int dies)
    {
        var bench = new RowBench(technology, new ArrayDesign { MaxStepSeconds = setting.MaxStep, RelativeTolerance = setting.RelTol }, program);
        using var engine = NgSpiceEngine.Start();
        var simulator = new RowSimulator(engine, bench);
        var mismatch = new VthMismatch(0.060);
        var shifts = new double[bench.Devices.Count];
        var slp = new double[dies + 1][];
        var sln = new double[dies + 1][];
        var charges = new double[dies + 1][];
        var energies = new double[dies + 1];
        long points = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (int d = 0; d <= dies; d++)
        {
            if (d > 0) mismatch.Fill(bench, 1, d - 1, shifts);
            var result = simulator.Run(d == 0 ? default : shifts);
            slp[d] = [.. result.SettledSlpVolts];
            sln[d] = [.. result.SettledSlnVolts];
            charges[d] = [.. result.Supplies.Select((_, s) => TotalChargeCoulombs(result, s))];
            energies[d] = result.Supplies.Select((p, i) => double.IsNaN(p.Volts) ? 0 : charges[d][i] * p.Volts).Sum();
            points += result.Time.Count;
        }
        double seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        return new Outcome(slp, sln, charges, [.. bench.Supplies.Select(p => p.Name)], energies, points / (double)((dies + 1) * (program.Cycles.Count + bench.WarmUpCycles)), seconds);
    }

    /// <summary>The charge a supply delivered over every reported cycle and phase.</summary>
    private static double TotalChargeCoulombs(RowResult result, int supply)
    {
        double total = 0;
        for (int c = 0; c < result.Cycles; c++)
            foreach (var phase in Enum.GetValues<Phase>()) total += result.ChargeCoulombs(c, supply, phase);
        return total;
    }

    private static void Print((double MaxStep, double RelTol) setting, Outcome run, Outcome reference)
    {
        double worst = 0;
        string where = "-";
        for (int d = 0; d < run.Slp.Length; d++)
            for (int c = 0; c < run.Slp[d].Length; c++)
                foreach (var (line, value, exact) in new[] { ("SLP", run.Slp[d][c], reference.Slp[d][c]), ("SLN", run.Sln[d][c], reference.Sln[d][c]) })
                    if (Math.Abs(value - exact) > worst)
                    {
                        worst = Math.Abs(value - exact);
                        where = FormattableString.Invariant($"({(d == 0 ? "nominal" : $"die {d - 1}")}, {c}, {line})");
                    }
        // Supply charge: the largest relative change of any supply's total charge (supplies delivering > 1 fC).
        double worstCharge = 0;
        string chargeWhere = "-";
        for (int d = 0; d < run.Charges.Length; d++)
            for (int s = 0; s < run.Supplies.Length; s++)
            {
                double exact = reference.Charges[d][s];
                if (Math.Abs(exact) < 1e-15) continue;
                double relative = Math.Abs(run.Charges[d][s] - exact) / Math.Abs(exact);
                if (relative > worstCharge)
                {
                    worstCharge = relative;
                    chargeWhere = FormattableString.Invariant($"{run.Supplies[s]}: {run.Charges[d][s] * 1e15:F2} fC vs {exact * 1e15:F2} fC");
                }
            }
        double worstEnergy = 0;
        for (int d = 0; d < run.EnergyJoules.Length; d++)
            worstEnergy = Math.Max(worstEnergy, Math.Abs(run.EnergyJoules[d] - reference.EnergyJoules[d]) / Math.Abs(reference.EnergyJoules[d]));
        TestContext.Out.WriteLine(FormattableString.Invariant(
            $"{Engineering.Format(setting.MaxStep, "s")} | {setting.RelTol:G3} | {run.TimePointsPerCycle:F1} | {run.CpuSeconds:F1} | {worst * 1e3:F4} | {where} | {worstCharge * 100:F3} % ({chargeWhere}) | {worstEnergy * 100:F3} % of {run.EnergyJoules[0] * 1e15:F1} fJ"));
    }

    private static (double, double)[] Parse(string list) => [.. list.Split(',').Select(item =>
    {
        string[] parts = item.Split('/');
        return (Engineering.Parse(parts[0].Trim(), "s", "MBI_STUDY_SETTINGS"), double.Parse(parts[1], CultureInfo.InvariantCulture));
    })];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}

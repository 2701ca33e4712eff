using System.Diagnostics;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.MonteCarlo;

/// <summary>
/// A measurement, not a check (explicit; run by hand, docs/circuit.md): the 1-bit staircase (levels
/// 0..32) of a few Monte Carlo dies under sigma(Vth) = 60 mV for one row-select scheme, on the default
/// merged bench. Prints per die the smallest step, the 5-bit ADC code errors (LSB = the nominal mean
/// step, top = the nominal level 0) and the die's time.
/// Run: MBI_STUDY_SCHEME=SourceLineHigh MBI_STUDY_DIES=3 dotnet test tests/Circuit --filter RowSelectStudy
/// </summary>
[TestFixture, Explicit("a measurement of several minutes"), Category("Measurement")]
public sealed class RowSelectStudy
{
    [Test]
    public void MeasureOneBitStaircaseUnderVariation()
    {
        var scheme = Enum.Parse<RowSelect>(Environment.GetEnvironmentVariable("MBI_STUDY_SCHEME") ?? "RowGated");
        int dies = int.Parse(Environment.GetEnvironmentVariable("MBI_STUDY_DIES") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        var staircase = new Staircase(32);
        var program = new RowProgram(staircase.Program.Key, staircase.Program.Cycles.Take(33).ToArray());
        var bench = new RowBench(Technology.Ptm16Lp(), new ArrayDesign { RowSelect = scheme }, program);
        using var engine = TestAssets.StartNgspice();
        var clock = Stopwatch.StartNew();
        var nominal = new RowSimulator(engine, bench).Run();
        double nominalSeconds = clock.Elapsed.TotalSeconds;
        double lsb = (nominal.SumVolts(0) - nominal.SumVolts(32)) / 32;
        var adc = new SumLineAdc(5, nominal.SumVolts(0), lsb);
        double nominalMin = Enumerable.Range(0, 32).Min(l => nominal.SumVolts(l) - nominal.SumVolts(l + 1));
        TestContext.Out.WriteLine(FormattableString.Invariant(
            $"{scheme} nominal: mean step {lsb * 1e3:F2} mV, smallest {nominalMin * 1e3:F2} mV, {nominalSeconds:F0} s"));
        var outcomes = MonteCarloRunner.RunDies(bench, seed: 1, sigmaVolts: 0.060, samples: dies, workers: 1);
        double wall = clock.Elapsed.TotalSeconds - nominalSeconds;
        int errors = 0, readouts = 0;
        double smallest = double.MaxValue;
        foreach (var die in outcomes)
        {
            if (die.Failure is not null) { TestContext.Out.WriteLine($"die {die.Index}: failed: {die.Failure}"); continue; }
            double min = double.MaxValue;
            int dieErrors = 0;
            for (int level = 0; level <= 32; level++)
            {
                double sum = die.SlpVolts[level] + die.SlnVolts[level];
                if (level < 32) min = Math.Min(min, sum - die.SlpVolts[level + 1] - die.SlnVolts[level + 1]);
                if (adc.Convert(sum).Code != Math.Min(level, adc.MaxCode)) dieErrors++;
                readouts++;
            }
            errors += dieErrors;
            smallest = Math.Min(smallest, min);
            TestContext.Out.WriteLine(FormattableString.Invariant($"die {die.Index}: smallest step {min * 1e3:F2} mV, code errors {dieErrors}/33"));
        }
        TestContext.Out.WriteLine(FormattableString.Invariant(
            $"{scheme}, {dies} dies: smallest step {smallest * 1e3:F2} mV, code error rate {(double)errors / readouts:F3} ({errors}/{readouts}), {wall / dies:F0} s per die (wall, 1 worker)"));
    }
}

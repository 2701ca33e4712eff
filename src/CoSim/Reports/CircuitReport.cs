using Mbi.Circuit.Design;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Core.IO;
using Mbi.Core.Units;
using Mbi.CoSim.Reports.Svg;

namespace Mbi.CoSim.Reports;

/// <summary>The Monte Carlo summary of a row study: summary.json's object, samples.csv, the plots and netlists.</summary>
internal static class CircuitReport
{
    /// <summary>The paper's claim: the minimum sum-line step stays at or above 28 mV under sigma(Vth) = 60 mV.</summary>
    public const double PaperMinStepVolts = 0.028;

    public sealed record ModeSummary(int Levels, double NominalStepMeanVolts, double NominalStepMinVolts,
        double StepMeanVolts, double StepSigmaVolts, double StepMinVolts, int StepMinSample, int StepMinLevel,
        double AdcCodeErrorRate, double AdcLsbVolts, long Readouts, long CodeErrors, long SaturatedReadouts, long InvertedSteps);

    public sealed record Failure(int Sample, string Reason);

    public sealed record Summary(int Samples, int FailedSamples, ulong Seed, double SigmaVthVolts, double VpMaxVolts,
        double EvalWindowSeconds, double BitlineCapacitanceFarads, int Columns, int AdcBits, double AdcOffsetLsb,
        double AdcInlPeakLsb, string Technology, string NgspiceVersion, int Workers, double WallSeconds, int ResumedDies,
        double TransientsPerSecond, double PaperMinStepVolts, ModeSummary Bits1, ModeSummary Bits2, IReadOnlyList<Failure> Failures,
        DesignStamp Design, double? PelgromAvtVoltMeters, string Rails, double CycleSeconds, GateStressReport GateStress);

    /// <summary>The summary of a run of <paramref name="design"/> (recorded in it, so the run can be repeated).</summary>
    public static Summary Summarise(MonteCarloResult r, DesignStamp design)
    {
        var s = r.Settings;
        return new Summary(s.Samples, r.FailedSamples, s.Seed, s.SigmaVthVolts, s.Design.VpMaxVolts, s.Design.EvalWindowSeconds,
            s.Design.BitlineCapacitanceFarads, s.Design.Columns, s.AdcBits, s.AdcOffsetLsb, s.AdcInlPeakLsb, s.Technology.Name,
            r.EngineVersion, r.Workers, Math.Round(r.WallSeconds, 3), r.ResumedDies, Math.Round(r.TransientsPerSecond, 4), PaperMinStepVolts,
            Mode(r.Statistics(1)), Mode(r.Statistics(2)),
            r.Samples.Where(x => x.Failed).Select(x => new Failure(x.Index, x.Failure!)).ToList(), design, s.PelgromAvtVoltMeters,
            System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(s.Design.Rails.ToString()), s.Design.CycleSeconds,
            GateStressReport.Of(s.Technology, s.Design));
    }

    private static ModeSummary Mode(StepStatistics t) => new(t.Levels, t.NominalStepMeanVolts, t.NominalStepMinVolts,
        t.StepMeanVolts, t.StepSigmaVolts, t.StepMinVolts, t.StepMinSample, t.StepMinLevel, t.AdcCodeErrorRate, t.AdcLsbVolts,
        t.Readouts, t.CodeErrors, t.SaturatedReadouts, t.InvertedSteps);

    /// <summary>Writes samples.csv, summary.json, design.json, the plots and the nominal and worst-die netlists into <paramref name="folder"/>.</summary>
    public static void Write(MonteCarloResult r, Summary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        r.SamplesCsv().Save(Path.Combine(folder, "samples.csv"));
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.json"), ReportJson.Serialize(summary) + "\n");
        summary.Design.Save(folder);
        for (int mode = 1; mode <= 2; mode++)
        {
            LevelPlot(r, mode).Save(Path.Combine(folder, $"levels-bits{mode}.svg"));
            StepPlot(r, mode).Save(Path.Combine(folder, $"steps-bits{mode}.svg"));
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "nominal.cir"), r.Bench.Write());
        var worst = r.Statistics(1);
        if (worst.StepMinSample >= 0)
        {
            var shifts = new double[r.Bench.Devices.Count];
            // The same draws the run made: per-device sigmas under Pelgrom, one sigma otherwise.
            r.Settings.Mismatch.Fill(r.Bench, r.Settings.Seed, worst.StepMinSample, shifts);
            AtomicFile.WriteAllText(Path.Combine(folder, DeckFolder.DieName(worst.StepMinSample)), r.Bench.Write(shifts));
        }
    }

    /// <summary>Fig. 6(b): the distribution of V_SLP + V_SLN per distance level over all dies.</summary>
    private static SvgChart LevelPlot(MonteCarloResult r, int mode)
    {
        int first = r.Staircase.FirstCycle(mode), levels = r.Staircase.LevelCount(mode);
        var ok = r.Samples.Where(s => !s.Failed).ToList();
        var x = new List<double>(); var median = new List<double>(); var q1 = new List<double>(); var q3 = new List<double>();
        var low = new List<double>(); var high = new List<double>(); var nominal = new List<double>();
        for (int l = 0; l < levels; l++)
        {
            var v = ok.Select(s => s.SlpVolts[first + l] + s.SlnVolts[first + l]).Order().ToArray();
            nominal.Add(r.Nominal.SumVolts(first + l));
            x.Add(l);
            if (v.Length == 0) { median.Add(nominal[^1]); q1.Add(nominal[^1]); q3.Add(nominal[^1]); low.Add(nominal[^1]); high.Add(nominal[^1]); continue; }
            median.Add(Quantile(v, 0.5)); q1.Add(Quantile(v, 0.25)); q3.Add(Quantile(v, 0.75)); low.Add(v[0]); high.Add(v[^1]);
        }
        string what = mode == 1 ? "1-bit columns" : "2-bit elements";
        return new SvgChart($"V_SLP + V_SLN per distance level, {what} ({ok.Count} dies, {r.Settings.Mismatch})",
                "bit-weighted distance", "V_SLP + V_SLN (V)")
            .Boxes("dies (min, quartiles, max)", x, median, q1, q3, low, high, 0.6)
            .Line("nominal", x, nominal);
    }

    private static SvgChart StepPlot(MonteCarloResult r, int mode)
    {
        int first = r.Staircase.FirstCycle(mode), levels = r.Staircase.LevelCount(mode);
        var steps = new List<double>();
        foreach (var s in r.Samples.Where(s => !s.Failed))
            for (int l = 0; l + 1 < levels; l++)
                steps.Add(1e3 * (s.SlpVolts[first + l] + s.SlnVolts[first + l] - s.SlpVolts[first + l + 1] - s.SlnVolts[first + l + 1]));
        var chart = new SvgChart($"Adjacent-level steps of V_SLP + V_SLN, {(mode == 1 ? "1-bit columns" : "2-bit elements")}",
            "step (mV)", "count");
        chart.Histogram("steps", steps, 40);
        return chart;
    }

    private static double Quantile(double[] sorted, double p)
    {
        double pos = p * (sorted.Length - 1);
        int i = (int)Math.Floor(pos);
        return i + 1 < sorted.Length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}

using System.Text.Json.Serialization;
using Mbi.Circuit.Design;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Core.IO;
using Mbi.Core.Statistics;
using Mbi.Core.Units;
using Mbi.CoSim.Reports.Charts;

namespace Mbi.CoSim.Reports;

/// <summary>The Monte Carlo summary of a row study: summary.json's object, samples.csv, the plots and netlists.</summary>
internal static class CircuitReport
{
    public sealed record ModeSummary(int Levels, double NominalStepMeanVolts, double NominalStepMinVolts,
        double StepMeanVolts, double StepSigmaVolts, double StepMinVolts, int StepMinSample, int StepMinLevel,
        double AdcCodeErrorRate, double AdcLsbVolts, long Readouts, long CodeErrors, long SaturatedReadouts, long InvertedSteps)
    {
        /// <summary>The code error rate of the same readouts through the nominal ADC (no per-die ADC mismatch); absent when the design's ADC sigmas are zero.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? AdcCodeErrorRateWithoutAdcMismatch { get; init; }
        /// <summary>Code errors through the nominal ADC; absent when the design's ADC sigmas are zero.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public long? CodeErrorsWithoutAdcMismatch { get; init; }
    }

    /// <summary>The per-die ADC mismatch a run applied (<see cref="Circuit.Adc.AdcMismatch"/>): written only when it is not zero.</summary>
    public sealed record AdcMismatchSummary(double ComparatorOffsetSigmaLsb, double CapacitorMismatchRootFarads, double UnitCapacitanceFarads,
        double UnitCapacitorSigma, string Model);

    public sealed record Failure(int Sample, string Reason);

    /// <summary>
    /// What the run found. How this process ran (workers, wall time, dies read back, transients per second) is not a result:
    /// it goes to run.json (<see cref="RunLog"/>), so that summary.json is the same bytes for the same seed however the run
    /// was split, resumed or parallelised.
    /// </summary>
    public sealed record Summary(int Samples, int FailedSamples, ulong Seed, double SigmaVthVolts, double VpMaxVolts,
        double EvalWindowSeconds, double BitlineCapacitanceFarads, int Columns, int AdcBits, double AdcOffsetLsb,
        double AdcInlPeakLsb, string Technology, string NgspiceVersion, [property: JsonIgnore] int Workers, [property: JsonIgnore] double WallSeconds,
        [property: JsonIgnore] int ResumedDies, [property: JsonIgnore] double TransientsPerSecond, double PaperMinStepVolts, ModeSummary Bits1, ModeSummary Bits2, IReadOnlyList<Failure> Failures,
        DesignStamp Design, double? PelgromAvtVoltMeters, string Rails, double CycleSeconds, GateStressReport GateStress, string ReadOrder = "staircase")
    {
        /// <summary>The per-die ADC mismatch applied to every code; absent when the design's ADC sigmas are zero (the nominal ADC reads every die).</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public AdcMismatchSummary? AdcMismatch { get; init; }

        /// <summary>How the dies drove their lines: "replayed" (the nominal die's recorded driver outputs) or "simulated".</summary>
        public string Drivers { get; init; } = "simulated";
    }

    /// <summary>run.json: how the process that wrote a report ran; it differs between runs of the same seed, the results do not.</summary>
    public sealed record RunLog(int Workers, double WallSeconds, int ResumedDies, double TransientsPerSecond)
    {
        public const string FileName = "run.json";
    }

    /// <summary>The summary of a run of <paramref name="design"/> (recorded in it, so the run can be repeated).</summary>
    public static Summary Summarise(MonteCarloResult r, DesignStamp design)
    {
        var s = r.Settings;
        return new Summary(s.Samples, r.FailedSamples, s.Seed, s.SigmaVthVolts, s.Design.VpMaxVolts, s.Design.EvalWindowSeconds,
            s.Design.BitlineCapacitanceFarads, s.Design.Columns, s.AdcBits, s.AdcOffsetLsb, s.AdcInlPeakLsb, s.Technology.Name,
            r.EngineVersion, r.Workers, Math.Round(r.WallSeconds, 3), r.ResumedDies, Math.Round(r.TransientsPerSecond, 4), PaperFigures.MinSumLineStepVolts,
            Mode(r.Statistics(1)), Mode(r.Statistics(2)),
            r.Samples.Where(x => x.Failed).Select(x => new Failure(x.Index, x.Failure!)).ToList(), design, s.PelgromAvtVoltMeters,
            System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(s.Design.Rails.ToString()), s.Design.CycleSeconds,
            GateStressReport.Of(s.Technology, s.Design), System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(s.ReadOrder.ToString()))
        {
            Drivers = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(s.Drivers.ToString()),
            AdcMismatch = s.Adc.Mismatch is { IsZero: false } m
                ? new AdcMismatchSummary(m.ComparatorOffsetSigmaLsb, m.CapacitorMismatchRootFarads, m.UnitCapacitanceFarads, m.UnitCapacitorSigma,
                    "per die: comparator offset ~ N(0, sigma) in LSB of the 1-bit mode's ADC (the same voltage in the 2-bit mode's smaller LSB), " +
                    "each DAC capacitor of 2^i units ~ (1 + N(0, sigma_u / sqrt(2^i))) in the SAR's binary search; seeded by (seed, die, adc 0)")
                : null,
        };
    }

    private static ModeSummary Mode(StepStatistics t) => new(t.Levels, t.NominalStepMeanVolts, t.NominalStepMinVolts,
        t.StepMeanVolts, t.StepSigmaVolts, t.StepMinVolts, t.StepMinSample, t.StepMinLevel, t.AdcCodeErrorRate, t.AdcLsbVolts,
        t.Readouts, t.CodeErrors, t.SaturatedReadouts, t.InvertedSteps)
    {
        AdcCodeErrorRateWithoutAdcMismatch = t.AdcCodeErrorRateWithoutAdcMismatch,
        CodeErrorsWithoutAdcMismatch = t.CodeErrorsWithoutAdcMismatch,
    };

    /// <summary>Writes samples.csv, summary.json, run.json, design.json, the plots and the nominal and worst-die netlists into <paramref name="folder"/>.</summary>
    public static void Write(MonteCarloResult r, Summary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        r.SamplesCsv().Save(Path.Combine(folder, "samples.csv"));
        AtomicFile.WriteAllText(Path.Combine(folder, "summary.json"), ReportJson.Serialize(summary) + "\n");
        AtomicFile.WriteAllText(Path.Combine(folder, RunLog.FileName), ReportJson.Serialize(
            new RunLog(summary.Workers, summary.WallSeconds, summary.ResumedDies, summary.TransientsPerSecond)) + "\n");
        summary.Design.Save(folder);
        StaircaseFigure.WriteRun(r, folder);
        // The decks a user reruns: every driver chain simulated (the nominal die's deck; the worst die's with its shifts). A run
        // with replayed drivers simulated that die with the recordings instead (within 0.1 mV; --save-decks keeps those decks).
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
}

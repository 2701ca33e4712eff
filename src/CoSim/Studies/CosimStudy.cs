using Mbi.Algorithm.Memorization;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Design;
using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Statistics;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Reports;
using Mbi.CoSim.Reports.Charts;
using Mbi.Core.IO;
using Mbi.Core.Progress;
using Mbi.Core.Units;

namespace Mbi.CoSim.Studies;

/// <summary>
/// Circuit-in-the-loop MBI on Monte Carlo dies (`mbi cosim`): per coding, the accuracy distribution over dies,
/// the fraction of lookups whose winner changed, and the energy of the arrays that ran them.
/// </summary>
internal static class CosimStudy
{
    /// <summary>How the process ran (per coding: characterisation and wall seconds): differs between runs, never compared.</summary>
    public const string RunLogFileName = "run.json";

    /// <summary>Runs <paramref name="dies"/> Monte Carlo dies of one coding through the compact model and prices the ideal
    /// arrays' lookups with the same accountant as `mbi energy` (<see cref="EnergyReport.Price"/>: array, decoder, ADC
    /// <paramref name="adc"/>, logic, leakage; ngspice points cached in <paramref name="energyCache"/>). The compact model uses
    /// the design's ADC resolution and, per die and per array, the design's ADC mismatch (adc.comparator_offset_sigma_lsb,
    /// adc.capacitor_mismatch_root_farads; every die is then also read through the nominal ADCs); its static offset and INL are
    /// applied only by the SPICE Monte Carlo. Dies in <paramref name="journal"/> are read back, new ones appended. With a
    /// learned <paramref name="gate"/> mixed MBI is that gate's on every die's own lookups (<see cref="VariationStudy.RunDie"/>),
    /// the images not served take <paramref name="fallbackClasses"/> (null: the setup's RAM), and the gate's logic (and its
    /// image check, if it has one) is priced as `mbi energy --gate learned` prices it.</summary>
    public static CodingResult Run(LookupSetup setup, EnergyConfig config, CompactCalibration calibration, CircuitDesign design,
        int dies, double sigma, ulong seed, double threshold, int workers, IProgress<ProgressUpdate> progress,
        AdcModel adc = AdcModel.Spice, string? energyCache = null, CosimJournal? journal = null, PassesPlan? passes = null, int vote = 1,
        LearnedGate? gate = null, int[]? fallbackClasses = null)
    {
        var summary = VariationStudy.Run(setup, calibration, dies, sigma, seed, threshold, design.Adc.Bits, workers, progress, design.Adc.Mismatch,
            null, journal, passes ?? PassesPlan.One, vote, gate, fallbackClasses);
        var ideal = summary.Ideal;
        // The ADC is priced at the design's resolution (--adc-bits), the resolution the compact model converts with; k value rows per lookup.
        var spec = setup.Table.Spec;
        var priced = EnergyReport.Price(setup, config.WithAdcBits(design.Adc.Bits), design, seed, ideal, adc, energyCache, vote: vote,
            learnedGate: gate is not null,
            imageCheck: gate?.Check is { } check ? ImageCheckCost.Linear(spec.ImageSize * spec.ImageSize, spec.Classes, check.WeightBits) : null);
        var comparison = priced.Comparison;
        return new CodingResult(setup.Mapping.Coding.ToString().ToLowerInvariant(), setup.Mapping.SplitCount, setup.Mapping.Describe(),
            ideal.MbiAccuracy, ideal.MixedAccuracy, ideal.MbiFraction,
            summary.MeanMbiAccuracy, summary.WorstMbiAccuracy, summary.P5MbiAccuracy,
            summary.MeanMixedAccuracy, summary.WorstMixedAccuracy, summary.P5MixedAccuracy,
            summary.WinnerChangedFraction, summary.Dies.Sum(d => d.SaturatedReadouts) / (double)Math.Max(1, summary.Dies.Sum(d => d.SplitComparisons)),
            priced.PerComparisonJoules, priced.PerInferenceJoules, calibration.CharacterisationSeconds, summary.WallSeconds, summary.Dies,
            priced.DynamicPerInferenceJoules, priced.LeakagePerInferenceJoules, priced.Bands.AdcModel)
        {
            WithoutAdcMismatch = summary.DiesWithoutAdcMismatch is { } nominalAdc ? AccuracyOver(nominalAdc) : null,
            ServedOverDies = gate is null ? null : new ServedOverDies(summary.Dies.Average(d => d.MbiFraction), summary.Dies.Min(d => d.MbiFraction),
                summary.Dies.Max(d => d.MbiFraction)),
        };
    }

    /// <summary>The dies of <paramref name="shard"/> only, journalled for `mbi merge` (no ideal-array pricing, no report).</summary>
    public static int RunShard(LookupSetup setup, CompactCalibration calibration, CircuitDesign design, int dies, double sigma, ulong seed,
        double threshold, int workers, IProgress<ProgressUpdate> progress, Shard shard, CosimJournal journal, PassesPlan? passes = null, int vote = 1,
        LearnedGate? gate = null, int[]? fallbackClasses = null) =>
        VariationStudy.Run(setup, calibration, dies, sigma, seed, threshold, design.Adc.Bits, workers, progress, design.Adc.Mismatch, shard, journal,
            passes ?? PassesPlan.One, vote, gate, fallbackClasses).Dies.Count;

    private static DieAccuracy AccuracyOver(IReadOnlyList<DieOutcome> dies) => new(
        dies.Average(d => d.MbiAccuracy), dies.Min(d => d.MbiAccuracy), Distribution.Percentile(dies.Select(d => d.MbiAccuracy), 0.05),
        dies.Average(d => d.MixedAccuracy), dies.Min(d => d.MixedAccuracy), Distribution.Percentile(dies.Select(d => d.MixedAccuracy), 0.05),
        dies.Sum(d => d.WinnerChanged) / (double)Math.Max(1, dies.Sum(d => d.Lookups)));

    /// <summary>Writes dies.csv, summary.json (without the per-die rows), design.json and the accuracy histogram into <paramref name="dir"/>.</summary>
    public static void Write(string dir, CosimReport report)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, RunLogFileName), ReportJson.Serialize(report.Codings.Select(c => new
        {
            c.Coding, c.CharacterisationSeconds, c.WallSeconds,
        }).ToList()) + "\n");
        var csv = new CsvWriter("coding", "die", "mbi_accuracy", "mixed_accuracy", "mbi_fraction", "lookups", "winner_changed", "saturated_readouts");
        foreach (var c in report.Codings)
            foreach (var d in c.PerDie)
                csv.Row(c.Coding, d.Die, d.MbiAccuracy, d.MixedAccuracy, d.MbiFraction, d.Lookups, d.WinnerChanged, d.SaturatedReadouts);
        csv.Save(Path.Combine(dir, "dies.csv"));
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.json"), ReportJson.Serialize(report with { Codings = report.Codings.Select(c => c with { PerDie = [] }).ToList() }));
        Chart.Save(AlgorithmFigures.AccuracyOverDies($"Lookup-only MBI accuracy over {report.Dies} dies, sigma(Vth) {Engineering.Format(report.SigmaVthVolts, "V")}",
            [.. report.Codings.Select(c => (c.Coding, (IReadOnlyList<double>)[.. c.PerDie.Select(d => d.MbiAccuracy)], (double?)c.IdealMbiAccuracy))]), dir, "accuracy-histogram");
        report.Design.Save(dir);
    }
}

/// <summary>
/// One coding's result. How the process ran (characterisation and wall time) is not a result: it goes to run.json
/// (<see cref="CosimStudy.RunLogFileName"/>), so that summary.json is the same bytes however the run was split or resumed.
/// </summary>
internal sealed record CodingResult(string Coding, int Splits, string Mapping, double IdealMbiAccuracy, double IdealMixedAccuracy, double IdealMbiFraction,
    double MeanMbiAccuracy, double WorstMbiAccuracy, double P5MbiAccuracy, double MeanMixedAccuracy, double WorstMixedAccuracy, double P5MixedAccuracy,
    double WinnerChangedFraction, double SaturatedFraction, double EnergyPerComparisonJoules, double EnergyPerInferenceJoules,
    [property: System.Text.Json.Serialization.JsonIgnore] double CharacterisationSeconds, [property: System.Text.Json.Serialization.JsonIgnore] double WallSeconds,
    IReadOnlyList<DieOutcome> PerDie, double DynamicPerInferenceJoules, double LeakagePerInferenceJoules, string AdcModel)
{
    /// <summary>The same dies through the nominal ADCs (no per-die ADC mismatch); absent when the design's ADC sigmas are zero.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DieAccuracy? WithoutAdcMismatch { get; init; }

    /// <summary>
    /// With a learned gate (`cosim --gate`): the share of images its scores serve by lookups over the dies (the ideal arrays'
    /// is <see cref="IdealMbiFraction"/>); absent otherwise, so every other run's JSON is what it was.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ServedOverDies? ServedOverDies { get; init; }
}

/// <summary>Mixed MBI's share of images served by lookups over dies: the mean, the die serving the fewest and the die serving the most.</summary>
internal sealed record ServedOverDies(double Mean, double Fewest, double Most);

/// <summary>
/// How mixed MBI decided and what took the images it did not serve, when not the defaults (the distance threshold, the
/// --model's classes): <paramref name="Gate"/> "learned" (`cosim --gate FILE`, <paramref name="GateFile"/>) or "distance",
/// <paramref name="Threshold"/> T (a learned gate serves an image when its score is &lt;= T), <paramref name="Fallback"/> the
/// network file or "image check" (`--fallback-check`: the gate file's linear check), and that fallback's accuracy alone on the test images.
/// </summary>
internal sealed record MixedGateSettings(string Gate, string? GateFile, double Threshold, string Fallback, string? FallbackConfig, double FallbackAccuracy)
{
    /// <summary>Bits of the learned gate's regression (8: fixed point, 64: double); null for the distance gate.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? RegressionBits { get; init; }
}

/// <summary>Accuracy over dies (mean, worst, 5th percentile) for lookup-only and mixed MBI, and the winner-changed fraction.</summary>
internal sealed record DieAccuracy(double MeanMbiAccuracy, double WorstMbiAccuracy, double P5MbiAccuracy,
    double MeanMixedAccuracy, double WorstMixedAccuracy, double P5MixedAccuracy, double WinnerChangedFraction);

internal sealed record CosimReport(ulong Seed, double SigmaVthVolts, int Dies, int Images, int LutRows, string Lut, IReadOnlyList<CodingResult> Codings,
    DesignStamp Design)
{
    /// <summary>Passes asked for per image (`cosim --passes M`): lookup-only accuracies are the passes' vote, lookups and energy the passes run (fewer with a stop); mixed MBI is the first pass's.</summary>
    public int Passes { get; init; } = 1;

    /// <summary>Keys voting per glimpse (`cosim --vote k`): every die's arrays keep the k nearest rows they compare.</summary>
    public int Vote { get; init; } = 1;

    /// <summary>`cosim --stop-distance D` (null: none): on each die, images whose first pass matched within D stop there.</summary>
    public double? StopDistance { get; init; }

    /// <summary>`cosim --stop-margin m` (null: none): on each die, an image stops once its passes' vote leads by m.</summary>
    public double? StopMargin { get; init; }

    /// <summary>
    /// Mixed MBI's gate and fallback when not the distance threshold with the --model's classes (`cosim --gate`, `--fallback-model`,
    /// `--fallback-check`): then every mixed figure (ideal, per die, dies.csv) is that gate's, with that fallback. Null otherwise
    /// (left out of the JSON, so every other run's bytes are what they were).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public MixedGateSettings? MixedGate { get; init; }
}

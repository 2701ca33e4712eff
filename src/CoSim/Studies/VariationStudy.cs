using Mbi.Algorithm.Memorization;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Mapping;
using Mbi.Core.Progress;
using Mbi.Core.Statistics;

namespace Mbi.CoSim.Studies;

/// <summary>One die (or the ideal arrays, Die = -1): lookup-only and mixed MBI accuracy, and what the lookups cost.</summary>
public sealed record DieOutcome(int Die, double MbiAccuracy, double MixedAccuracy, double MbiFraction, long Lookups,
    long WinnerChanged, long Levels, long RowsScanned, long SplitComparisons, long SaturatedReadouts)
{
    /// <summary>Fraction of lookups whose winning row differs from the ideal arrays'.</summary>
    public double WinnerChangedFraction => Lookups == 0 ? 0 : WinnerChanged / (double)Lookups;
}

/// <summary>Distribution of accuracy over dies beside the ideal arrays.</summary>
public sealed record VariationSummary(DieOutcome Ideal, IReadOnlyList<DieOutcome> Dies, double SigmaVthVolts, ulong Seed, double Threshold,
    double WallSeconds)
{
    /// <summary>Lookup-only accuracy, mean over dies.</summary>
    public double MeanMbiAccuracy => Dies.Average(d => d.MbiAccuracy);
    /// <summary>Lookup-only accuracy of the worst die.</summary>
    public double WorstMbiAccuracy => Dies.Min(d => d.MbiAccuracy);
    /// <summary>Lookup-only accuracy, 5th percentile over dies.</summary>
    public double P5MbiAccuracy => Distribution.Percentile(Dies.Select(d => d.MbiAccuracy), 0.05);
    /// <summary>Mixed MBI accuracy, mean over dies.</summary>
    public double MeanMixedAccuracy => Dies.Average(d => d.MixedAccuracy);
    /// <summary>Mixed MBI accuracy of the worst die.</summary>
    public double WorstMixedAccuracy => Dies.Min(d => d.MixedAccuracy);
    /// <summary>Mixed MBI accuracy, 5th percentile over dies.</summary>
    public double P5MixedAccuracy => Distribution.Percentile(Dies.Select(d => d.MixedAccuracy), 0.05);
    /// <summary>Fraction of all dies' lookups whose winning row differs from the ideal arrays'.</summary>
    public double WinnerChangedFraction => Dies.Sum(d => d.WinnerChanged) / (double)Math.Max(1, Dies.Sum(d => d.Lookups));
}

/// <summary>
/// Accuracy under variation: every die gets its own delta-Vth on every transistor of every array (compact
/// model, drawn lazily per array from (seed, die, array)); each die classifies the same test images by
/// circuit-in-the-loop lookups; mixed MBI sends images whose worst match exceeds the threshold to the RAM
/// (its classes do not depend on the die). Dies run in parallel; results do not depend on the worker count.
/// </summary>
public static class VariationStudy
{
    /// <summary>Runs <paramref name="dies"/> compact-model dies at sigma(Vth) <paramref name="sigmaVolts"/> (volts) and the ideal arrays over the setup's test images; mixed MBI at <paramref name="threshold"/>.</summary>
    public static VariationSummary Run(LookupSetup setup, CompactCalibration calibration, int dies, double sigmaVolts, ulong seed,
        double threshold, int adcBits, int workers, IProgress<ProgressUpdate>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int[] ramClasses = MbiEvaluation.RunModel(setup.Model, setup.Test);
        var ideal = RunDie(setup, new IdealArrayModel(), -1, ramClasses, threshold);
        var outcomes = new DieOutcome[dies];
        int done = 0;
        Parallel.For(0, dies, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) }, die =>
        {
            var model = new CompactArrayModel(calibration, adcBits, seed, die, sigmaVolts);
            outcomes[die] = RunDie(setup, model, die, ramClasses, threshold);
            progress?.Report(new ProgressUpdate("dies", Interlocked.Increment(ref done), dies));
        });
        return new VariationSummary(ideal, outcomes, sigmaVolts, seed, threshold, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Classifies the setup's test images with one die's arrays (<paramref name="model"/>); <paramref name="ramClasses"/> are the RAM's classes for mixed MBI (<see cref="MbiEvaluation.RunModel"/>).</summary>
    public static DieOutcome RunDie(LookupSetup setup, IArrayModel model, int die, int[] ramClasses, double threshold)
    {
        var search = new CircuitTreeSearch(setup.Mapped, model);
        var classifier = new MbiClassifier(setup.Table, new Mbi.Algorithm.Ram.QuantizedGlimpseSensor(setup.Table.Spec), search);
        var run = MbiEvaluation.Run(classifier, setup.Test);
        var labels = setup.Test.Labels;
        var mixed = MbiEvaluation.Mixed(run, ramClasses, labels, threshold);
        return new DieOutcome(die, run.Accuracy(labels), mixed.Accuracy, mixed.MbiFraction, search.Lookups, search.WinnerChanged,
            search.Levels, search.RowsScanned, search.SplitComparisons, model.SaturatedReadouts);
    }
}

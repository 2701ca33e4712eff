using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Circuit.Adc;
using Mbi.Circuit.MonteCarlo;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Mapping;
using Mbi.Core.Progress;
using Mbi.Core.Statistics;

namespace Mbi.CoSim.Studies;

/// <summary>
/// One die (or the ideal arrays, Die = -1): lookup-only and mixed MBI accuracy, and what the lookups cost. Mixed MBI is
/// the run's gate: the distance threshold, or with a learned gate (`cosim --gate`) that gate's scores from this die's lookups.
/// </summary>
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

    /// <summary>
    /// The same dies read through the nominal ADCs (their arrays' delta-Vth, no per-die ADC offset or capacitor errors): the
    /// arrays' own share of the loss. Null when the run had no ADC mismatch (then <see cref="Dies"/> are those).
    /// </summary>
    public IReadOnlyList<DieOutcome>? DiesWithoutAdcMismatch { get; init; }
}

/// <summary>
/// Accuracy under variation: every die gets its own delta-Vth on every transistor of every array (compact
/// model, drawn lazily per array from (seed, die, array)); each die classifies the same test images by
/// circuit-in-the-loop lookups; mixed MBI sends images whose worst match exceeds the threshold to the RAM, or with a
/// <see cref="LearnedGate"/> those whose gate score (computed from that die's own lookups: its distances, votes and classes)
/// exceeds it, to the fallback network (its classes do not depend on the die). Dies run in parallel; results do not depend
/// on the worker count.
/// </summary>
public static class VariationStudy
{
    /// <summary>Runs <paramref name="dies"/> compact-model dies at sigma(Vth) <paramref name="sigmaVolts"/> (volts) and the ideal arrays over the setup's test images; mixed MBI at <paramref name="threshold"/>.</summary>
    /// <param name="adcMismatch">Per-die ADC offset and capacitor errors (<see cref="AdcMismatch"/>); when not zero every die is
    /// also run through the nominal ADCs (<see cref="VariationSummary.DiesWithoutAdcMismatch"/>).</param>
    public static VariationSummary Run(LookupSetup setup, CompactCalibration calibration, int dies, double sigmaVolts, ulong seed,
        double threshold, int adcBits, int workers, IProgress<ProgressUpdate>? progress = null, AdcMismatch? adcMismatch = null) =>
        Run(setup, calibration, dies, sigmaVolts, seed, threshold, adcBits, workers, progress, adcMismatch, null, null, PassesPlan.One);

    /// <summary>
    /// As above, for `mbi cosim`'s shards and journal, every die (and the ideal arrays) classifying in the <paramref name="passes"/>
    /// of <see cref="RunDie"/>, <paramref name="vote"/> keys voting per glimpse.
    /// </summary>
    /// <param name="shard">Run only the dies this shard owns (the summary's dies are those); null: all.</param>
    /// <param name="journal">Dies in it are read back, each new one is appended (<see cref="CosimJournal"/>); null: none.</param>
    /// <param name="gate">Mixed MBI's learned gate (one pass; <paramref name="threshold"/> is then its score threshold), or null: the distance threshold.</param>
    /// <param name="fallbackClasses">The class of every test image from the network that takes the images mixed MBI does not
    /// serve (`--fallback-model`, or the gate's image check); null: the setup's RAM (<see cref="MbiEvaluation.RunModel"/>).</param>
    internal static VariationSummary Run(LookupSetup setup, CompactCalibration calibration, int dies, double sigmaVolts, ulong seed,
        double threshold, int adcBits, int workers, IProgress<ProgressUpdate>? progress, AdcMismatch? adcMismatch,
        Shard? shard, CosimJournal? journal, PassesPlan passes, int vote = 1, LearnedGate? gate = null, int[]? fallbackClasses = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (gate is not null && passes.Passes > 1)
            throw new ArgumentException($"mixed MBI with a learned gate runs one pass (its features are one pass's lookups), not {passes.Passes}", nameof(passes));
        if (fallbackClasses is not null && fallbackClasses.Length != setup.Test.Count)
            throw new ArgumentException($"{fallbackClasses.Length} fallback classes for {setup.Test.Count} test images", nameof(fallbackClasses));
        int[] ramClasses = fallbackClasses ?? MbiEvaluation.RunModel(setup.Model, setup.Test);
        var ideal = RunDie(setup, new IdealArrayModel(), -1, ramClasses, threshold, passes, vote, gate);
        bool varies = adcMismatch is { IsZero: false };
        var outcomes = new DieOutcome[dies];
        var without = new DieOutcome?[dies];
        if (journal is not null)
            foreach (var (die, (w, n)) in journal.Completed)
                if ((shard?.Owns(die) ?? true) && (n is not null) == varies) { outcomes[die] = w; without[die] = n; }
        int[] todo = [.. Enumerable.Range(0, dies).Where(i => outcomes[i] is null && (shard?.Owns(i) ?? true))];
        int owned = shard?.OwnedOf(dies) ?? dies, done = owned - todo.Length;
        Parallel.For(0, todo.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) }, t =>
        {
            int die = todo[t];
            outcomes[die] = RunDie(setup, new CompactArrayModel(calibration, adcBits, seed, die, sigmaVolts, adcMismatch: adcMismatch), die, ramClasses, threshold, passes, vote, gate);
            if (varies) without[die] = RunDie(setup, new CompactArrayModel(calibration, adcBits, seed, die, sigmaVolts), die, ramClasses, threshold, passes, vote, gate);
            journal?.Append(outcomes[die], without[die]);
            progress?.Report(new ProgressUpdate("dies", Interlocked.Increment(ref done), owned));
        });
        bool Mine(int i) => shard?.Owns(i) ?? true;
        return new VariationSummary(ideal, [.. outcomes.Where((_, i) => Mine(i))], sigmaVolts, seed, threshold, clock.Elapsed.TotalSeconds)
        {
            DiesWithoutAdcMismatch = varies ? [.. without.Where((_, i) => Mine(i)).Select(d => d!)] : null,
        };
    }

    /// <summary>
    /// Classifies the setup's test images with one die's arrays (<paramref name="model"/>); <paramref name="ramClasses"/> are the RAM's classes for mixed MBI
    /// (<see cref="MbiEvaluation.RunModel"/>). With several <paramref name="passes"/> the lookups run in passes, pass k with the sensor
    /// offset by <see cref="Mbi.Algorithm.Ram.EvaluationPasses"/> (`infer --passes`), with the plan's early stops
    /// (<see cref="MbiEvaluation.RunPassesStopping"/>): the counts are every pass run, the lookup-only accuracy the passes' vote
    /// (<see cref="MbiEvaluation.VotePasses"/>), and mixed MBI stays the first pass's. Null: one pass.
    /// </summary>
    /// <param name="vote">Keys voting per glimpse (`--vote k`): the arrays keep the k nearest rows they compare; 1 = the nearest alone.</param>
    /// <param name="gate">Mixed MBI's learned gate, or null: the distance threshold. With a gate the die runs one pass with the
    /// trace the gate reads (<see cref="GatedLookups"/>), and an image is served by lookups when the gate's score of this die's
    /// lookups is within <paramref name="threshold"/>, as `infer --gate` decides (<paramref name="ramClasses"/> are then the fallback's).</param>
    public static DieOutcome RunDie(LookupSetup setup, IArrayModel model, int die, int[] ramClasses, double threshold, PassesPlan? passes = null, int vote = 1,
        LearnedGate? gate = null)
    {
        var search = new CircuitTreeSearch(setup.Mapped, model);
        var labels = setup.Test.Labels;
        double lookupOnly;
        MixedPoint mixed;
        if (gate is null)
        {
            var passesRun = MbiEvaluation.RunPasses(setup.Table, search, vote, setup.Test, passes ?? PassesPlan.One);
            lookupOnly = passesRun.Accuracy(labels);
            mixed = MbiEvaluation.Mixed(passesRun.Runs[0], ramClasses, labels, threshold);
        }
        else
        {
            if (passes is { Passes: > 1 }) throw new ArgumentException($"mixed MBI with a learned gate runs one pass, not {passes.Passes}", nameof(passes));
            var (run, scores) = GatedLookups(setup, search, vote, gate);
            lookupOnly = run.Accuracy(labels);
            mixed = MbiEvaluation.Mixed(run, scores, ramClasses, labels, threshold);
        }
        return new DieOutcome(die, lookupOnly, mixed.Accuracy, mixed.MbiFraction, search.Lookups, search.WinnerChanged,
            search.Levels, search.RowsScanned, search.SplitComparisons, model.SaturatedReadouts);
    }

    /// <summary>
    /// One pass of the setup's test images through <paramref name="search"/> (a die's arrays) with the glimpse trace the
    /// learned gate reads, and <paramref name="gate"/>'s score of every image: the chain `infer --gate` runs
    /// (<see cref="MbiEvaluation.Run"/> with <c>trace: true</c>, then <see cref="LearnedGate.Scores"/>), on these arrays.
    /// </summary>
    internal static (MbiRun Run, double[] Scores) GatedLookups(LookupSetup setup, INearestKeySearch search, int vote, LearnedGate gate)
    {
        var run = MbiEvaluation.Run(new MbiClassifier(setup.Table, new QuantizedGlimpseSensor(setup.Table.Spec), search, vote), setup.Test, trace: true);
        return (run, gate.Scores(run, setup.Test));
    }
}

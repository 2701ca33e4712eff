using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Optimization;
using Mbi.Algorithm.Search;
using Mbi.Core.Progress;

namespace Mbi.Algorithm.Memorization;

/// <summary>One LUT size of Fig. 4(a): validation and test accuracy, unweighted, Bayesian-optimised and random-searched weights.</summary>
internal sealed record TuningPoint(int Rows, long StorageBytes,
    double UnweightedValidation, double BayesianValidation, double RandomValidation,
    double UnweightedTest, double BayesianTest, double RandomTest,
    DistanceWeights BayesianWeights, DistanceWeights RandomWeights,
    OptimizationResult Bayesian, OptimizationResult Random);

/// <summary>
/// Mixed-MBI tuning: weights, agreement weight and threshold chosen on validation, and what they give on test; the same
/// for the table's own weights (at the chosen agreement weight). <see cref="AgreementCandidates"/>: each agreement weight
/// tried, with its best threshold on validation under the tuned weights (<see cref="Validation"/> is one of them).
/// </summary>
internal sealed record MixedTuning(DistanceWeights Weights, MixedPoint Validation, MixedPoint Test,
    MixedPoint StartValidation, MixedPoint StartTest, OptimizationResult Bayesian, IReadOnlyList<MixedPoint> AgreementCandidates)
{
    /// <summary>The learned gate fitted on the tuned table's validation run, if asked for (<see cref="LearnedGateRequest"/>), else null.</summary>
    public LearnedGateTuning? Learned { get; init; }

    /// <summary>The agreement weight chosen (0 = the match distance alone).</summary>
    public double AgreementWeight => Validation.AgreementWeight;
}

/// <summary>
/// Asks mixed tuning to fit a <see cref="LearnedGate"/> too: on the validation split of seed <paramref name="SplitSeed"/>, ridge
/// <paramref name="Ridge"/>, to predict <paramref name="Target"/> (the no-loss target reads the fallback's validation classes).
/// </summary>
internal sealed record LearnedGateRequest(ulong SplitSeed, double Ridge = LearnedGate.DefaultRidge, LearnedGateTarget Target = LearnedGateTarget.LookupRight)
{
    /// <summary>An image check (trained on the training split) whose features the gate also reads, or null.</summary>
    public ImageCheck? Check { get; init; }
    /// <summary>Choose T by <see cref="CrossFittedThreshold"/> (seeded by the split seed) instead of on the images the gate was fitted on.</summary>
    public bool CrossFitted { get; init; }
    /// <summary>Bits of the regression's arithmetic: 64 (double) or 8 (fixed point, <see cref="GateFixedPoint"/>), for the gate and every cross-fitting half.</summary>
    public int RegressionBits { get; init; } = 64;
}

/// <summary>
/// The learned gate of mixed tuning: fitted on every validation image of the tuned table's tree, its threshold chosen on
/// validation by <see cref="MbiEvaluation.BestThreshold(MbiRun, ReadOnlySpan{double}, ReadOnlySpan{int}, ReadOnlySpan{byte}, double)"/>
/// (<see cref="Validation"/>), then scored once on test at that threshold (<see cref="Test"/>).
/// </summary>
internal sealed record LearnedGateTuning(LearnedGate Gate, MixedPoint Validation, MixedPoint Test)
{
    /// <summary>With a cross-fitted threshold: the held-out point it came from, else null.</summary>
    public CrossFittedThreshold.Result? HeldOut { get; init; }
}

/// <summary>
/// Tunes the weights (a, b, c) of Eq. 1 for lookup-only accuracy on a validation split (paper Sec. III-B).
/// Each weight is searched on a log scale, 10^[-2, 0], since only ratios matter; accuracy is measured with
/// exact (brute-force) search so the tuning sees the distance, not the tree.
/// </summary>
internal static class DistanceTuning
{
    public const double LogLower = -2, LogUpper = 0;

    /// <summary>
    /// The agreement weights mixed tuning tries for the gate (<see cref="MbiRun.GateScore"/>): 0 (the distance alone) and
    /// four spaced by 2x around 20, the weight the session-10 harness's score (agreement - 0.05 x distance) amounts to.
    /// </summary>
    public static readonly IReadOnlyList<double> AgreementWeightGrid = [0, 5, 10, 20, 40];

    public static double Accuracy(LookupTable lut, KeyTable keys, IQuantizedSensor sensor, MnistImages images, DistanceWeights weights)
    {
        var search = new BruteForceSearch(keys, new DistanceKernel(lut.Layout, weights));
        return MbiEvaluation.Run(new MbiClassifier(lut, sensor, search), images).Accuracy(images.Labels);
    }

    public static TuningPoint Tune(LookupTable lut, IQuantizedSensor sensor, MnistImages validation, MnistImages test,
        int budget, ulong seed, IProgress<ProgressUpdate>? progress = null)
    {
        var keys = lut.PackKeys();
        double Objective(IReadOnlyList<double> x) => Accuracy(lut, keys, sensor, validation, FromLog(x));
        var optimizer = new BayesianOptimizer([LogLower, LogLower, LogLower], [LogUpper, LogUpper, LogUpper], seed);
        var bayes = optimizer.Maximize(Objective, budget, Stage(progress, $"{lut.Rows} rows: BO"));
        var random = optimizer.RandomSearch(Objective, budget, Stage(progress, $"{lut.Rows} rows: random"));
        var unweighted = DistanceWeights.Unweighted;
        var bw = FromLog(bayes.BestX);
        var rw = FromLog(random.BestX);
        return new TuningPoint(lut.Rows, lut.StorageBytes,
            Accuracy(lut, keys, sensor, validation, unweighted), bayes.BestValue, random.BestValue,
            Accuracy(lut, keys, sensor, test, unweighted), Accuracy(lut, keys, sensor, test, bw), Accuracy(lut, keys, sensor, test, rw),
            bw, rw, bayes, random);
    }

    /// <summary>
    /// Tunes the weights for mixed MBI instead: BO maximises the fraction of validation images served by
    /// lookups while mixed accuracy stays >= <paramref name="target"/>, gating by the match distance alone. During the
    /// search one tree, built under the table's own weights, is searched with each candidate distance. The chosen
    /// weights then get the tree `mbi infer` builds for a table carrying them (same options); on that tree each of
    /// <paramref name="agreementWeights"/> (default <see cref="AgreementWeightGrid"/>; 0 alone with vote 1) gets its best validation threshold,
    /// and the pair serving the most validation images wins (ties to the earlier weight). Weights, agreement weight and
    /// threshold are applied unchanged to the test set, so the reported point is what `infer` gives. With
    /// <paramref name="learnedGate"/> the same tuned run (weights and tree unchanged) also fits a <see cref="LearnedGate"/>
    /// on every validation image, chooses its threshold there by the same rule (or, with <see cref="LearnedGateRequest.CrossFitted"/>, by
    /// <see cref="CrossFittedThreshold"/>), and scores it on the same test run. With <paramref name="mostAccurate"/> (a fallback that is
    /// not a network, `--fallback-check`) BO maximises the validation accuracy of the distance gate at its most accurate threshold
    /// and every agreement weight gets that threshold (<see cref="MbiEvaluation.MostAccurateThreshold"/>); the learned gate's T
    /// still follows <paramref name="target"/>.
    /// </summary>
    public static MixedTuning TuneMixed(LookupTable lut, KMeansTreeOptions treeOptions, IQuantizedSensor sensor,
        MnistImages validation, int[] ramValidation, MnistImages test, int[] ramTest, double target, int budget, ulong seed,
        IProgress<ProgressUpdate>? progress = null, int vote = 1, IReadOnlyList<double>? agreementWeights = null,
        LearnedGateRequest? learnedGate = null, bool mostAccurate = false)
    {
        // Refused before the BO's minutes, not after.
        if (learnedGate is not null) LearnedGate.CheckVote(vote);
        // With one voting key every agreement is 2 and every weight gives the same gate: only 0 is worth trying.
        agreementWeights ??= vote == 1 ? [0.0] : AgreementWeightGrid;
        if (agreementWeights.Count == 0) throw new ArgumentException("at least one agreement weight to try", nameof(agreementWeights));
        var tree = BuildTree(lut, treeOptions);
        MbiRun Run(KMeansTree searched, DistanceWeights w, MnistImages images, bool trace = false) =>
            MbiEvaluation.Run(new MbiClassifier(lut, sensor, searched.WithKernel(new DistanceKernel(lut.Layout, w)), vote), images, trace: trace);
        MixedPoint Gate(MbiRun run, double aw) => mostAccurate ? MbiEvaluation.MostAccurateThreshold(run, ramValidation, validation.Labels, aw)
            : MbiEvaluation.BestThreshold(run, ramValidation, validation.Labels, target, aw);
        double Objective(IReadOnlyList<double> x)
        {
            var point = Gate(Run(tree, FromLog(x), validation), 0);
            return mostAccurate ? point.Accuracy : point.MbiFraction;
        }
        var optimizer = new BayesianOptimizer([LogLower, LogLower, LogLower], [LogUpper, LogUpper, LogUpper], seed);
        var bayes = optimizer.Maximize(Objective, budget, Stage(progress, "mixed MBI: BO"));
        var weights = FromLog(bayes.BestX);
        var tunedTree = BuildTree(lut.With(weights, lut.Metric), treeOptions);
        var tunedRun = Run(tunedTree, weights, validation, trace: learnedGate is not null);
        var candidates = agreementWeights.Select(aw => Gate(tunedRun, aw)).ToList();
        var chosen = candidates[0];
        foreach (var candidate in candidates)
            if (mostAccurate ? candidate.Accuracy > chosen.Accuracy : Serves(candidate) > Serves(chosen)) chosen = candidate;
        var start = Gate(Run(tree, lut.Weights, validation), chosen.AgreementWeight);
        var testRun = Run(tunedTree, weights, test, trace: learnedGate is not null);
        LearnedGateTuning? learned = null;
        if (learnedGate is not null)
        {
            var gate = LearnedGate.Fit(tunedRun, validation.Labels, vote, lut.Spec.Classes, learnedGate.SplitSeed,
                TableIdentity.Sha256(lut.With(weights, lut.Metric)), $"{treeOptions}", learnedGate.Ridge, learnedGate.Target, ramValidation,
                learnedGate.Check, validation, learnedGate.RegressionBits);
            CrossFittedThreshold.Result? heldOut = null;
            MixedPoint atValidation;
            if (learnedGate.CrossFitted)
            {
                string identity = TableIdentity.Sha256(lut.With(weights, lut.Metric));
                heldOut = CrossFittedThreshold.Find(tunedRun, validation, ramValidation, target, gate, (run, images, fallback) =>
                    LearnedGate.Fit(run, images.Labels, vote, lut.Spec.Classes, learnedGate.SplitSeed, identity, $"{treeOptions}", learnedGate.Ridge,
                        learnedGate.Target, fallback, learnedGate.Check, images, learnedGate.RegressionBits), learnedGate.SplitSeed);
                atValidation = double.IsNaN(heldOut.Value.Threshold) ? new MixedPoint(double.NaN, double.NaN, 0, double.NaN, double.NaN)
                    : MbiEvaluation.Mixed(tunedRun, gate.Scores(tunedRun, validation), ramValidation, validation.Labels, heldOut.Value.Threshold);
            }
            else atValidation = MbiEvaluation.BestThreshold(tunedRun, gate.Scores(tunedRun, validation), ramValidation, validation.Labels, target);
            learned = new LearnedGateTuning(gate, atValidation,
                MbiEvaluation.Mixed(testRun, gate.Scores(testRun, test), ramTest, test.Labels, atValidation.Threshold)) { HeldOut = heldOut };
        }
        return new MixedTuning(weights, chosen,
            MbiEvaluation.Mixed(testRun, ramTest, test.Labels, chosen.Threshold, chosen.AgreementWeight),
            start, MbiEvaluation.Mixed(Run(tree, lut.Weights, test), ramTest, test.Labels, start.Threshold, start.AgreementWeight), bayes, candidates)
        { Learned = learned };
    }

    /// <summary>The share a candidate gate serves on validation; a gate that misses the target ranks below every one that reaches it.</summary>
    private static double Serves(MixedPoint point) => double.IsNaN(point.Threshold) ? -1 : point.MbiFraction;

    private static KMeansTree BuildTree(LookupTable lut, KMeansTreeOptions options) =>
        (KMeansTree)SearchFactory.Build(lut, SearchKind.Tree, options);

    public static DistanceWeights FromLog(IReadOnlyList<double> x) => new(Math.Pow(10, x[0]), Math.Pow(10, x[1]), Math.Pow(10, x[2]));

    private static IProgress<ProgressUpdate>? Stage(IProgress<ProgressUpdate>? progress, string stage) =>
        progress is null ? null : new StageProgress(progress, stage);

    private sealed class StageProgress(IProgress<ProgressUpdate> inner, string stage) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => inner.Report(value with { Stage = stage });
    }
}

using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Core.Errors;
using Mbi.Core.Progress;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// Lookup-only inference in passes (<see cref="MbiEvaluation.RunPassesStopping"/>): each image's class, the
/// passes' runs (Runs[0] over every image, the others over the images still open at that pass, in image order; without a
/// stop every pass covers <paramref name="Continued"/>) and the images that went on after the first pass.
/// </summary>
public sealed record PassesRun(int[] Classes, MbiRun[] Runs, int[] Continued)
{
    /// <summary>Lookups made, every pass's.</summary>
    public long Lookups => Runs.Sum(r => r.Lookups);
    /// <summary>Tree levels visited, every pass's.</summary>
    public long Levels => Runs.Sum(r => r.Levels);
    /// <summary>Distance computations, every pass's.</summary>
    public long DistanceComputations => Runs.Sum(r => r.DistanceComputations);
    /// <summary>Passes per image on average: every pass's images over the images (Runs[0] covers them all).</summary>
    public double MeanPasses => Runs[0].Predicted.Length == 0 ? 0 : Runs.Sum(r => (long)r.Predicted.Length) / (double)Runs[0].Predicted.Length;

    /// <summary>The fraction of images whose class is their label.</summary>
    public double Accuracy(ReadOnlySpan<byte> labels) => MbiEvaluation.FractionRight(Classes, labels);
}

/// <summary>
/// Lookup-only inference over a set of images: per image the class, the largest best-match distance and the vote's
/// agreement (<see cref="LookupOutcome.Agreement"/>, in [0, 2]), plus search costs.
/// </summary>
public sealed record MbiRun(int[] Predicted, double[] MaxDistance, double[] Agreement, double[] MatchDistances, long Lookups, long Levels, long DistanceComputations)
{
    /// <summary>Per image, as <see cref="LookupOutcome.Agreement"/>: 2 = every voting key agreed (always so with one key).</summary>
    public double[] Agreement { get; init; } = Agreement.Length == Predicted.Length && MaxDistance.Length == Predicted.Length ? Agreement
        : throw new ArgumentException($"per-image arrays differ in length: {Predicted.Length} classes, {MaxDistance.Length} distances, {Agreement.Length} agreements");

    /// <summary>
    /// Mixed MBI's gate score of image <paramref name="image"/>: its worst best-match distance plus
    /// <paramref name="agreementWeight"/> times the vote's disagreement (2 - <see cref="Agreement"/>). The image is served
    /// by lookups when the score is &lt;= T. Weight 0 is the distance alone (the paper's rule), exactly; so is any weight
    /// when one key decides each glimpse (agreement 2). The same served sets as MaxDistance - weight x Agreement &lt;= T - 2 x weight.
    /// </summary>
    public double GateScore(int image, double agreementWeight) =>
        agreementWeight == 0 ? MaxDistance[image] : MaxDistance[image] + agreementWeight * (2 - Agreement[image]);

    /// <summary>
    /// Per image and glimpse (image i's glimpse t at i x Glimpses + t), what the lookup saw (<see cref="GlimpseTrace"/>), if the
    /// run recorded it (<see cref="MbiEvaluation.Run"/> with <c>trace: true</c>; the learned gate's inputs), else null.
    /// </summary>
    public GlimpseTrace[]? Trace { get; init; }

    /// <summary>
    /// The run of the images <paramref name="indices"/> only, in that order (their classes, distances, agreements, match
    /// distances and trace); the search costs are scaled to the share of images kept.
    /// </summary>
    public MbiRun Subset(ReadOnlySpan<int> indices)
    {
        int n = Predicted.Length, m = indices.Length, g = n == 0 ? 0 : MatchDistances.Length / n;
        var predicted = new int[m];
        var worst = new double[m];
        var agreement = new double[m];
        var matches = new double[(long)m * g];
        var trace = Trace is null ? null : new GlimpseTrace[(long)m * g];
        for (int k = 0; k < m; k++)
        {
            int i = indices[k];
            (predicted[k], worst[k], agreement[k]) = (Predicted[i], MaxDistance[i], Agreement[i]);
            MatchDistances.AsSpan(i * g, g).CopyTo(matches.AsSpan(k * g, g));
            Trace?.AsSpan(i * g, g).CopyTo(trace.AsSpan(k * g, g));
        }
        double share = n == 0 ? 0 : m / (double)n;
        return new MbiRun(predicted, worst, agreement, matches, (long)m * g, (long)Math.Round(Levels * share), (long)Math.Round(DistanceComputations * share))
            { Trace = trace };
    }

    /// <summary>Tree levels searched per lookup, on average.</summary>
    public double AverageLevels => Levels / (double)Lookups;
    /// <summary>Distance computations per lookup, on average.</summary>
    public double AverageDistanceComputations => DistanceComputations / (double)Lookups;

    /// <summary>Fraction of images whose predicted class equals its label.</summary>
    public double Accuracy(ReadOnlySpan<byte> labels) => MbiEvaluation.FractionRight(Predicted, labels);
}

/// <summary>
/// Mixed MBI at one gate (T, <see cref="AgreementWeight"/>): images whose <see cref="MbiRun.GateScore"/> is within T (with
/// weight 0: whose every glimpse matched within T) are served by lookups, the rest by the RAM.
/// </summary>
public readonly record struct MixedPoint(double Threshold, double Accuracy, double MbiFraction, double MbiAccuracyOnServed, double ModelAccuracyOnRest,
    double AgreementWeight = 0);

/// <summary>Lookup-only and mixed MBI over a set of images (paper Sec. II-B and III-C).</summary>
public static class MbiEvaluation
{
    /// <summary>Lookup-only inference of every image with <paramref name="classifier"/> (single-threaded, deterministic).</summary>
    /// <param name="trace">Also record every glimpse's <see cref="GlimpseTrace"/> (<see cref="MbiRun.Trace"/>; one buffer per run, the same results).</param>
    public static MbiRun Run(MbiClassifier classifier, MnistImages images, IProgress<ProgressUpdate>? progress = null, bool trace = false)
    {
        int n = images.Count, g = classifier.Table.Spec.Glimpses;
        var predicted = new int[n];
        var worst = new double[n];
        var agreement = new double[n];
        var matches = new double[(long)n * g];
        var traces = trace ? new GlimpseTrace[(long)n * g] : null;
        long levels = 0, computations = 0;
        for (int i = 0; i < n; i++)
        {
            var outcome = classifier.Classify(images.Image(i), matches.AsSpan(i * g, g), traces is null ? Span<GlimpseTrace>.Empty : traces.AsSpan(i * g, g));
            predicted[i] = outcome.Class;
            worst[i] = outcome.MaxDistance;
            agreement[i] = outcome.Agreement;
            levels += outcome.Levels;
            computations += outcome.DistanceComputations;
            if ((i & 255) == 0) progress?.Report(new ProgressUpdate("lookup-only inference", i, n));
        }
        progress?.Report(new ProgressUpdate("lookup-only inference", n, n));
        return new MbiRun(predicted, worst, agreement, matches, (long)n * g, levels, computations) { Trace = traces };
    }

    /// <summary>
    /// Lookup-only inference in several passes (<see cref="EvaluationPasses"/>): pass k runs every image through the lookup
    /// chain with the sensor reading the image translated by <see cref="EvaluationPasses.Offset"/>(k); the table and the search are shared.
    /// </summary>
    public static MbiRun[] RunPasses(LookupTable table, INearestKeySearch search, int vote, MnistImages images, int passes,
        IProgress<ProgressUpdate>? progress = null) =>
        RunPassesStopping(table, search, vote, images, passes, null, progress).Runs;

    /// <summary>
    /// Lookup-only inference in passes, with optional early stops. Pass 0 runs on every image; pass k runs only on the
    /// images still open, and every image's class is the leader of its passes' weighted vote so far (<see cref="VotePasses"/>:
    /// weight 1 / (1 + the pass's worst best-match distance), ties to the lower class). An image closes after pass 0 when
    /// its worst best-match distance is at most <paramref name="stopDistance"/>, and after any pass when its vote's leader
    /// is ahead of the runner-up by at least <paramref name="stopMargin"/> (after one pass the margin is that pass's
    /// weight). Both null: every image runs every pass. Runs[k] covers the images open at pass k, in image order; passes no
    /// image needs are not run.
    /// </summary>
    public static PassesRun RunPassesStopping(LookupTable table, INearestKeySearch search, int vote, MnistImages images, int passes,
        double? stopDistance, IProgress<ProgressUpdate>? progress = null, double? stopMargin = null)
    {
        RamModel.CheckPasses(passes);
        if (stopDistance is double d && (double.IsNaN(d) || d < 0))
            throw BadInputException.For("stop_distance", d, ">= 0 (a worst match distance of pass 0)", "3");
        CheckStopMargin(stopMargin);
        int n = images.Count, classes = table.Spec.Classes;
        var sum = new double[(long)n * classes];
        var runs = new List<MbiRun>(passes);
        int[] open = [.. Enumerable.Range(0, n)];
        int[] continued = [];
        for (int k = 0; k < passes && open.Length > 0; k++)
        {
            var (x, y) = EvaluationPasses.Offset(k);
            bool all = open.Length == n;
            var perPass = progress is null ? null
                : new PassProgress(progress, $"lookup-only inference, pass {k + 1} of {passes}{(all ? "" : $" ({open.Length} images)")}");
            var run = Run(new MbiClassifier(table, new QuantizedGlimpseSensor(table.Spec, x, y), search, vote), all ? images : images.Subset(open), perPass);
            runs.Add(run);
            for (int j = 0; j < open.Length; j++) sum[(long)open[j] * classes + run.Predicted[j]] += 1 / (1 + run.MaxDistance[j]);
            var still = new List<int>(open.Length);
            for (int j = 0; j < open.Length; j++)
            {
                int i = open[j];
                bool closes = (k == 0 && stopDistance is double stop && run.MaxDistance[j] <= stop)
                    || (stopMargin is double margin && Margin(sum.AsSpan((int)((long)i * classes), classes)) >= margin);
                if (!closes) still.Add(i);
            }
            open = [.. still];
            if (k == 0) continued = open;
        }
        var voted = new int[n];
        for (int i = 0; i < n; i++) voted[i] = Leader(sum.AsSpan((int)((long)i * classes), classes));
        return new PassesRun(voted, [.. runs], continued);
    }

    /// <summary>The passes of <paramref name="plan"/> (<see cref="RunPassesStopping"/> with its pass count and stops).</summary>
    public static PassesRun RunPasses(LookupTable table, INearestKeySearch search, int vote, MnistImages images, PassesPlan plan,
        IProgress<ProgressUpdate>? progress = null) =>
        RunPassesStopping(table, search, vote, images, plan.Passes, plan.StopDistance, progress, plan.StopMargin);

    /// <summary>Refuses a vote margin that is negative or not a number, naming it.</summary>
    public static void CheckStopMargin(double? stopMargin)
    {
        if (stopMargin is double m && (double.IsNaN(m) || m < 0 || double.IsInfinity(m)))
            throw BadInputException.For("stop_margin", m, "a finite weighted-vote margin >= 0 (one pass's vote weighs 1 / (1 + its worst distance) <= 1)", "0.4");
    }

    /// <summary>The leading class of a vote (ties to the lower class).</summary>
    private static int Leader(ReadOnlySpan<double> sum)
    {
        int best = 0;
        for (int c = 1; c < sum.Length; c++) if (sum[c] > sum[best]) best = c;
        return best;
    }

    /// <summary>How far a vote's leader is ahead of the runner-up.</summary>
    private static double Margin(ReadOnlySpan<double> sum)
    {
        double first = double.NegativeInfinity, second = double.NegativeInfinity;
        foreach (double v in sum)
            if (v > first) (second, first) = (first, v);
            else if (v > second) second = v;
        return first - second;
    }

    /// <summary>Renames a run's progress stage so the bar says which pass it is on (reported synchronously, in order).</summary>
    private sealed class PassProgress(IProgress<ProgressUpdate> inner, string stage) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => inner.Report(value with { Stage = stage });
    }

    /// <summary>
    /// The class of each image from several lookup-only passes: each pass votes for its class with weight 1 / (1 + its worst
    /// best-match distance), so a pass whose glimpses all found close keys counts more; the class with the largest sum wins
    /// (ties to the lower class). One pass gives that pass's classes.
    /// </summary>
    public static int[] VotePasses(IReadOnlyList<MbiRun> passes, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfZero(passes.Count);
        int n = passes[0].Predicted.Length;
        var voted = new int[n];
        var sum = new double[classes];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(sum);
            foreach (var run in passes) sum[run.Predicted[i]] += 1 / (1 + run.MaxDistance[i]);
            int best = 0;
            for (int c = 1; c < classes; c++) if (sum[c] > sum[best]) best = c;
            voted[i] = best;
        }
        return voted;
    }

    /// <summary>The fraction of images whose <see cref="VotePasses"/> class is their label.</summary>
    public static double VotedAccuracy(IReadOnlyList<MbiRun> passes, ReadOnlySpan<byte> labels, int classes) =>
        FractionRight(VotePasses(passes, classes), labels);

    /// <summary>The fraction of <paramref name="classes"/> equal to their <paramref name="labels"/>.</summary>
    internal static double FractionRight(ReadOnlySpan<int> classes, ReadOnlySpan<byte> labels)
    {
        int correct = 0;
        for (int i = 0; i < classes.Length; i++) if (classes[i] == labels[i]) correct++;
        return correct / (double)classes.Length;
    }

    /// <summary>
    /// The full quantized RAM on each image (the fallback of mixed MBI), chaining its step function glimpse by
    /// glimpse; <paramref name="visited"/>, if given, collects every grid point a glimpse was taken at.
    /// </summary>
    public static int[] RunModel(IGlimpseStepModel model, MnistImages images, IProgress<ProgressUpdate>? progress = null,
        ISet<(int X, int Y)>? visited = null)
    {
        var spec = model.Spec;
        var hidden = new byte[spec.HiddenBits];
        var next = new byte[spec.HiddenBits];
        var patch = new byte[spec.PatchElements];
        var classes = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            model.InitialState(hidden, out int x, out int y);
            int stepClass = 0;
            for (int t = 0; t < spec.Glimpses; t++)
            {
                visited?.Add((x, y));
                model.Sensor.Sense(images.Image(i), x, y, patch);
                model.Step(patch, hidden, x, y, next, out x, out y, out stepClass);
                (hidden, next) = (next, hidden);
            }
            classes[i] = stepClass;
            if ((i & 255) == 0) progress?.Report(new ProgressUpdate("RAM inference", i, images.Count));
        }
        progress?.Report(new ProgressUpdate("RAM inference", images.Count, images.Count));
        return classes;
    }

    /// <summary>
    /// Mixed MBI's fallback when it is not the table's own network: any trained RAM (full precision included) classifies every
    /// image by its own evaluation pass (<see cref="RamModel.Evaluate(MnistImages, Span{int}, IProgress{ProgressUpdate}?, string, int)"/>:
    /// the location mean, deterministic). Its classes stand where <see cref="RunModel"/>'s would in <see cref="Mixed(MbiRun, ReadOnlySpan{int}, ReadOnlySpan{byte}, double, double)"/>
    /// and <see cref="BestThreshold(MbiRun, ReadOnlySpan{int}, ReadOnlySpan{byte}, double, double)"/>. <paramref name="source"/> names the model (its file) in errors.
    /// </summary>
    internal static int[] RunFallback(RamModel fallback, string source, GlimpseKeySpec table, MnistImages images, IProgress<ProgressUpdate>? progress = null)
    {
        CheckFallback(fallback.Config, source, table);
        var classes = new int[images.Count];
        fallback.Evaluate(images, classes, progress, "fallback RAM inference");
        return classes;
    }

    /// <summary>
    /// Refuses (parameter fallback_model) a fallback RAM trained for another number of classes or image size than the table
    /// serves: its classes would not be the table's.
    /// </summary>
    internal static void CheckFallback(RamConfig fallback, string source, GlimpseKeySpec table)
    {
        if (fallback.Classes != table.Classes || fallback.ImageSize != table.ImageSize)
            throw BadInputException.For("fallback_model", $"{source} (a RAM for {fallback.ImageSize} x {fallback.ImageSize} images and {fallback.Classes} classes)",
                $"a RAM for the table's {table.ImageSize} x {table.ImageSize} images and {table.Classes} classes", "models/ram-reference-2s.ram");
    }

    /// <summary>
    /// Largest agreement weight of the gate (<see cref="MbiRun.GateScore"/>), a declared range: match distances are tens to
    /// hundreds, so far below it the vote's disagreement already decides nearly alone.
    /// </summary>
    public const double MaxAgreementWeight = 1e6;

    /// <summary>
    /// Mixed MBI accuracy at <paramref name="threshold"/>, given the RAM's classes of the same images (<see cref="RunModel"/>).
    /// <paramref name="agreementWeight"/> (>= 0; 0 = the distance alone) weighs the vote's disagreement in the gate (<see cref="MbiRun.GateScore"/>).
    /// </summary>
    public static MixedPoint Mixed(MbiRun run, ReadOnlySpan<int> modelClasses, ReadOnlySpan<byte> labels, double threshold, double agreementWeight = 0)
    {
        CheckAgreementWeight(agreementWeight);
        int n = run.Predicted.Length, served = 0, servedCorrect = 0, restCorrect = 0;
        for (int i = 0; i < n; i++)
        {
            if (run.GateScore(i, agreementWeight) <= threshold)
            {
                served++;
                if (run.Predicted[i] == labels[i]) servedCorrect++;
            }
            else if (modelClasses[i] == labels[i]) restCorrect++;
        }
        return new MixedPoint(threshold, (servedCorrect + restCorrect) / (double)n, served / (double)n,
            served == 0 ? double.NaN : servedCorrect / (double)served, served == n ? double.NaN : restCorrect / (double)(n - served), agreementWeight);
    }

    /// <summary>
    /// Mixed MBI accuracy at <paramref name="threshold"/> under any gate: image i is served by lookups when
    /// <paramref name="scores"/>[i] &lt;= <paramref name="threshold"/> (e.g. <see cref="LearnedGate.Scores"/>).
    /// </summary>
    public static MixedPoint Mixed(MbiRun run, ReadOnlySpan<double> scores, ReadOnlySpan<int> modelClasses, ReadOnlySpan<byte> labels, double threshold)
    {
        CheckScores(run, scores);
        int n = run.Predicted.Length, served = 0, servedCorrect = 0, restCorrect = 0;
        for (int i = 0; i < n; i++)
        {
            if (scores[i] <= threshold)
            {
                served++;
                if (run.Predicted[i] == labels[i]) servedCorrect++;
            }
            else if (modelClasses[i] == labels[i]) restCorrect++;
        }
        return new MixedPoint(threshold, (servedCorrect + restCorrect) / (double)n, served / (double)n,
            served == 0 ? double.NaN : servedCorrect / (double)served, served == n ? double.NaN : restCorrect / (double)(n - served));
    }

    /// <summary>
    /// <see cref="BestThreshold(MbiRun, ReadOnlySpan{int}, ReadOnlySpan{byte}, double, double)"/>'s rule under any gate
    /// (image i's score <paramref name="scores"/>[i]): the largest distinct score that serves the most images with mixed
    /// accuracy >= <paramref name="target"/>. Threshold -infinity if the RAM alone is best (scores may be negative), NaN if
    /// nothing reaches the target.
    /// </summary>
    public static MixedPoint BestThreshold(MbiRun run, ReadOnlySpan<double> scores, ReadOnlySpan<int> modelClasses, ReadOnlySpan<byte> labels, double target)
    {
        CheckScores(run, scores);
        int n = run.Predicted.Length;
        var order = new int[n];
        var keys = scores.ToArray();
        for (int i = 0; i < n; i++) order[i] = i;
        int best = BestBoundary(run, keys, order, modelClasses, labels, target, out int correct);
        return best >= 0 ? Mixed(run, scores, modelClasses, labels, keys[best])
            : best == -1 ? new MixedPoint(double.NegativeInfinity, correct / (double)n, 0, double.NaN, correct / (double)n)
            : new MixedPoint(double.NaN, double.NaN, 0, double.NaN, double.NaN);
    }

    /// <summary>
    /// Sorts <paramref name="keys"/> (with <paramref name="order"/>) and returns the sorted position of the last score boundary
    /// where mixed accuracy >= <paramref name="target"/>: -1 if only serving none reaches it, -2 if nothing does.
    /// <paramref name="modelCorrect"/> is the RAM's correct count alone.
    /// </summary>
    private static int BestBoundary(MbiRun run, double[] keys, int[] order, ReadOnlySpan<int> modelClasses, ReadOnlySpan<byte> labels,
        double target, out int modelCorrect)
    {
        int n = keys.Length;
        Array.Sort(keys, order);
        int correct = 0;
        for (int i = 0; i < n; i++) if (modelClasses[i] == labels[i]) correct++;
        modelCorrect = correct;
        int best = correct >= target * n ? -1 : -2;
        for (int k = 0; k < n; k++)
        {
            int i = order[k];
            correct += (run.Predicted[i] == labels[i] ? 1 : 0) - (modelClasses[i] == labels[i] ? 1 : 0);
            bool boundary = k == n - 1 || keys[k + 1] > keys[k];
            if (boundary && correct >= target * n) best = k;
        }
        return best;
    }

    private static void CheckScores(MbiRun run, ReadOnlySpan<double> scores)
    {
        if (scores.Length != run.Predicted.Length)
            throw new ArgumentException($"{scores.Length} gate scores for {run.Predicted.Length} images", nameof(scores));
    }

    /// <summary>
    /// The threshold that serves the most images by lookups while mixed accuracy stays >= <paramref name="target"/>
    /// under the gate of <paramref name="agreementWeight"/> (searched over the distinct gate scores; threshold -1 if the
    /// RAM alone is best, NaN if nothing reaches the target).
    /// </summary>
    public static MixedPoint BestThreshold(MbiRun run, ReadOnlySpan<int> modelClasses, ReadOnlySpan<byte> labels, double target,
        double agreementWeight = 0)
    {
        var (keys, order) = GateScores(run, agreementWeight);
        int n = keys.Length;
        int best = BestBoundary(run, keys, order, modelClasses, labels, target, out int correct);
        return best >= 0 ? Mixed(run, modelClasses, labels, keys[best], agreementWeight)
            : best == -1 ? new MixedPoint(-1, correct / (double)n, 0, double.NaN, correct / (double)n, agreementWeight)
            : new MixedPoint(double.NaN, double.NaN, 0, double.NaN, double.NaN, agreementWeight);
    }

    /// <summary>
    /// The threshold of the most accurate mixed MBI under the gate of <paramref name="agreementWeight"/>, for a fallback
    /// that is not a network (e.g. the image check, `--fallback-check`), where no share need reach a target: searched over the
    /// distinct gate scores, ties to the larger share served; threshold -1 if the fallback alone is most accurate.
    /// </summary>
    public static MixedPoint MostAccurateThreshold(MbiRun run, ReadOnlySpan<int> modelClasses, ReadOnlySpan<byte> labels, double agreementWeight = 0)
    {
        var (keys, order) = GateScores(run, agreementWeight);
        int n = keys.Length;
        Array.Sort(keys, order);
        int correct = 0;
        for (int i = 0; i < n; i++) if (modelClasses[i] == labels[i]) correct++;
        int bestCorrect = correct, best = -1;
        for (int k = 0; k < n; k++)
        {
            int i = order[k];
            correct += (run.Predicted[i] == labels[i] ? 1 : 0) - (modelClasses[i] == labels[i] ? 1 : 0);
            bool boundary = k == n - 1 || keys[k + 1] > keys[k];
            if (boundary && correct >= bestCorrect) (bestCorrect, best) = (correct, k);
        }
        return best >= 0 ? Mixed(run, modelClasses, labels, keys[best], agreementWeight)
            : new MixedPoint(-1, bestCorrect / (double)n, 0, double.NaN, bestCorrect / (double)n, agreementWeight);
    }

    /// <summary>Every image's gate score under <paramref name="agreementWeight"/> (checked), beside the image indices, unsorted.</summary>
    private static (double[] Keys, int[] Order) GateScores(MbiRun run, double agreementWeight)
    {
        CheckAgreementWeight(agreementWeight);
        int n = run.Predicted.Length;
        var order = new int[n];
        var keys = new double[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
            keys[i] = run.GateScore(i, agreementWeight);
        }
        return (keys, order);
    }

    /// <summary>Refuses an agreement weight outside [0, <see cref="MaxAgreementWeight"/>].</summary>
    public static void CheckAgreementWeight(double agreementWeight)
    {
        if (!(agreementWeight is >= 0 and <= MaxAgreementWeight))
            throw BadInputException.For("agreement_weight", agreementWeight, $"between 0 and {MaxAgreementWeight:G} (0 = the match distance alone)", "20");
    }
}

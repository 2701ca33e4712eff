using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// Mixed MBI's learned gate (docs/mbi/learned-gate, candidate "(b) LR [all+class] (target: lookup right)"): a ridge logistic
/// regression of "the lookups' class is right" on what the lookup chain already produces (<see cref="GlimpseTrace"/> per
/// glimpse, <see cref="LookupOutcome.MaxDistance"/>, <see cref="LookupOutcome.Agreement"/>) plus the lookups' class one-hot.
/// An image's score is the negated log-odds; it is served by lookups when the score is &lt;= T, like
/// <see cref="MbiRun.GateScore"/>. Features, in this order, with G glimpses, last glimpse G and k voters (<see cref="FeatureNames"/>):
/// d_t, dk_t, hag_t, cag_t (t = 1..G); [cls_t = cls_G] (t &lt; G); [ncls_t = cls_G]; nwin_t / k; MaxDistance; sum of d_t;
/// Agreement; [class = c] for every class c. Fitted on the validation split only; deterministic.
/// </summary>
public sealed class LearnedGate
{
    /// <summary>The default target's text, as the gate file writes it.</summary>
    public const string LookupRightText = "the lookups' class is right";
    /// <summary>The no-loss target's text, as the gate file writes it.</summary>
    public const string NoLossText = "no loss against the fallback: the lookups' class is right or the fallback's is wrong";

    /// <summary>The ridge of the chosen candidate (lambda on the standardised coefficients, not the intercept).</summary>
    public const double DefaultRidge = 1;

    private readonly RidgeLogisticRegression _model;

    internal LearnedGate(RidgeLogisticRegression model, int glimpses, int classes, int vote, int fitImages, ulong splitSeed, double ridge,
        string tableSha256, string search, LearnedGateTarget target = LearnedGateTarget.LookupRight, ImageCheck? check = null,
        GateFixedPoint? fixedPoint = null)
    {
        if (vote < 2) throw VoteRefused(vote);
        int expected = FeatureCount(glimpses, classes) + (check is null ? 0 : ImageCheck.FeatureCount);
        if (model.Means.Length != expected || model.Deviations.Length != model.Means.Length || model.Beta.Length != model.Means.Length + 1)
            throw new ArgumentException($"a gate over {glimpses} glimpses and {classes} classes{(check is null ? "" : " with an image check")} takes {expected} features", nameof(model));
        if (check is not null && check.Classes != classes) throw new ArgumentException($"an image check of {check.Classes} classes for a gate of {classes}", nameof(check));
        if (fixedPoint is not null && fixedPoint.Count != expected) throw new ArgumentException($"a fixed-point regression of {fixedPoint.Count} features for a gate of {expected}", nameof(fixedPoint));
        _model = model;
        FixedPoint = fixedPoint;
        Glimpses = glimpses;
        Classes = classes;
        Vote = vote;
        FitImages = fitImages;
        SplitSeed = splitSeed;
        Ridge = ridge;
        TableSha256 = tableSha256;
        Search = search;
        Target = target;
        Check = check;
        FeatureNames = check is null ? Names(glimpses, classes) : [.. Names(glimpses, classes), .. ImageCheck.FeatureNames];
    }

    /// <summary>Glimpses per image of the table it was fitted on.</summary>
    public int Glimpses { get; }
    /// <summary>Classes of the table it was fitted on.</summary>
    public int Classes { get; }
    /// <summary>Voting keys per glimpse it was fitted with (> 1: its features are the vote's).</summary>
    public int Vote { get; }
    /// <summary>Images it was fitted on (the validation split).</summary>
    public int FitImages { get; }
    /// <summary>The validation split's seed.</summary>
    public ulong SplitSeed { get; }
    /// <summary>The ridge lambda.</summary>
    public double Ridge { get; }
    /// <summary>The fitted table's identity (<see cref="TableIdentity.Sha256"/>): the gate is valid on that table only.</summary>
    public string TableSha256 { get; }
    /// <summary>The search it was fitted with, as text (the features depend on it; informative, not checked).</summary>
    public string Search { get; }
    /// <summary>The image check whose features the gate also reads (<see cref="ImageCheck"/>), or null.</summary>
    public ImageCheck? Check { get; }
    /// <summary>
    /// The regression in fixed point (8-bit feature codes and weights, an integer sum; <see cref="GateFixedPoint"/>) that scores
    /// images, or null: the float regression scores them.
    /// </summary>
    public GateFixedPoint? FixedPoint { get; }
    /// <summary>Bits of the regression's arithmetic: 8 in fixed point, else 64 (double).</summary>
    public int RegressionBits => FixedPoint is null ? 64 : GateFixedPoint.Bits;
    /// <summary>What the regression was fitted to predict (<see cref="LearnedGateTarget"/>).</summary>
    public LearnedGateTarget Target { get; }
    /// <summary>The target as the gate file writes it.</summary>
    public string TargetText => TextOf(Target);
    /// <summary>The target of a gate file's "target" text, or null for a text this Mbi does not know.</summary>
    public static LearnedGateTarget? TargetOf(string text) => text switch
    {
        LookupRightText => LearnedGateTarget.LookupRight,
        NoLossText => LearnedGateTarget.NoLoss,
        _ => null,
    };
    private static string TextOf(LearnedGateTarget target) => target == LearnedGateTarget.NoLoss ? NoLossText : LookupRightText;
    /// <summary>Newton steps the fit took (0 for a gate read from a file).</summary>
    public int Iterations => _model.Iterations;
    /// <summary>Feature names, in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Per feature, the fit set's mean.</summary>
    public IReadOnlyList<double> Means => _model.Means;
    /// <summary>Per feature, the fit set's standard deviation (0: constant there, no effect).</summary>
    public IReadOnlyList<double> Deviations => _model.Deviations;
    /// <summary>Per standardised feature, its coefficient.</summary>
    public IReadOnlyList<double> Coefficients => _model.Beta.AsSpan(1).ToArray();
    /// <summary>The intercept (log-odds at the fit set's mean features).</summary>
    public double Intercept => _model.Beta[0];

    /// <summary>Features per image for <paramref name="glimpses"/> glimpses and <paramref name="classes"/> classes: 7G + 2 + C (47 for 5 and 10).</summary>
    public static int FeatureCount(int glimpses, int classes) => 4 * glimpses + (glimpses - 1) + 2 * glimpses + 3 + classes;

    /// <summary>
    /// Fits the gate on <paramref name="run"/> (recorded with a trace; the validation split) and its
    /// <paramref name="labels"/>: target "the lookups' class is right", or with <see cref="LearnedGateTarget.NoLoss"/> "the
    /// lookups' class is right or <paramref name="fallback"/>'s class (the fallback network's, one per image) is wrong": serving
    /// an image both get wrong costs no accuracy and saves the network's energy. With <paramref name="regressionBits"/> 8 the fitted
    /// regression is then quantized on the same images (<see cref="GateFixedPoint"/>) and scores in fixed point; 64 (the default)
    /// keeps it in double.
    /// </summary>
    public static LearnedGate Fit(MbiRun run, ReadOnlySpan<byte> labels, int vote, int classes, ulong splitSeed, string tableSha256, string search,
        double ridge = DefaultRidge, LearnedGateTarget target = LearnedGateTarget.LookupRight, ReadOnlySpan<int> fallback = default,
        ImageCheck? check = null, MnistImages? images = null, int regressionBits = 64)
    {
        if (regressionBits is not (64 or GateFixedPoint.Bits))
            throw new ArgumentOutOfRangeException(nameof(regressionBits), regressionBits, "64 (double) or 8 (fixed point)");
        CheckVote(vote);
        if (!(ridge >= 0 && double.IsFinite(ridge))) throw BadInputException.For("ridge", ridge, "a finite number >= 0", "1");
        int n = run.Predicted.Length, g = GlimpsesOf(run);
        if (labels.Length != n) throw new ArgumentException($"{labels.Length} labels for {n} images", nameof(labels));
        if (target == LearnedGateTarget.NoLoss && fallback.Length != n)
            throw new ArgumentException($"the no-loss target needs the fallback's class of every image: {fallback.Length} for {n} images", nameof(fallback));
        CheckImages(check, images, n);
        int p0 = FeatureCount(g, classes), p = p0 + (check is null ? 0 : ImageCheck.FeatureCount);
        var features = new double[n * p];
        var right = new bool[n];
        for (int i = 0; i < n; i++)
        {
            Features(run.Trace!.AsSpan(i * g, g), run.MaxDistance[i], run.Agreement[i], run.Predicted[i], vote, classes, features.AsSpan(i * p, p0));
            check?.Features(images!.Image(i), run.Predicted[i], features.AsSpan(i * p + p0, ImageCheck.FeatureCount));
            right[i] = run.Predicted[i] == labels[i] || (target == LearnedGateTarget.NoLoss && fallback[i] != labels[i]);
        }
        var model = RidgeLogisticRegression.Fit(features, right, ridge);
        var fixedPoint = regressionBits == GateFixedPoint.Bits ? GateFixedPoint.Quantize(model, features) : null;
        return new LearnedGate(model, g, classes, vote, n, splitSeed, ridge, tableSha256, search, target, check, fixedPoint);
    }

    private static void CheckImages(ImageCheck? check, MnistImages? images, int n)
    {
        if (check is not null && (images is null || images.Count != n))
            throw new ArgumentException($"a gate with an image check needs the run's {n} images, got {images?.Count.ToString() ?? "none"}", nameof(images));
    }

    /// <summary>
    /// Every image's score (negated log-odds that the lookups are right) in <paramref name="run"/>, recorded with a trace;
    /// a gate with an <see cref="Check"/> also reads the run's <paramref name="images"/>.
    /// </summary>
    public double[] Scores(MbiRun run, MnistImages? images = null)
    {
        int n = run.Predicted.Length, g = GlimpsesOf(run);
        if (g != Glimpses) throw new ArgumentException($"the run has {g} glimpses per image, the gate {Glimpses}", nameof(run));
        CheckImages(Check, images, n);
        var scores = new double[n];
        int p0 = FeatureCount(Glimpses, Classes);
        var features = new double[FeatureNames.Count];
        for (int i = 0; i < n; i++)
        {
            Features(run.Trace!.AsSpan(i * g, g), run.MaxDistance[i], run.Agreement[i], run.Predicted[i], Vote, Classes, features.AsSpan(0, p0));
            Check?.Features(images!.Image(i), run.Predicted[i], features.AsSpan(p0));
            scores[i] = FixedPoint is { } fixedPoint ? fixedPoint.Score(features) : -_model.LogOdds(features);
        }
        return scores;
    }

    /// <summary>
    /// Writes one image's features into <paramref name="destination"/> (<see cref="FeatureCount"/> long), in the order of
    /// <see cref="FeatureNames"/>. <paramref name="trace"/> holds its glimpses; the last glimpse's class is the lookups' class.
    /// </summary>
    public static void Features(ReadOnlySpan<GlimpseTrace> trace, double maxDistance, double agreement, int lookupClass, int vote, int classes,
        Span<double> destination)
    {
        int g = trace.Length, f = 0;
        if (destination.Length != FeatureCount(g, classes))
            throw new ArgumentException($"{destination.Length} feature slots for {FeatureCount(g, classes)} features", nameof(destination));
        int last = trace[g - 1].Class;
        for (int t = 0; t < g; t++) destination[f++] = trace[t].Distance;
        for (int t = 0; t < g; t++) destination[f++] = trace[t].KthDistance;
        for (int t = 0; t < g; t++) destination[f++] = trace[t].HiddenAgreement;
        for (int t = 0; t < g; t++) destination[f++] = trace[t].ClassAgreement;
        for (int t = 0; t < g - 1; t++) destination[f++] = trace[t].Class == last ? 1 : 0;
        for (int t = 0; t < g; t++) destination[f++] = trace[t].NearestClass == last ? 1 : 0;
        for (int t = 0; t < g; t++) destination[f++] = trace[t].Winners / (double)vote;
        double sum = 0;
        for (int t = 0; t < g; t++) sum += trace[t].Distance;
        destination[f++] = maxDistance;
        destination[f++] = sum;
        destination[f++] = agreement;
        for (int c = 0; c < classes; c++) destination[f++] = lookupClass == c ? 1 : 0;
    }

    /// <summary>The feature names for <paramref name="glimpses"/> and <paramref name="classes"/> (d1, dk1, hag1, cag1, [cls1=cls5], ...).</summary>
    public static IReadOnlyList<string> Names(int glimpses, int classes)
    {
        var names = new List<string>(FeatureCount(glimpses, classes));
        foreach (string stem in (string[])["d", "dk", "hag", "cag"])
            for (int t = 1; t <= glimpses; t++) names.Add($"{stem}{t}");
        for (int t = 1; t < glimpses; t++) names.Add($"[cls{t}=cls{glimpses}]");
        for (int t = 1; t <= glimpses; t++) names.Add($"[ncls{t}=cls{glimpses}]");
        for (int t = 1; t <= glimpses; t++) names.Add($"nwin{t}/k");
        names.AddRange(["maxd", "sumd", "agree"]);
        for (int c = 0; c < classes; c++) names.Add($"[class={c}]");
        return names;
    }

    internal RidgeLogisticRegression Model => _model;

    private static int GlimpsesOf(MbiRun run)
    {
        if (run.Trace is null) throw new ArgumentException("the run has no glimpse trace: run MbiEvaluation.Run with trace: true", nameof(run));
        return run.Predicted.Length == 0 ? 0 : run.Trace.Length / run.Predicted.Length;
    }

    /// <summary>Refuses a vote the gate cannot use: with one voter its vote features are constant (dk = d, agreements 1, one winner).</summary>
    public static void CheckVote(int vote)
    {
        if (vote < 2) throw VoteRefused(vote);
    }

    private static BadInputException VoteRefused(int vote) =>
        BadInputException.For("vote", vote, "> 1 for the learned gate (its features are the vote's: voters' distances, agreements and classes)", "5");
}

/// <summary>What a <see cref="LearnedGate"/> is fitted to predict per image.</summary>
public enum LearnedGateTarget
{
    /// <summary>The lookups' class is right (the default, and every gate file before the no-loss target).</summary>
    LookupRight,
    /// <summary>Serving by lookups loses nothing against the fallback: the lookups' class is right, or the fallback's is wrong.</summary>
    NoLoss,
}

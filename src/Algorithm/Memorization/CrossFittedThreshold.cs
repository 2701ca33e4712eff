using Mbi.Algorithm.Mnist;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// The learned gate's threshold without the in-sample optimism of fitting the gate and choosing T on the same images.
/// The validation images are split in two halves (drawn from the seed); a gate fitted on each half scores the other, and
/// on those held-out scores the largest served share q is found at which the two halves' mixed accuracy, averaged, stays
/// >= the target (serving the lowest-scored images first). T is then the score, under the gate fitted on all the
/// validation images, below which the share q of them falls. Measured on this project's tables (docs/mbi/learned-gate):
/// a T chosen in-sample at 97.5 % gives 97.1-97.5 % on images the gate did not see; the cross-fitted share is what a gate
/// does on images it has not seen.
/// </summary>
public static class CrossFittedThreshold
{
    /// <summary>The held-out point found and the threshold it gives.</summary>
    /// <param name="Threshold">T for the gate fitted on all the images (serve when score &lt;= T).</param>
    /// <param name="HeldOutServed">The share q served on the held-out halves.</param>
    /// <param name="HeldOutAccuracy">The mean of the halves' mixed accuracy at q.</param>
    public readonly record struct Result(double Threshold, double HeldOutServed, double HeldOutAccuracy);

    /// <summary>
    /// Finds T for <paramref name="full"/> (fitted on every image of <paramref name="run"/>) by 2-fold cross-fitting with
    /// <paramref name="fit"/> (which fits a gate of the same kind on a sub-run and its images) at mixed accuracy
    /// <paramref name="target"/>, <paramref name="fallback"/> classifying the images not served.
    /// </summary>
    public static Result Find(MbiRun run, MnistImages images, int[] fallback, double target, LearnedGate full,
        Func<MbiRun, MnistImages, int[], LearnedGate> fit, ulong seed)
    {
        int n = run.Predicted.Length;
        if (images.Count != n || fallback.Length != n) throw new ArgumentException($"{images.Count} images and {fallback.Length} fallback classes for {n} run images");
        if (n < 4) throw new ArgumentException($"{n} images are too few to cross-fit", nameof(run));
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        new SeededRandom(seed, SeededRandom.StreamId("gate-cross-fit"), 0).Shuffle<int>(order);
        int[][] halves = [order[..(n / 2)], order[(n / 2)..]];
        var curves = new double[2][];
        for (int f = 0; f < 2; f++)
        {
            int[] fitOn = halves[f], heldOut = halves[1 - f];
            var gate = fit(run.Subset(fitOn), images.Subset(fitOn), [.. fitOn.Select(i => fallback[i])]);
            double[] scores = gate.Scores(run.Subset(heldOut), images.Subset(heldOut));
            curves[f] = Curve(run, heldOut, scores, fallback, images.Labels);
        }
        // The largest share (on a grid of 1 / n) whose mean held-out accuracy reaches the target.
        double bestShare = -1, bestAccuracy = double.NaN;
        for (int k = 0; k <= n; k++)
        {
            double q = k / (double)n;
            double accuracy = (At(curves[0], q) + At(curves[1], q)) / 2;
            if (accuracy >= target) (bestShare, bestAccuracy) = (q, accuracy);
        }
        if (bestShare < 0) return new Result(double.NaN, 0, double.NaN);
        double[] all = full.Scores(run, images);
        Array.Sort(all);
        int served = (int)Math.Round(bestShare * n);
        double threshold = served == 0 ? double.NegativeInfinity : all[served - 1];
        return new Result(threshold, bestShare, bestAccuracy);
    }

    /// <summary>Mixed accuracy on <paramref name="heldOut"/> when its m lowest-scored images are served, m = 0..count.</summary>
    private static double[] Curve(MbiRun run, int[] heldOut, double[] scores, int[] fallback, ReadOnlySpan<byte> labels)
    {
        int m = heldOut.Length;
        int[] sorted = [.. Enumerable.Range(0, m).OrderBy(k => scores[k]).ThenBy(k => k)];
        int correct = 0;
        foreach (int i in heldOut) if (fallback[i] == labels[i]) correct++;
        var curve = new double[m + 1];
        curve[0] = correct / (double)m;
        for (int k = 0; k < m; k++)
        {
            int i = heldOut[sorted[k]];
            correct += (run.Predicted[i] == labels[i] ? 1 : 0) - (fallback[i] == labels[i] ? 1 : 0);
            curve[k + 1] = correct / (double)m;
        }
        return curve;
    }

    private static double At(double[] curve, double share) => curve[(int)Math.Floor(share * (curve.Length - 1))];
}

using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

[TestFixture]
public sealed class CrossFittedThresholdTests
{
    [Test]
    public void When_RunIsSubset_Expect_ThoseImagesInThatOrder()
    {
        var (run, _, _) = Run();
        int[] pick = [7, 3, 150, 3];
        var sub = run.Subset(pick);
        int g = run.MatchDistances.Length / run.Predicted.Length;
        Assert.That(sub.Predicted, Is.EqualTo(pick.Select(i => run.Predicted[i])));
        Assert.That(sub.MaxDistance, Is.EqualTo(pick.Select(i => run.MaxDistance[i])));
        Assert.That(sub.Agreement, Is.EqualTo(pick.Select(i => run.Agreement[i])));
        Assert.That(sub.MatchDistances, Is.EqualTo(pick.SelectMany(i => run.MatchDistances.Skip(i * g).Take(g))));
        Assert.That(sub.Trace, Is.EqualTo(pick.SelectMany(i => run.Trace!.Skip(i * g).Take(g))));
    }

    [Test]
    public void When_CrossFitted_Expect_HalvesFittedApartTheLargestHeldOutShareAtTheTargetAndTheFullGatesT()
    {
        var (run, images, lut) = Run();
        int n = images.Count;
        int[] fallback = [.. Enumerable.Range(0, n).Select(i => i % 10 == 0 ? (images.Labels[i] + 1) % 10 : images.Labels[i])];
        var fits = new List<int[]>();
        LearnedGate Fit(MbiRun r, MnistImages im, int[] fb)
        {
            fits.Add([.. im.Labels.ToArray().Select(b => (int)b)]);
            return LearnedGate.Fit(r, im.Labels, 5, 10, 1, "x", "tree");
        }
        var full = LearnedGate.Fit(run, images.Labels, 5, 10, 1, "x", "tree");
        const double target = 0.86;
        var result = CrossFittedThreshold.Find(run, images, fallback, target, full, Fit, 3);
        Assert.That(fits.Select(f => f.Length), Is.EqualTo(new[] { n / 2, n - n / 2 }), "a gate fitted on each half");
        Assert.That(result.HeldOutAccuracy, Is.GreaterThanOrEqualTo(target));
        Assert.That(result.HeldOutServed, Is.GreaterThan(0.2).And.LessThan(1), "a share between none and all: the test exercises the search");
        // Recomputed by hand: the halves from the same seeded shuffle, each scored by the gate fitted on the other.
        var order = Enumerable.Range(0, n).ToArray();
        var rng = new SeededRandom(3, SeededRandom.StreamId("gate-cross-fit"), 0);
        for (int i = n - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        int[][] halves = [order[..(n / 2)], order[(n / 2)..]];
        double[] Curve(int f)
        {
            var gate = LearnedGate.Fit(run.Subset(halves[f]), images.Subset(halves[f]).Labels, 5, 10, 1, "x", "tree");
            int[] held = halves[1 - f];
            double[] s = gate.Scores(run.Subset(held));
            var sorted = Enumerable.Range(0, held.Length).OrderBy(k => s[k]).ThenBy(k => k).Select(k => held[k]).ToArray();
            var c = new double[held.Length + 1];
            int correct = held.Count(i => fallback[i] == images.Labels[i]);
            c[0] = correct / (double)held.Length;
            for (int k = 0; k < sorted.Length; k++)
            {
                int i = sorted[k];
                correct += (run.Predicted[i] == images.Labels[i] ? 1 : 0) - (fallback[i] == images.Labels[i] ? 1 : 0);
                c[k + 1] = correct / (double)held.Length;
            }
            return c;
        }
        double[][] curves = [Curve(0), Curve(1)];
        double Mean(double q) => curves.Average(c => c[(int)Math.Floor(q * (c.Length - 1))]);
        double best = Enumerable.Range(0, n + 1).Select(k => k / (double)n).Where(q => Mean(q) >= target).Max();
        Assert.That(result.HeldOutServed, Is.EqualTo(best));
        Assert.That(result.HeldOutAccuracy, Is.EqualTo(Mean(best)));
        // T serves that share of the validation images under the gate fitted on all of them.
        double[] scores = full.Scores(run);
        Assert.That(scores.Count(s => s <= result.Threshold), Is.EqualTo((int)Math.Round(best * n)));
        Assert.That(CrossFittedThreshold.Find(run, images, fallback, target, full, Fit, 3), Is.EqualTo(result), "same seed, same threshold");
    }

    private static (MbiRun Run, MnistImages Images, LookupTable Lut) Run() => GateRuns.Synthetic(0.8);
}

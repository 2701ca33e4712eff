using MathNet.Numerics.Distributions;
using Mbi.Core.Randomness;

namespace Mbi.CoSim.Tail;

/// <summary>A failure probability with its 95 % confidence interval.</summary>
/// <param name="Method">"monte-carlo" (plain draws, Clopper-Pearson interval) or "importance-sampling" (mean-shifted
/// draws, likelihood-ratio weighted, normal interval on the weighted mean).</param>
/// <param name="EffectiveSamples">Kish's effective sample size of the weighted failures (plain Monte Carlo: the failures).</param>
internal sealed record ProbabilityEstimate(string Method, long Samples, long Failures, double Probability, double Lower95, double Upper95,
    double EffectiveSamples)
{
    /// <summary>Half the interval's width over the estimate (infinite when nothing failed).</summary>
    public double RelativeHalfWidth => Probability > 0 ? (Upper95 - Lower95) / (2 * Probability) : double.PositiveInfinity;
}

/// <summary>
/// A most probable failure point (FORM's design point) of one failure mode: the failing variables nearest the origin
/// in standard-normal space; <see cref="Beta"/> is its distance (the "sigma" of the failure).
/// </summary>
internal sealed record FailurePoint(int Side, double Beta, double[] Z, int Iterations, bool Reached, bool BeyondGrid, string Mode);

/// <summary>
/// Per-readout failure probability: plain Monte Carlo with a Clopper-Pearson interval, and a high-sigma estimate
/// by importance sampling around the most probable failure points (Hasofer-Lind-Rackwitz-Fiessler iteration on the
/// compact model, numeric gradients). The proposal is a defensive mixture: 10 % the nominal distribution, 90 % split
/// over the reachable failure points, each a unit-variance normal centred there; weights are phi(z) / q(z), so the
/// estimator is unbiased and its weights are bounded by 10. Draws come in fixed chunks, each from its own seeded
/// stream and summed in chunk order: the same seed gives the same bytes on any number of workers.
/// </summary>
internal static class TailEstimator
{
    private static readonly ulong Stream = SeededRandom.StreamId("mbi.cosim.tail");
    private const int Chunk = 4096;
    public const double DefensiveWeight = 0.1;

    public static ProbabilityEstimate MonteCarlo(ILimitState readout, long samples, ulong seed, int workers)
    {
        long[] failures = ForChunks(samples, workers, (chunk, count) =>
        {
            var random = new SeededRandom(seed, Stream, (ulong)chunk);
            var z = new double[readout.Dimensions];
            long k = 0;
            for (int s = 0; s < count; s++)
            {
                for (int i = 0; i < z.Length; i++) z[i] = random.NextGaussian();
                if (readout.Fails(z)) k++;
            }
            return k;
        });
        long total = failures.Sum();
        var (lower, upper) = ClopperPearson(total, samples);
        return new ProbabilityEstimate("monte-carlo", samples, total, total / (double)samples, lower, upper, total);
    }

    /// <summary>
    /// The failure points on <paramref name="side"/> (-1: reads a nearer code, +1: a farther one) within
    /// <paramref name="maxBeta"/>: a collective one (all variables, from the ray down the margin's gradient, then
    /// projected Hasofer-Lind iterations that stay on the boundary) and one per group (a column's two read stacks alone:
    /// a ray search over directions in their plane). The sum line saturates (a column's drop barely moves until its stack
    /// is too slow to discharge in the window), so a single device far out is often likelier than a collective drift, and
    /// every column has its own such point: importance sampling must cover all of them. Points more than 2 sigma of beta
    /// behind the best are dropped (their share is below exp(-2 beta_min) of it).
    /// </summary>
    public static IReadOnlyList<FailurePoint> FailurePoints(ILimitState readout, int side, double maxBeta = 12)
    {
        int n = readout.Dimensions;
        var points = new List<FailurePoint>();
        var gradient = Gradient(readout, new double[n], side);
        double norm = Math.Sqrt(gradient.Sum(v => v * v));
        if (norm > 1e-12)
        {
            var direction = gradient.Select(v => -v / norm).ToArray();
            double r = RayRoot(readout, side, direction, maxBeta);
            if (double.IsFinite(r)) points.Add(Refine(readout, side, direction, r, maxBeta, "collective"));
        }
        var groups = readout.Groups;
        for (int gi = 0; gi < groups.Count; gi++)
        {
            int[] group = groups[gi];
            // r(theta) around the plane: every local minimum is its own mode (a series stack fails when either device is slow).
            int angles = group.Length == 1 ? 2 : 96;
            var radii = new double[angles];
            var directions = new double[angles][];
            for (int a = 0; a < angles; a++)
            {
                var direction = new double[n];
                double theta = 2 * Math.PI * a / angles;
                if (group.Length == 1) direction[group[0]] = a == 0 ? 1 : -1;
                else { direction[group[0]] = Math.Cos(theta); direction[group[1]] = Math.Sin(theta); }
                directions[a] = direction;
                radii[a] = RayRoot(readout, side, direction, maxBeta);
            }
            for (int a = 0; a < angles; a++)
            {
                double r = radii[a];
                if (!double.IsFinite(r)) continue;
                bool minimum = group.Length == 1 || (r <= radii[(a + angles - 1) % angles] && r < radii[(a + 1) % angles]);
                if (!minimum) continue;
                var z = directions[a].Select(v => v * r).ToArray();
                points.Add(new FailurePoint(side, r, z, angles, true, readout.BeyondGrid(z), $"group {gi}, angle {360.0 * a / angles:F0} deg"));
            }
        }
        if (points.Count == 0) return [new FailurePoint(side, double.PositiveInfinity, new double[n], 0, false, false, "none within reach")];
        double min = points.Min(p => p.Beta);
        return points.Where(p => p.Beta <= min + 2).OrderBy(p => p.Beta).ToList();
    }

    /// <summary>The smallest radius along <paramref name="direction"/> (unit) where the margin turns negative, or infinity within <paramref name="maxRadius"/>.</summary>
    private static double RayRoot(ILimitState readout, int side, double[] direction, double maxRadius)
    {
        var z = new double[direction.Length];
        double Margin(double r)
        {
            for (int i = 0; i < z.Length; i++) z[i] = r * direction[i];
            return readout.Margin(z, side);
        }
        if (Margin(0) < 0) return 0;
        const double step = 0.05;
        double low = 0;
        for (double r = step; r <= maxRadius + 1e-12; r += step)
        {
            if (Margin(r) < 0)
            {
                double high = r;
                for (int k = 0; k < 40; k++)
                {
                    double mid = 0.5 * (low + high);
                    if (Margin(mid) < 0) high = mid; else low = mid;
                }
                return high;
            }
            low = r;
        }
        return double.PositiveInfinity;
    }

    /// <summary>Projected Hasofer-Lind iterations: step to the linearised design point, then back onto the boundary along
    /// that direction; kept while the radius falls.</summary>
    private static FailurePoint Refine(ILimitState readout, int side, double[] direction, double radius, double maxBeta, string label)
    {
        int n = direction.Length, iterations = 0;
        var z = direction.Select(v => v * radius).ToArray();
        for (; iterations < 60; iterations++)
        {
            var gradient = Gradient(readout, z, side);
            double norm2 = gradient.Sum(v => v * v);
            if (norm2 < 1e-18) break;
            double g = readout.Margin(z, side), dot = 0;
            for (int i = 0; i < n; i++) dot += gradient[i] * z[i];
            double scale = (dot - g) / norm2, length = 0;
            var next = new double[n];
            for (int i = 0; i < n; i++) { next[i] = scale * gradient[i]; length += next[i] * next[i]; }
            length = Math.Sqrt(length);
            if (length < 1e-12) break;
            for (int i = 0; i < n; i++) next[i] /= length;
            double r = RayRoot(readout, side, next, Math.Min(maxBeta, radius));
            if (!(r < radius - 1e-7)) break;
            radius = r;
            z = next.Select(v => v * r).ToArray();
        }
        return new FailurePoint(side, radius, z, iterations, true, readout.BeyondGrid(z), label);
    }

    private static double[] Gradient(ILimitState readout, double[] z, int side)
    {
        const double h = 1e-3;
        var gradient = new double[z.Length];
        var probe = (double[])z.Clone();
        for (int i = 0; i < z.Length; i++)
        {
            probe[i] = z[i] + h;
            double up = readout.Margin(probe, side);
            probe[i] = z[i] - h;
            gradient[i] = (up - readout.Margin(probe, side)) / (2 * h);
            probe[i] = z[i];
        }
        return gradient;
    }

    /// <summary>Importance sampling around the reachable <paramref name="points"/>; plain Monte Carlo's answer when none is reachable.</summary>
    public static ProbabilityEstimate ImportanceSampling(ILimitState readout, IReadOnlyList<FailurePoint> points, long samples, ulong seed,
        int workers, Func<double[], bool>? fails = null)
    {
        var (centres, shares) = Mixture(points);
        fails ??= z => readout.Fails(z);
        var sums = ForChunks(samples, workers, (chunk, count) =>
        {
            var random = new SeededRandom(seed, Stream ^ 0x5A5A5A5A5A5A5A5AUL, (ulong)chunk);
            var z = new double[readout.Dimensions];
            double sum = 0, sumSquares = 0;
            long k = 0;
            for (int s = 0; s < count; s++)
            {
                Draw(random, centres, shares, z);
                if (!fails(z)) continue;
                double w = Weight(centres, shares, z);
                k++;
                sum += w;
                sumSquares += w * w;
            }
            return new WeightedSums(k, sum, sumSquares);
        });
        long failures = 0;
        double total = 0, totalSquares = 0;
        foreach (var s in sums) { failures += s.Failures; total += s.Sum; totalSquares += s.SumSquares; }
        double p = total / samples;
        double variance = Math.Max(0, totalSquares / samples - p * p) / Math.Max(1, samples - 1);
        double half = 1.959963984540054 * Math.Sqrt(variance);
        double effective = totalSquares > 0 ? total * total / totalSquares : 0;
        if (failures == 0)
        {
            // Nothing failed: the rule of three on the proposal's draws, scaled by the largest weight a failure could carry.
            return new ProbabilityEstimate("importance-sampling", samples, 0, 0, 0, 3.0 / samples / DefensiveWeight, 0);
        }
        return new ProbabilityEstimate("importance-sampling", samples, failures, p, Math.Max(0, p - half), p + half, effective);
    }

    /// <summary>The proposal's first <paramref name="count"/> draws (as <see cref="ImportanceSampling"/> makes them), for re-reading in ngspice.</summary>
    public static IEnumerable<(double[] Z, double Weight)> ProposalDraws(ILimitState readout, IReadOnlyList<FailurePoint> points, ulong seed, int count)
    {
        var (centres, shares) = Mixture(points);
        var random = new SeededRandom(seed, Stream ^ 0x5A5A5A5A5A5A5A5AUL, 0);
        for (int s = 0; s < Math.Min(count, Chunk); s++)
        {
            var z = new double[readout.Dimensions];
            Draw(random, centres, shares, z);
            yield return (z, Weight(centres, shares, z));
        }
    }

    /// <summary>Exact (Clopper-Pearson) two-sided interval for k failures in n trials.</summary>
    public static (double Lower, double Upper) ClopperPearson(long k, long n, double confidence = 0.95)
    {
        double alpha = 1 - confidence;
        double lower = k == 0 ? 0 : Beta.InvCDF(k, n - k + 1, alpha / 2);
        double upper = k == n ? 1 : Beta.InvCDF(k + 1, n - k, 1 - alpha / 2);
        return (lower, upper);
    }

    /// <summary>The reachable points and their shares of the non-defensive 90 %, proportional to exp(-beta^2 / 2) (each mode's likelihood).</summary>
    private static (double[][] Centres, double[] Shares) Mixture(IReadOnlyList<FailurePoint> points)
    {
        var reached = points.Where(p => p.Reached && double.IsFinite(p.Beta)).ToArray();
        if (reached.Length == 0) return ([], []);
        double min = reached.Min(p => p.Beta);
        var raw = reached.Select(p => Math.Exp(-0.5 * (p.Beta * p.Beta - min * min))).ToArray();
        double total = raw.Sum();
        return (reached.Select(p => p.Z).ToArray(), raw.Select(v => (1 - DefensiveWeight) * v / total).ToArray());
    }

    private static void Draw(SeededRandom random, double[][] centres, double[] shares, double[] z)
    {
        double u = random.NextDouble() - DefensiveWeight;
        double[]? centre = null;
        for (int j = 0; j < centres.Length && u >= 0; j++)
        {
            if (u < shares[j] || j == centres.Length - 1) { centre = centres[j]; break; }
            u -= shares[j];
        }
        for (int i = 0; i < z.Length; i++) z[i] = random.NextGaussian() + (centre?[i] ?? 0);
    }

    /// <summary>phi(z) / q(z) for the defensive mixture.</summary>
    private static double Weight(double[][] centres, double[] shares, double[] z)
    {
        double ratio = DefensiveWeight;
        for (int j = 0; j < centres.Length; j++)
        {
            double[] mu = centres[j];
            double dot = 0, norm2 = 0;
            for (int i = 0; i < z.Length; i++) { dot += mu[i] * z[i]; norm2 += mu[i] * mu[i]; }
            ratio += shares[j] * Math.Exp(dot - 0.5 * norm2);
        }
        return centres.Length == 0 ? 1 : 1 / ratio;
    }

    private sealed record WeightedSums(long Failures, double Sum, double SumSquares);

    private static T[] ForChunks<T>(long samples, int workers, Func<int, int, T> work)
    {
        int chunks = (int)((samples + Chunk - 1) / Chunk);
        var results = new T[chunks];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) },
            c => results[c] = work(c, (int)Math.Min(Chunk, samples - (long)c * Chunk)));
        return results;
    }
}

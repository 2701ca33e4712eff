using MathNet.Numerics.Distributions;
using Mbi.Core.Errors;
using Mbi.Core.Progress;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Optimization;

/// <summary>One evaluation of the objective.</summary>
internal sealed record OptimizationTrial(IReadOnlyList<double> X, double Value);

/// <summary>The best point found and every trial, in order.</summary>
internal sealed record OptimizationResult(IReadOnlyList<double> BestX, double BestValue, IReadOnlyList<OptimizationTrial> Trials)
{
    /// <summary>Best value seen after each trial (the convergence curve).</summary>
    public IReadOnlyList<double> BestSoFar()
    {
        var best = new List<double>();
        double b = double.NegativeInfinity;
        foreach (var t in Trials) best.Add(b = Math.Max(b, t.Value));
        return best;
    }
}

/// <summary>
/// Maximises an expensive black-box function over a box: a few seeded random points, then each next point
/// maximises expected improvement under a Gaussian-process surrogate (<see cref="GaussianProcess"/>).
/// EI is maximised over seeded random candidates plus Gaussian perturbations of the best points.
/// Deterministic from the seed.
/// </summary>
internal sealed class BayesianOptimizer
{
    private static readonly ulong Stream = SeededRandom.StreamId("bayesian-optimisation");
    private readonly double[] _lower, _upper;

    public BayesianOptimizer(IReadOnlyList<double> lower, IReadOnlyList<double> upper, ulong seed, int initialPoints = 5, int candidates = 3000)
    {
        if (lower.Count == 0 || lower.Count != upper.Count) throw new ArgumentException("lower and upper bounds need the same, non-zero, length");
        for (int i = 0; i < lower.Count; i++)
            if (!(upper[i] > lower[i])) throw BadInputException.For($"search range of dimension {i}", $"[{lower[i]}, {upper[i]}]", "an interval with upper > lower");
        if (initialPoints < 1) throw BadInputException.For("initial points", initialPoints, ">= 1", "5");
        _lower = [.. lower];
        _upper = [.. upper];
        Seed = seed;
        InitialPoints = initialPoints;
        Candidates = candidates;
    }

    public ulong Seed { get; }
    public int InitialPoints { get; }
    public int Candidates { get; }
    /// <summary>Exploration margin of EI, in standardised output units.</summary>
    public double Xi { get; init; } = 0.01;

    public OptimizationResult Maximize(Func<IReadOnlyList<double>, double> objective, int budget, IProgress<ProgressUpdate>? progress = null)
    {
        if (budget < 1) throw BadInputException.For("budget", budget, ">= 1", "30");
        int d = _lower.Length;
        var unit = new List<double[]>();
        var values = new List<double>();
        var trials = new List<OptimizationTrial>();
        for (int t = 0; t < budget; t++)
        {
            var rng = new SeededRandom(Seed, Stream, (ulong)t);
            double[] u = t < InitialPoints ? RandomPoint(rng, d) : NextByExpectedImprovement(unit, values, rng);
            double[] x = ToBox(u);
            double y = objective(x);
            if (!double.IsFinite(y)) throw new MbiException($"the objective returned {y} at ({string.Join(", ", x)}); it must be finite");
            unit.Add(u);
            values.Add(y);
            trials.Add(new OptimizationTrial(x, y));
            progress?.Report(new ProgressUpdate("bayesian optimisation", t + 1, budget, $"best {values.Max():G4}"));
        }
        int best = values.IndexOf(values.Max());
        return new OptimizationResult(trials[best].X, values[best], trials);
    }

    /// <summary>Expected improvement over <paramref name="best"/> for maximisation.</summary>
    public static double ExpectedImprovement(double mean, double stdDev, double best, double xi)
    {
        if (stdDev <= 1e-12) return Math.Max(0, mean - best - xi);
        double z = (mean - best - xi) / stdDev;
        return (mean - best - xi) * Normal.CDF(0, 1, z) + stdDev * Normal.PDF(0, 1, z);
    }

    private double[] NextByExpectedImprovement(List<double[]> unit, List<double> values, SeededRandom rng)
    {
        var gp = GaussianProcess.Fit(unit, values);
        double best = values.Max();
        double scale = Math.Max(1e-12, Spread(values));
        double[] bestPoint = RandomPoint(rng, unit[0].Length);
        double bestEi = double.NegativeInfinity;
        var order = Enumerable.Range(0, values.Count).OrderByDescending(i => values[i]).Take(3).ToArray();
        for (int c = 0; c < Candidates; c++)
        {
            double[] u;
            if (c % 3 == 2) // local: perturb one of the best points
            {
                double[] around = unit[order[c % order.Length]];
                double sigma = 0.02 + 0.1 * rng.NextDouble();
                u = [.. around.Select(v => Math.Clamp(v + sigma * rng.NextGaussian(), 0, 1))];
            }
            else u = RandomPoint(rng, unit[0].Length);
            var (mean, std) = gp.Predict(u);
            double ei = ExpectedImprovement(mean, std, best, Xi * scale);
            if (ei > bestEi) { bestEi = ei; bestPoint = u; }
        }
        return bestPoint;
    }

    private static double Spread(List<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    private static double[] RandomPoint(SeededRandom rng, int d)
    {
        var u = new double[d];
        for (int i = 0; i < d; i++) u[i] = rng.NextDouble();
        return u;
    }

    private double[] ToBox(double[] u)
    {
        var x = new double[u.Length];
        for (int i = 0; i < u.Length; i++) x[i] = _lower[i] + u[i] * (_upper[i] - _lower[i]);
        return x;
    }

    /// <summary>The same budget spent on uniform random points (the baseline BO must beat).</summary>
    public OptimizationResult RandomSearch(Func<IReadOnlyList<double>, double> objective, int budget, IProgress<ProgressUpdate>? progress = null)
    {
        if (budget < 1) throw BadInputException.For("budget", budget, ">= 1", "30");
        var trials = new List<OptimizationTrial>();
        var random = SeededRandom.StreamId("random-search");
        for (int t = 0; t < budget; t++)
        {
            double[] x = ToBox(RandomPoint(new SeededRandom(Seed, random, (ulong)t), _lower.Length));
            trials.Add(new OptimizationTrial(x, objective(x)));
            progress?.Report(new ProgressUpdate("random search", t + 1, budget));
        }
        var best = trials.MaxBy(t => t.Value)!;
        return new OptimizationResult(best.X, best.Value, trials);
    }
}

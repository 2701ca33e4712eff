using MathNet.Numerics.LinearAlgebra;

namespace Mbi.Algorithm.Optimization;

/// <summary>
/// Gaussian-process regression with a Matern-5/2 kernel on inputs scaled to the unit box, outputs
/// standardised, and the length scale and noise chosen from a small grid by the log marginal likelihood.
/// Fitting is one Cholesky factorisation per grid point (MathNet); prediction is O(n^2) without allocation
/// beyond one scratch vector.
/// </summary>
internal sealed class GaussianProcess
{
    private static readonly double[] LengthScales = [0.08, 0.15, 0.25, 0.4, 0.6, 1.0, 1.6];
    private static readonly double[] NoiseVariances = [1e-6, 1e-4, 1e-3, 1e-2, 5e-2];

    private readonly double[][] _x;
    private readonly double[] _alpha;
    private readonly double[,] _lower;
    private readonly double _yMean, _yScale;
    private readonly double[] _scratch;

    private GaussianProcess(double[][] x, double[] alpha, double[,] lower, double yMean, double yScale,
        double lengthScale, double noiseVariance, double logLikelihood)
    {
        _x = x;
        _alpha = alpha;
        _lower = lower;
        _yMean = yMean;
        _yScale = yScale;
        LengthScale = lengthScale;
        NoiseVariance = noiseVariance;
        LogMarginalLikelihood = logLikelihood;
        _scratch = new double[x.Length];
    }

    public double LengthScale { get; }
    public double NoiseVariance { get; }
    public double LogMarginalLikelihood { get; }

    /// <summary>Fits the GP to points already scaled to [0, 1]^d.</summary>
    public static GaussianProcess Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y)
    {
        if (x.Count == 0 || x.Count != y.Count) throw new ArgumentException($"{x.Count} inputs and {y.Count} outputs; need as many of each, at least one");
        int n = x.Count;
        double mean = y.Average();
        double scale = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / n);
        if (!(scale > 1e-12)) scale = 1;
        var ys = Vector<double>.Build.Dense(n, i => (y[i] - mean) / scale);
        double[][] xs = [.. x.Select(p => (double[])p.Clone())];

        GaussianProcess? best = null;
        foreach (double length in LengthScales)
            foreach (double noise in NoiseVariances)
            {
                var k = Matrix<double>.Build.Dense(n, n, (i, j) => Kernel(xs[i], xs[j], length) + (i == j ? noise : 0));
                MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> cholesky;
                try { cholesky = k.Cholesky(); }
                catch (ArgumentException) { continue; } // not positive definite at this noise: try the next grid point
                var alpha = cholesky.Solve(ys);
                var l = cholesky.Factor;
                double logDet = 0;
                for (int i = 0; i < n; i++) logDet += Math.Log(l[i, i]);
                double ll = -0.5 * ys.DotProduct(alpha) - logDet - 0.5 * n * Math.Log(2 * Math.PI);
                if (best is null || ll > best.LogMarginalLikelihood)
                    best = new GaussianProcess(xs, alpha.ToArray(), l.ToArray(), mean, scale, length, noise, ll);
            }
        return best ?? throw new InvalidOperationException("no kernel setting gave a positive-definite covariance");
    }

    /// <summary>Posterior mean and standard deviation (of the latent function) at a point of the unit box.</summary>
    public (double Mean, double StdDev) Predict(ReadOnlySpan<double> point)
    {
        int n = _x.Length;
        double mean = 0;
        Span<double> v = _scratch;
        for (int i = 0; i < n; i++)
        {
            double k = Kernel(_x[i], point, LengthScale);
            mean += k * _alpha[i];
            v[i] = k;
        }
        // v = L^-1 k* by forward substitution; variance = k(x,x) - v.v
        double vv = 0;
        for (int i = 0; i < n; i++)
        {
            double s = v[i];
            for (int j = 0; j < i; j++) s -= _lower[i, j] * v[j];
            v[i] = s / _lower[i, i];
            vv += v[i] * v[i];
        }
        double variance = Math.Max(0, 1 - vv);
        return (_yMean + _yScale * mean, _yScale * Math.Sqrt(variance));
    }

    /// <summary>Matern 5/2 with unit signal variance.</summary>
    public static double Kernel(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double lengthScale)
    {
        double d2 = 0;
        for (int i = 0; i < a.Length; i++) d2 += (a[i] - b[i]) * (a[i] - b[i]);
        double r = Math.Sqrt(5 * d2) / lengthScale;
        return (1 + r + r * r / 3) * Math.Exp(-r);
    }
}

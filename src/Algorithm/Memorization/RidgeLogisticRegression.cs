namespace Mbi.Algorithm.Memorization;

/// <summary>
/// A logistic regression on standardised features, fitted by Newton's method (iteratively reweighted least squares) with
/// a ridge penalty on the coefficients, not the intercept: it maximises
/// sum_i [y_i eta_i - log(1 + e^eta_i)] - lambda/2 |beta_1..p|^2, eta_i = beta_0 + sum_j beta_j z_ij, z_ij = (x_ij - mean_j) / sd_j.
/// A feature with sd below 1e-12 (constant on the fit set) gets sd 0 and z = 0, so it has no effect. Deterministic: the
/// same data give the same bits (the sums run in image order; Cholesky solves each step).
/// </summary>
/// <param name="Means">Per feature, the fit set's mean.</param>
/// <param name="Deviations">Per feature, the fit set's standard deviation (population, divided by n); 0 for a constant feature.</param>
/// <param name="Beta">Intercept then one coefficient per standardised feature.</param>
/// <param name="Iterations">Newton steps taken.</param>
internal sealed record RidgeLogisticRegression(double[] Means, double[] Deviations, double[] Beta, int Iterations)
{
    /// <summary>Most Newton steps; the fit stops earlier once no coefficient moves by more than <see cref="StepTolerance"/>.</summary>
    public const int MaxIterations = 100;
    /// <summary>The largest coefficient change of a step at which the fit has converged.</summary>
    public const double StepTolerance = 1e-9;

    /// <summary>The log-odds of <paramref name="x"/> (raw features): beta_0 + sum_j beta_j (x_j - mean_j) / sd_j.</summary>
    public double LogOdds(ReadOnlySpan<double> x)
    {
        double z = Beta[0];
        for (int j = 0; j < x.Length; j++) z += Beta[j + 1] * (Deviations[j] > 0 ? (x[j] - Means[j]) / Deviations[j] : 0);
        return z;
    }

    /// <summary>
    /// Fits the rows of <paramref name="features"/> (row-major, one row per entry of <paramref name="outcome"/>) to the
    /// outcomes <paramref name="outcome"/> with ridge <paramref name="lambda"/> (>= 0).
    /// </summary>
    public static RidgeLogisticRegression Fit(ReadOnlySpan<double> features, ReadOnlySpan<bool> outcome, double lambda)
    {
        int n = outcome.Length;
        if (n < 1 || features.Length % n != 0) throw new ArgumentException($"{features.Length} feature values for {n} rows", nameof(features));
        if (!(lambda >= 0 && double.IsFinite(lambda))) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "a ridge >= 0");
        int p = features.Length / n, q = p + 1;
        var mean = new double[p];
        var sd = new double[p];
        for (int j = 0; j < p; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += features[i * p + j];
            mean[j] = sum / n;
            double squares = 0;
            for (int i = 0; i < n; i++) squares += (features[i * p + j] - mean[j]) * (features[i * p + j] - mean[j]);
            sd[j] = Math.Sqrt(squares / n);
            if (sd[j] < 1e-12) sd[j] = 0;
        }
        var z = new double[n * q];
        for (int i = 0; i < n; i++)
        {
            z[i * q] = 1;
            for (int j = 0; j < p; j++) z[i * q + j + 1] = sd[j] > 0 ? (features[i * p + j] - mean[j]) / sd[j] : 0;
        }
        var beta = new double[q];
        var gradient = new double[q];
        var hessian = new double[q * q];
        int iterations = 0;
        while (iterations < MaxIterations)
        {
            iterations++;
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (int i = 0; i < n; i++)
            {
                var zi = z.AsSpan(i * q, q);
                double eta = 0;
                for (int j = 0; j < q; j++) eta += beta[j] * zi[j];
                double probability = 1 / (1 + Math.Exp(-eta));
                double weight = Math.Max(probability * (1 - probability), 1e-12), residual = (outcome[i] ? 1 : 0) - probability;
                for (int j = 0; j < q; j++)
                {
                    gradient[j] += residual * zi[j];
                    for (int k = 0; k <= j; k++) hessian[j * q + k] += weight * zi[j] * zi[k];
                }
            }
            for (int j = 1; j < q; j++)
            {
                gradient[j] -= lambda * beta[j];
                hessian[j * q + j] += lambda;
            }
            hessian[0] += 1e-9; // the intercept is not penalised; this keeps an all-one-outcome fit solvable
            for (int j = 0; j < q; j++)
                for (int k = j + 1; k < q; k++) hessian[j * q + k] = hessian[k * q + j];
            var step = SolveCholesky(hessian, gradient);
            double largest = 0;
            for (int j = 0; j < q; j++)
            {
                beta[j] += step[j];
                largest = Math.Max(largest, Math.Abs(step[j]));
            }
            if (largest < StepTolerance) break;
        }
        return new RidgeLogisticRegression(mean, sd, beta, iterations);
    }

    /// <summary>Solves A x = b for a symmetric positive definite A (row-major q x q) by Cholesky (pivots floored at 1e-15).</summary>
    internal static double[] SolveCholesky(double[] a, double[] b)
    {
        int n = b.Length;
        var l = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                if (i == j) l[i * n + i] = Math.Sqrt(Math.Max(s, 1e-15));
                else l[i * n + j] = s / l[j * n + j];
            }
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * y[k];
            y[i] = s / l[i * n + i];
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
            x[i] = s / l[i * n + i];
        }
        return x;
    }
}

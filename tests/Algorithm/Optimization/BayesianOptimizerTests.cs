using Mbi.Algorithm.Optimization;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Optimization;

[TestFixture]
public sealed class BayesianOptimizerTests
{
    // Branin-Hoo, negated for maximisation: maximum -0.397887 at (-pi, 12.275), (pi, 2.275), (9.42478, 2.475).
    private static double NegBranin(IReadOnlyList<double> x)
    {
        double x1 = x[0], x2 = x[1];
        double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        return -(Math.Pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * Math.Cos(x1) + 10);
    }

    [Test]
    public void When_MaximisingBranin_Expect_GlobalOptimumWithinBudget()
    {
        var bo = new BayesianOptimizer([-5, 0], [10, 15], seed: 1);
        var result = bo.Maximize(NegBranin, budget: 40);
        // 0.05 above the optimum 0.397887 is inside the basin of one of the three global minima.
        Assert.That(result.BestValue, Is.GreaterThan(-0.397887 - 0.05));
        var random = bo.RandomSearch(NegBranin, budget: 40);
        TestContext.Out.WriteLine($"BO best {result.BestValue:F4}, random search best {random.BestValue:F4}");
        Assert.That(result.BestValue, Is.GreaterThan(random.BestValue), "same budget: BO beats random search");
    }

    [Test]
    public void When_MaximisingQuadraticOverThreeWeights_Expect_ArgmaxFound()
    {
        double[] optimum = [0.3, 0.7, 0.5];
        double F(IReadOnlyList<double> x) => -Enumerable.Range(0, 3).Sum(i => (x[i] - optimum[i]) * (x[i] - optimum[i]));
        var result = new BayesianOptimizer([0, 0, 0], [1, 1, 1], seed: 2).Maximize(F, budget: 30);
        // 0.05 per coordinate: the maximum is flat (second order), so f is within 0.0075 of 0 there.
        for (int i = 0; i < 3; i++) Assert.That(result.BestX[i], Is.EqualTo(optimum[i]).Within(0.05), $"coordinate {i}");
    }

    [Test]
    public void When_RunTwiceWithOneSeed_Expect_SameTrials()
    {
        var a = new BayesianOptimizer([-5, 0], [10, 15], seed: 4).Maximize(NegBranin, budget: 12);
        var b = new BayesianOptimizer([-5, 0], [10, 15], seed: 4).Maximize(NegBranin, budget: 12);
        Assert.That(a.Trials.Select(t => t.X.ToArray()), Is.EqualTo(b.Trials.Select(t => t.X.ToArray())));
    }

    [Test]
    public void When_GaussianProcessFitsSmoothFunction_Expect_InterpolationAndShrinkingUncertainty()
    {
        var x = Enumerable.Range(0, 12).Select(i => new[] { i / 11.0 }).ToList();
        var y = x.Select(p => Math.Sin(6 * p[0])).ToList();
        var gp = GaussianProcess.Fit(x, y);
        // A noise-free smooth function: the fitted noise is tiny, so training points are reproduced to 1e-2.
        for (int i = 0; i < x.Count; i++) Assert.That(gp.Predict(x[i]).Mean, Is.EqualTo(y[i]).Within(1e-2));
        var between = gp.Predict([0.5 / 11]);
        Assert.That(between.Mean, Is.EqualTo(Math.Sin(6 * 0.5 / 11)).Within(0.05));
        Assert.That(gp.Predict([3.0]).StdDev, Is.GreaterThan(between.StdDev), "far from the data the GP is less sure");
    }
}

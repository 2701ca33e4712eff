using MathNet.Numerics.Distributions;
using NUnit.Framework;
using Mbi.Circuit.Design;
using Mbi.CoSim.Tail;

namespace Mbi.CoSim.Tests.Tail;

/// <summary>
/// The tail estimators against answers known in closed form (a linear failure boundary in standard-normal space,
/// p = Phi(-beta) per side) and against plain Monte Carlo on the real compact model at a probability brute force reaches.
/// </summary>
public sealed class TailEstimatorTests
{
    /// <summary>Fails when a . z exceeds beta on either side (two parallel planes): p = 2 Phi(-beta) exactly.</summary>
    private sealed class TwoPlanes(int dimensions, double beta) : ILimitState
    {
        public int Dimensions => dimensions;
        private double Projection(ReadOnlySpan<double> z)
        {
            double s = 0;
            for (int i = 0; i < z.Length; i++) s += z[i];
            return s / Math.Sqrt(z.Length);
        }
        public bool Fails(ReadOnlySpan<double> z) => Math.Abs(Projection(z)) > beta;
        public double Margin(ReadOnlySpan<double> z, int side) => beta - side * Projection(z);
        public bool BeyondGrid(ReadOnlySpan<double> z) => false;
        public IReadOnlyList<int[]> Groups => [];
    }

    [Test]
    public void When_ClopperPearsonOnKnownCounts_Expect_TheExactBinomialInterval()
    {
        // k = 0 of n = 100: upper = 1 - 0.025^(1/100) = 0.036217 (closed form).
        var (lower0, upper0) = TailEstimator.ClopperPearson(0, 100);
        Assert.That(lower0, Is.EqualTo(0));
        Assert.That(upper0, Is.EqualTo(1 - Math.Pow(0.025, 0.01)).Within(1e-9));
        // k = 5 of n = 100: the tabulated exact interval [0.01643, 0.11284].
        var (lower, upper) = TailEstimator.ClopperPearson(5, 100);
        Assert.That(lower, Is.EqualTo(0.01643).Within(5e-5));
        Assert.That(upper, Is.EqualTo(0.11284).Within(5e-5));
    }

    [TestCase(3.0)]
    [TestCase(6.0)]
    [TestCase(7.5)]
    public void When_ImportanceSamplingALinearBoundary_Expect_TheExactProbabilityInsideItsInterval(double beta)
    {
        // 2 Phi(-beta): 2.7e-3 at 3, 1.97e-9 at 6, 6.4e-14 at 7.5 — far below anything brute force reaches.
        var state = new TwoPlanes(8, beta);
        var points = TailEstimator.FailurePoints(state, -1).Concat(TailEstimator.FailurePoints(state, +1)).ToList();
        Assert.That(points.Select(p => p.Beta), Is.All.EqualTo(beta).Within(1e-4), "HL-RF finds the plane's distance on both sides");
        var estimate = TailEstimator.ImportanceSampling(state, points, 40_000, seed: 7, workers: 2);
        double exact = 2 * Normal.CDF(0, 1, -beta);
        Assert.That(exact, Is.InRange(estimate.Lower95, estimate.Upper95));
        Assert.That(estimate.RelativeHalfWidth, Is.LessThan(0.05), "40,000 shifted draws give a few-percent interval at any depth");
    }

    [Test]
    public void When_SameSeedOnOneOrManyWorkers_Expect_TheSameBytes()
    {
        var state = new TwoPlanes(6, 4.0);
        var points = TailEstimator.FailurePoints(state, -1).Concat(TailEstimator.FailurePoints(state, +1)).ToList();
        var one = TailEstimator.ImportanceSampling(state, points, 20_000, seed: 3, workers: 1);
        var many = TailEstimator.ImportanceSampling(state, points, 20_000, seed: 3, workers: 4);
        Assert.That(BitConverter.DoubleToInt64Bits(many.Probability), Is.EqualTo(BitConverter.DoubleToInt64Bits(one.Probability)));
        Assert.That(TailEstimator.MonteCarlo(state, 20_000, 3, 1), Is.EqualTo(TailEstimator.MonteCarlo(state, 20_000, 3, 3)));
    }

    [Test]
    public void When_CompactModelAtAReachableProbability_Expect_ImportanceSamplingInsideTheBruteForceInterval()
    {
        var calibration = TestCache.Calibration();
        var design = new CircuitDesign();
        // A rare readout brute force still resolves: 1-bit elements at 8 differing columns (one slow read stack fails it),
        // sigma raised until plain Monte Carlo sees 100 to 2,000 failures in 100,000 readouts (p 1e-3 to 2e-2: interval +-20 % or better).
        foreach (double sigma in new[] { 0.06, 0.07, 0.08, 0.10, 0.12 })
        {
            var readout = new ReadoutFailure(calibration, 1, 8, design.Adc.Bits, sigma);
            var brute = TailEstimator.MonteCarlo(readout, 100_000, seed: 11, workers: Environment.ProcessorCount);
            if (brute.Failures is < 100 or > 2000) continue;
            var points = TailEstimator.FailurePoints(readout, -1).Concat(TailEstimator.FailurePoints(readout, +1)).ToList();
            var importance = TailEstimator.ImportanceSampling(readout, points, 20_000, seed: 11, workers: Environment.ProcessorCount);
            TestContext.Out.WriteLine($"sigma {sigma}: brute {brute.Probability:E3} [{brute.Lower95:E3}, {brute.Upper95:E3}] ({brute.Failures} failures); " +
                                      $"IS {importance.Probability:E3} [{importance.Lower95:E3}, {importance.Upper95:E3}]; {points.Count} failure points, best beta {points.Min(p => p.Beta):F2}");
            Assert.That(importance.Probability, Is.InRange(brute.Lower95, brute.Upper95), "the estimator agrees with brute force within its interval");
            Assert.That(importance.Upper95 - importance.Lower95, Is.LessThan(brute.Upper95 - brute.Lower95),
                "a fifth of the readouts give a narrower interval than brute force");
            return;
        }
        Assert.Fail("no sigma from 60 to 120 mV gave 100 to 2,000 failures in 100,000 readouts at level 8");
    }
}

using Mbi.Core.Statistics;
using NUnit.Framework;

namespace Mbi.Core.Tests.Statistics;

[TestFixture]
public sealed class DistributionTests
{
    // numpy.percentile([1, 2, 3, 4], q) with its default (linear, Hyndman-Fan type 7): 1.0, 1.75, 2.5, 3.25, 4.0.
    // The arithmetic is exact in binary up to one rounding, so 1e-12 is only rounding.
    [TestCase(0.0, 1.0)]
    [TestCase(0.25, 1.75)]
    [TestCase(0.5, 2.5)]
    [TestCase(0.75, 3.25)]
    [TestCase(1.0, 4.0)]
    public void When_PercentileOfFourValues_Expect_NumpyDefault(double q, double expected)
    {
        Assert.That(Distribution.Percentile([4.0, 1.0, 3.0, 2.0], q), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void When_PercentileOfNothing_Expect_NaN()
    {
        Assert.That(Distribution.Percentile([], 0.5), Is.NaN);
    }

    [Test]
    public void When_QuantileOutsideZeroToOne_Expect_ArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Distribution.Percentile([1.0], 1.5));
    }

    [Test]
    public void When_ValuesBinned_Expect_TopEdgeInLastBinAndFractionsOfTheTotal()
    {
        var h = Distribution.Histogram([0.0, 0.5, 1.0], bins: 2, low: 0, high: 1);
        Assert.That(h.Centres, Is.EqualTo(new[] { 0.25, 0.75 }));
        Assert.That(h.Counts, Is.EqualTo(new[] { 1.0, 2.0 }), "0.5 opens the second bin; 1.0, the top edge, is counted in it");
        Assert.That(h.Fractions, Is.EqualTo(new[] { 1 / 3.0, 2 / 3.0 }).Within(1e-15));
        Assert.That(h.Width, Is.EqualTo(0.5));
    }

    [Test]
    public void When_AllValuesEqual_Expect_OneFullBinAndNoDivisionByZero()
    {
        var h = Distribution.Histogram([2.0, 2.0, 2.0], bins: 4);
        Assert.That(h.Counts.Sum(), Is.EqualTo(3));
        Assert.That(h.Counts[0], Is.EqualTo(3));
    }
}

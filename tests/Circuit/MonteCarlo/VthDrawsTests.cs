using Mbi.Circuit.MonteCarlo;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.MonteCarlo;

[TestFixture]
public sealed class VthDrawsTests
{
    [Test]
    public void When_SameSeedAndDie_Expect_SameShifts_AndOtherDiesDiffer()
    {
        var a = new double[514]; var b = new double[514]; var c = new double[514];
        VthDraws.Fill(1, 17, 0.06, a);
        VthDraws.Fill(1, 17, 0.06, b);
        VthDraws.Fill(1, 18, 0.06, c);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(c, Is.Not.EqualTo(a));
    }

    [Test]
    public void When_ManyShiftsDrawn_Expect_ZeroMeanAndSigma()
    {
        var d = new double[200_000];
        VthDraws.Fill(3, 0, 0.06, d);
        double mean = d.Average();
        double sigma = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
        // 200k draws: the standard error of the mean is 0.06/sqrt(2e5) = 0.13 mV and of sigma about
        // 0.1 mV; the bounds are 5 standard errors.
        Assert.That(mean, Is.EqualTo(0).Within(0.0007));
        Assert.That(sigma, Is.EqualTo(0.06).Within(0.0005));
    }
}

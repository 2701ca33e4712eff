using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.Core.Tests;

[TestFixture]
public sealed class SeededRandomTests
{
    [Test]
    public void When_SameSeedStreamIndex_Expect_SameSequence()
    {
        var a = new SeededRandom(7, 3, 11);
        var b = new SeededRandom(7, 3, 11);
        for (int i = 0; i < 100; i++) Assert.That(a.NextUInt64(), Is.EqualTo(b.NextUInt64()));
    }

    [Test]
    public void When_IndexDiffers_Expect_DifferentSequence() =>
        Assert.That(new SeededRandom(7, 3, 11).NextUInt64(), Is.Not.EqualTo(new SeededRandom(7, 3, 12).NextUInt64()));

    [Test]
    public void When_ManyGaussians_Expect_StandardNormalMoments()
    {
        // 200k draws: the standard error of the mean is 1/sqrt(2e5) = 0.0022 and of the variance about
        // sqrt(2/2e5) = 0.0032, so bounds of 0.01 are more than 3 standard errors wide.
        var rng = new SeededRandom(42);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) { double g = rng.NextGaussian(); sum += g; sumSq += g * g; }
        double mean = sum / n, variance = sumSq / n - mean * mean;
        Assert.That(mean, Is.EqualTo(0).Within(0.01));
        Assert.That(variance, Is.EqualTo(1).Within(0.015));
    }

    [Test]
    public void When_NextIntDrawn_Expect_WithinRange()
    {
        var rng = new SeededRandom(1);
        for (int i = 0; i < 10_000; i++) Assert.That(rng.NextInt(10), Is.InRange(0, 9));
    }
}

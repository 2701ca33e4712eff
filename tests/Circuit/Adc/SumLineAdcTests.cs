using Mbi.Circuit.Adc;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Adc;

[TestFixture]
public sealed class SumLineAdcTests
{
    private const double Top = 1.8, Lsb = 0.028;

    [TestCase(0, 0)]
    [TestCase(7, 7)]
    [TestCase(31, 31)]
    public void When_IdealAndAtLevel_Expect_CodeOfThatLevel(int level, int code) =>
        Assert.That(new SumLineAdc(5, Top, Lsb).Convert(Top - level * Lsb), Is.EqualTo((code, false)));

    [Test]
    public void When_MovedByJustUnderOrOverHalfAnLsb_Expect_SameOrNextCode()
    {
        var adc = new SumLineAdc(5, Top, Lsb);
        Assert.That(adc.Convert(Top - 10 * Lsb - 0.49 * Lsb).Code, Is.EqualTo(10));
        Assert.That(adc.Convert(Top - 10 * Lsb - 0.51 * Lsb).Code, Is.EqualTo(11));
    }

    [Test]
    public void When_BeyondFullScale_Expect_ClampedAndReportedSaturated()
    {
        var adc = new SumLineAdc(5, Top, Lsb);
        Assert.That(adc.Convert(Top - 32 * Lsb), Is.EqualTo((31, true)));
        Assert.That(adc.Convert(Top + 2 * Lsb), Is.EqualTo((0, true)));
    }

    [Test]
    public void When_OffsetAndInl_Expect_ShiftAtEndsAndBowAtMidScale()
    {
        var offset = new SumLineAdc(5, Top, Lsb, offsetLsb: 0.6);
        Assert.That(offset.Convert(Top - 3 * Lsb).Code, Is.EqualTo(4));
        var inl = new SumLineAdc(5, Top, Lsb, inlPeakLsb: 0.6);
        Assert.That(inl.Convert(Top).Code, Is.EqualTo(0), "INL is zero at the ends");
        Assert.That(inl.Convert(Top - 15.3 * Lsb).Code, Is.EqualTo(16), "mid-scale bow of 0.6 LSB moves 15.3 to 15.9");
    }

    [Test]
    public void When_BitsOutOfRange_Expect_BadInputNamingAdcBits()
    {
        var e = Assert.Throws<BadInputException>(() => new SumLineAdc(0, Top, Lsb));
        Assert.That(e!.Message, Does.Contain("adc.bits"));
    }
}

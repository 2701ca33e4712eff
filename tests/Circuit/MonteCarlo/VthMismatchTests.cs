using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.MonteCarlo;

[TestFixture]
public sealed class VthMismatchTests
{
    private static readonly RowBench Bench = new(Technology.Ptm16Lp(), new ArrayDesign { Columns = 4 }, new Staircase(4).Program);

    [Test]
    public void When_SigmaGivenDirectly_Expect_ShiftsBitIdenticalToTheSingleSigmaDraws()
    {
        var before = new double[Bench.Devices.Count];
        var after = new double[Bench.Devices.Count];
        VthDraws.Fill(7, 3, 0.06, before);
        new VthMismatch(0.06).Fill(Bench, 7, 3, after);
        Assert.That(after, Is.EqualTo(before)); // exact: same stream, same order, same product
    }

    [Test]
    public void When_PelgromAtMinimumDevice_Expect_SameDrawsAsSixtyMillivolts()
    {
        var direct = new double[Bench.Devices.Count];
        var pelgrom = new double[Bench.Devices.Count];
        VthDraws.Fill(7, 3, 0.06, direct);
        new VthMismatch(0, VthMismatch.AvtFor60mVAtMinimumDevice).Fill(Bench, 7, 3, pelgrom);
        // A_VT is built from 60 mV and divided back by the same sqrt(W L): equal to a few ulp.
        Assert.That(pelgrom, Is.EqualTo(direct).Within(1e-15));
        Assert.That(VthMismatch.AvtFor60mVAtMinimumDevice * 1e9, Is.EqualTo(1.357).Within(0.001), "1.36 mV.um");
    }

    [TestCase(1, 1, 0.060)]
    [TestCase(4, 1, 0.030)]  // four times the width: half the sigma
    [TestCase(2, 2, 0.030)]  // twice the width, two fingers
    public void When_DeviceIsLarger_Expect_SigmaScaledByOneOverSqrtArea(double widthFactor, int multiplier, double expected)
    {
        var t = Technology.Ptm16Lp();
        var devices = new[] { new DeviceRef("m1", false, 0, "cell.mrk1") { WidthMeters = t.WidthMeters * widthFactor, Multiplier = multiplier } };
        double sigma = new VthMismatch(0, VthMismatch.AvtFor60mVAtMinimumDevice).SigmasFor(devices, t)[0];
        Assert.That(sigma, Is.EqualTo(expected).Within(1e-12));
    }

    [TestCase(0)]
    [TestCase(-1e-9)]
    [TestCase(20e-9)]
    public void When_AvtOutOfRange_Expect_BadInputNamingFieldAndUnit(double avt)
    {
        var e = Assert.Throws<BadInputException>(() => new VthMismatch(0.06, avt).Validated());
        Assert.That(e!.Message, Does.Contain("PelgromAvtVoltMeters").And.Contain("mV.um").And.Contain("1.36"));
    }

    [Test]
    public void When_PelgromSet_Expect_JournalFingerprintDiffers_AndPlainSigmaUnchanged()
    {
        string plain = DieJournal.Fingerprint(Bench, 1, 0.06);
        Assert.That(DieJournal.Fingerprint(Bench, 1, new VthMismatch(0.06)), Is.EqualTo(plain));
        Assert.That(DieJournal.Fingerprint(Bench, 1, new VthMismatch(0.06, 1.36e-9)), Is.Not.EqualTo(plain));
    }
}

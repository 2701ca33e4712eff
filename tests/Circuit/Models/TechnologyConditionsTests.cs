using System.Globalization;
using System.Text.RegularExpressions;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Models;

[TestFixture]
public sealed class TechnologyConditionsTests
{
    private static double Param(string card, string model, string name)
    {
        int start = card.IndexOf(".model " + model, StringComparison.Ordinal);
        int end = card.IndexOf(".model ", start + 1, StringComparison.Ordinal);
        string block = end < 0 ? card[start..] : card[start..end];
        var m = Regex.Match(block, @"(?<![\w])" + name + @"\s*=\s*([-+0-9.eE]+)");
        Assert.That(m.Success, $"{name} in {model}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Test]
    public void When_TypicalAt27C_Expect_CardUnchanged()
    {
        var t = Technology.Ptm16Lp();
        Assert.That(t.At("TT", 27).ModelCardForNetlist, Is.EqualTo(t.ModelCardForNetlist));
        Assert.That(t.ModelCardForNetlist, Does.Not.Contain(".temp"));
    }

    // Rewritten values are printed with 12 significant digits, so they match the arithmetic to 1e-12 relative.
    [TestCase("SS", 0.04, 0.9, 0.04, 0.9)]
    [TestCase("FF", -0.04, 1.1, -0.04, 1.1)]
    [TestCase("FS", -0.04, 1.1, 0.04, 0.9)]
    [TestCase("SF", 0.04, 0.9, -0.04, 1.1)]
    public void When_CornerApplied_Expect_AbsVthShiftedAwayFromZeroAndU0Scaled(string corner, double dn, double un, double dp, double up)
    {
        var t = Technology.Ptm16Lp();
        string typical = t.ModelCardForNetlist, card = t.At(corner, 27).ModelCardForNetlist;
        Assert.That(Param(card, "ptmlp16n", "vth0"), Is.EqualTo(Param(typical, "ptmlp16n", "vth0") + dn).Within(1e-12));
        Assert.That(Param(card, "ptmlp16p", "vth0"), Is.EqualTo(Param(typical, "ptmlp16p", "vth0") - dp).Within(1e-12), "PMOS vth0 is negative: slow is more negative");
        Assert.That(Param(card, "ptmlp16n", "u0"), Is.EqualTo(Param(typical, "ptmlp16n", "u0") * un).Within(1e-15));
        Assert.That(Param(card, "ptmlp16p", "u0"), Is.EqualTo(Param(typical, "ptmlp16p", "u0") * up).Within(1e-15));
        Assert.That(Param(card, "ptmlp16n", "k1"), Is.EqualTo(Param(typical, "ptmlp16n", "k1")), "other parameters untouched");
    }

    [Test]
    public void When_Temperature125C_Expect_TempLineInEveryBenchDeck()
    {
        var t = Technology.Ptm16Lp().At("SS", 125);
        string deck = new RowBench(t, new ArrayDesign { Columns = 4 }, new Staircase(4).Program).Write();
        Assert.That(deck, Does.Contain("\n.temp 125\n").And.Contain("corner SS"));
    }

    [Test]
    public void When_CornerTableRead_Expect_FiveCornersAndASource()
    {
        var corners = TechnologyCorners.Ptm16Lp();
        Assert.That(corners.Names, Is.EquivalentTo(new[] { "TT", "FF", "SS", "FS", "SF" }));
        Assert.That(corners.Source, Does.Contain("ASSUMPTION"));
    }

    [TestCase(-56)]
    [TestCase(151)]
    [TestCase(double.NaN)]
    public void When_TemperatureOutOfRange_Expect_BadInputNamingFieldAndRange(double celsius)
    {
        var e = Assert.Throws<BadInputException>(() => Technology.Ptm16Lp().At("TT", celsius));
        Assert.That(e!.Message, Does.Contain("TemperatureCelsius").And.Contain("-55 C").And.Contain("150 C"));
    }

    [TestCase(-40)]
    [TestCase(125)]
    public void When_TemperatureInRange_Expect_Accepted(double celsius) =>
        Assert.That(Technology.Ptm16Lp().At("ss", celsius).Conditions.ToString(), Is.EqualTo($"SS, {celsius.ToString(CultureInfo.InvariantCulture)} C"));

    [Test]
    public void When_SweepChangesOneAxis_Expect_TheOtherKept()
    {
        var t = Technology.Ptm16Lp().At("SS", 125);
        Assert.That(t.WithTemperature(-40).Conditions.ToString(), Is.EqualTo("SS, -40 C"));
        Assert.That(t.WithCorner("FF").Conditions.ToString(), Is.EqualTo("FF, 125 C"));
    }

    [Test]
    public void When_CornerNameUnknown_Expect_BadInputListingTheNames()
    {
        var e = Assert.Throws<BadInputException>(() => Technology.Ptm16Lp().At("XX", 27));
        Assert.That(e!.Message, Does.Contain("Corner was XX").And.Contain("TT, FF, SS, FS, SF"));
    }

    [TestCase(0.45)]
    [TestCase(1.3)]
    public void When_VddOutOfRange_Expect_BadInputNamingField(double vdd)
    {
        var e = Assert.Throws<BadInputException>(() => _ = Technology.Ptm16Lp() with { VddVolts = vdd });
        Assert.That(e!.Message, Does.Contain("VddVolts").And.Contain("500 mV").And.Contain("1.20 V"));
    }

    [Test]
    public void When_VddSetOnDefaultCard_Expect_CellSupplyQueryAndControlsUseIt()
    {
        var t = Technology.Ptm16Lp() with { VddVolts = 0.7 };
        string deck = new RowBench(t, new ArrayDesign { Columns = 4, VpMaxVolts = 0.7 }, new Staircase(4).Program).Write();
        Assert.That(deck, Does.Contain("vdd vdd 0 DC 0.7\n"));
        string sources = deck[deck.IndexOf("* supplies", StringComparison.Ordinal)..]; // after the card (its noff=0.9 is not a voltage)
        Assert.That(sources, Does.Not.Contain(" 0.9 ").And.Not.Contain(" 0.9\n").And.Not.Contain("=0.9 "), "no 0.9 V level left anywhere in the deck");
    }

    [Test]
    public void When_UserCardHasNoCornerTable_Expect_OnlyTypical()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mbi-card-{Guid.NewGuid():N}.lib");
        File.WriteAllText(path, Technology.Ptm16Lp().ModelCard);
        try
        {
            var t = Technology.FromFile(path, "ptmlp16n", "ptmlp16p", 0.9, 16e-9, 32e-9);
            Assert.That(t.At("TT", 85).Conditions.TemperatureCelsius, Is.EqualTo(85));
            var e = Assert.Throws<BadInputException>(() => t.At("SS", 27));
            Assert.That(e!.Message, Does.Contain("corner table"));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void When_CornerTableMissesTypical_Expect_FileFormatError()
    {
        const string json = """{"format":"mbi.technology-corners","version":1,"source":"x","corners":[{"name":"SS","nmosAbsVthShiftVolts":0.04,"nmosMobilityFactor":0.9,"pmosAbsVthShiftVolts":0.04,"pmosMobilityFactor":0.9}]}""";
        var e = Assert.Throws<FileFormatException>(() => TechnologyCorners.Parse(json, "c.json"));
        Assert.That(e!.Message, Does.Contain("TT"));
    }
}

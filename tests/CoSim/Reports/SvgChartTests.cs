using System.Globalization;
using System.Xml.Linq;
using Mbi.CoSim.Reports.Svg;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Reports;

[TestFixture]
public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Test]
    public void When_Rendered_Expect_WellFormedSvgAndSameTextEveryTime()
    {
        SvgChart Chart() => new SvgChart("t <&>", "x", "y").Line("a", [0, 1, 2], [0.5, 0.25, 1]).Points("b", [0.5, 1.5], [0.1, 0.9]);
        string text = Chart().Render();
        Assert.That(text, Is.EqualTo(Chart().Render()));
        Assert.That(XDocument.Parse(text).Root!.Name, Is.EqualTo(Svg + "svg"));
    }

    [Test]
    public void When_DataFillTheTopLeft_Expect_LegendMovedToAnEmptyCorner()
    {
        // Two lines along the top of the plot (as Fig. 5's accuracy curve is on its left): only the bottom corners are free.
        var x = Enumerable.Range(0, 21).Select(i => i / 2.0).ToArray();
        string text = new SvgChart("fig", "x", "y")
            .Line("high, falling", x, [.. x.Select(v => 1 - 0.02 * v)])
            .Line("flat top", x, [.. x.Select(_ => 0.95)])
            .Points("floor", [0], [0])
            .Render();
        var doc = XDocument.Parse(text);
        var plot = doc.Descendants(Svg + "rect").Single(r => (string?)r.Attribute("stroke") == "#333");
        var legend = doc.Descendants(Svg + "rect").Single(r => (string?)r.Attribute("stroke") == "#ccc");
        double Num(XElement e, string a) => double.Parse((string)e.Attribute(a)!, CultureInfo.InvariantCulture);
        double plotMid = Num(plot, "y") + Num(plot, "height") / 2;
        Assert.That(Num(legend, "y"), Is.GreaterThan(plotMid), "the top of the plot is full of data: the legend goes to a bottom corner");
    }
}

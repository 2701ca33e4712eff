using Mbi.Circuit.Design;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Reports;
using Mbi.CoSim.Studies;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Studies;

/// <summary>The sweep's named and temperature axes: settings per point and the CSV columns. No simulation runs.</summary>
[TestFixture]
public sealed class DesignSweepTests
{
    private static readonly SweepAxis Corner = new("corner", DesignSweep.Named, [0, 1], ["TT", "SS"]);
    private static readonly SweepAxis Temp = new("temp", "C", [-40, 125], ["-40C", "125C"]);

    [Test]
    public void When_CornerAndTempSwept_Expect_EachPointAtItsConditions()
    {
        var settings = new MonteCarloSettings { Technology = Technology.Ptm16Lp() };
        var grid = DesignSweep.Grid([Corner, Temp]);
        var points = grid.Select(p => DesignSweep.Apply(settings, p, [Corner, Temp]).Technology.Conditions.ToString()).ToList();
        Assert.That(points, Is.EqualTo(new[] { "TT, -40 C", "SS, -40 C", "TT, 125 C", "SS, 125 C" }));
    }

    [Test]
    public void When_RowSelectNamed_Expect_TheScheme()
    {
        Assert.That(DesignSweep.RowSelectNamed("source-line-high"), Is.EqualTo(RowSelect.SourceLineHigh));
        Assert.That(DesignSweep.RowSelectNamed("Row-Gated"), Is.EqualTo(RowSelect.RowGated));
        Assert.Throws<Mbi.Core.Errors.BadInputException>(() => DesignSweep.RowSelectNamed("10t"));
    }

    [Test]
    public void When_Written_Expect_CornerNamesAndCelsiusColumnsInTheCsv()
    {
        var mode = new CircuitReport.ModeSummary(33, 0.028, 0.027, 0.028, 0.001, 0.025, 0, 3, 0, 0.028, 33, 0, 0, 0);
        var grid = DesignSweep.Grid([Corner, Temp]);
        var stamp = DesignStamp.Of(new CircuitDesign(), null);
        var report = new DesignSweep.Report(1, 1, "ngspice-39", 0, [.. grid.Select((p, i) => new DesignSweep.Point(p, 1, 0, mode, mode, $"designs/point-{i + 1}.json", "x"))], stamp);
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-sweep-{Guid.NewGuid():N}");
        try
        {
            DesignSweep.Write(report, [Corner, Temp], folder);
            var lines = File.ReadAllLines(Path.Combine(folder, "sweep.csv"));
            Assert.That(lines[0], Does.StartWith("corner,temp_celsius,samples"));
            Assert.That(lines[1], Does.StartWith("TT,-40,1"));
            Assert.That(lines[4], Does.StartWith("SS,125,1"));
            var labelled = report.Points[3] with { Labels = new Dictionary<string, string> { ["corner"] = "SS", ["temp"] = "125 C" } };
            Assert.That(ReportJson.Serialize(labelled), Does.Contain("\"labels\"").And.Contain("\"SS\""));
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Mbi.Circuit.Design;
using Mbi.CoSim.Reports.Charts;
using Mbi.CoSim.Tail;
using NUnit.Framework;
using ScottPlot;
using SkiaSharp;

namespace Mbi.CoSim.Tests.Tail;

/// <summary>
/// `mbi tail --out`: the folder holds tail.json (the object --json prints), design.json and the failure-probability figure,
/// and the figure shows what the report holds. Reports are built by hand in the shape TailStudy returns (no compact model,
/// no ngspice): one level where plain Monte Carlo saw no failure, one where it did, one whose importance-sampling interval
/// reaches below zero.
/// </summary>
[TestFixture]
public sealed class TailOutputTests
{
    private const long Arrays = 41_080;
    private const int Rows = 32;

    private static TailLevel Level(int level, ProbabilityEstimate? mc, ProbabilityEstimate importance) =>
        new(level, level, 0.9 - 0.01 * level, 0.0125, [new FailurePointReport("reads-nearer", "collective", 3.7, true, false, 0.2, 6)],
            mc, importance, null, Math.Max(0, 1 - Arrays * Rows * importance.Upper95), Math.Exp(-Arrays * Rows * importance.Probability), null);

    private static ProbabilityEstimate Plain(long failures, double p, double lower, double upper) => new("monte-carlo", 2000, failures, p, lower, upper, failures);

    private static ProbabilityEstimate Importance(double p, double lower, double upper) => new("importance-sampling", 1000, 400, p, lower, upper, 380);

    private static TailReport Report() => new(1, 0.03, 0, 5, Arrays, Rows, 7,
        [
            Level(1, Plain(0, 0, 0, 1.84e-3), Importance(1.6e-13, 1.5e-13, 1.7e-13)),
            Level(16, Plain(170, 8.5e-2, 7.3e-2, 9.8e-2), Importance(8.4e-2, 8.3e-2, 8.6e-2)),
            Level(24, Plain(0, 0, 0, 1.84e-3), Importance(4e-9, -1e-9, 9e-9)),
        ], DesignStamp.Of(new CircuitDesign(), null), TailStudy.MethodNote);

    [Test]
    public void When_WrittenToAFolder_Expect_TheJsonItPrintsTheDesignAndBothFigureFiles()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-tail-out-{Guid.NewGuid():N}");
        try
        {
            var report = Report();
            var written = TailOutput.Write(report, Path.Combine(folder, "new", "sub"));
            string dir = Path.Combine(folder, "new", "sub");
            Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EquivalentTo(new[]
                { "tail.json", "design.json", "failure-probability.png", "failure-probability.svg" }), "exactly these files, no temporary file left");
            Assert.That(written.Select(Path.GetFileName), Is.EquivalentTo(Directory.GetFiles(dir).Select(Path.GetFileName)));

            string json = File.ReadAllText(Path.Combine(dir, "tail.json"));
            Assert.That(json, Is.EqualTo(TailOutput.Json(report)), "tail.json holds what --json prints, byte for byte");
            using (var parsed = JsonDocument.Parse(json))
            {
                Assert.That(parsed.RootElement.GetProperty("seed").GetUInt64(), Is.EqualTo(7));
                Assert.That(parsed.RootElement.GetProperty("levels").GetArrayLength(), Is.EqualTo(3));
                Assert.That(parsed.RootElement.GetProperty("levels")[1].GetProperty("monte_carlo").GetProperty("failures").GetInt64(), Is.EqualTo(170));
            }
            Assert.That(TailOutput.Json(TailOutput.Read(dir)), Is.EqualTo(json), "read back, the report serialises to the same bytes");
            var design = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "design.json")));
            Assert.That(JsonNode.DeepEquals(design, report.Design.Content), "design.json is the design the run used");

            byte[] png = File.ReadAllBytes(Path.Combine(dir, "failure-probability.png"));
            using var bitmap = SKBitmap.Decode(png);
            Assert.That(bitmap, Is.Not.Null, "the PNG decodes");
            Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((Chart.WidthPixels, Chart.HeightPixels)));
            Assert.That(bitmap.Pixels.Count(p => p.Red < 200 || p.Green < 200 || p.Blue < 200), Is.GreaterThan(bitmap.Pixels.Length / 50), "more than 2 % of pixels inked");

            var svg = XDocument.Parse(File.ReadAllText(Path.Combine(dir, "failure-probability.svg")));
            Assert.That(svg.Root!.Name.LocalName, Is.EqualTo("svg"));
            string text = string.Concat(svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
            Assert.That(text, Does.Contain("Compact model (not ngspice), seed 7").And.Contain(report.Design.Sha256[..12]).And.Contain("sigma(Vth) 30.0 mV"));
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }

    [Test]
    public void When_Drawn_Expect_EstimatesUpperBoundsAndTheYieldLineOnALogAxis()
    {
        var report = Report();
        var plot = TailFigure.Draw(report);
        string[] legend = [.. plot.Legend.GetItems().Select(i => i.LabelText)];
        Assert.That(legend, Is.EquivalentTo(new[]
        {
            "importance sampling (95 % interval)", "plain Monte Carlo (Clopper-Pearson 95 %)", "plain Monte Carlo, no failure: 95 % upper bound",
            "p = 7.61e-8: LUT yield 0.9 (union bound)",
        }));
        // 1 - 41,080 x 32 x p = 0.9: p = 0.1 / 1,314,560 = 7.607e-8; the line is drawn at its log10 (exact arithmetic, 1e-12).
        var line = plot.GetPlottables<ScottPlot.Plottables.HorizontalLine>().Single();
        Assert.That(line.Y, Is.EqualTo(Math.Log10(0.1 / (Arrays * Rows))).Within(1e-12));
        Assert.That(TailFigure.ProbabilityForTargetYield(report), Is.EqualTo(0.1 / 1_314_560).Within(1e-20));

        var markers = plot.GetPlottables<ScottPlot.Plottables.Markers>().ToList();
        var bounds = markers.Single(m => m.LegendText.Contains("no failure"));
        var boundPoints = bounds.Data.GetScatterPoints();
        Assert.That(boundPoints.Select(p => p.X), Is.EqualTo(new[] { 1.25, 24.25 }), "beside the levels where plain Monte Carlo saw none");
        Assert.That(boundPoints.Select(p => p.Y), Is.All.EqualTo(Math.Log10(1.84e-3)).Within(1e-12));
        var estimate = markers.Single(m => m.LegendText.StartsWith("importance"));
        Assert.That(estimate.Data.GetScatterPoints().Select(p => p.Y),
            Is.EqualTo(new[] { Math.Log10(1.6e-13), Math.Log10(8.4e-2), Math.Log10(4e-9) }).Within(1e-12));

        // The interval of level 24 reaches below zero: its bar goes to the bottom edge, and the caption says so.
        var limits = plot.Axes.GetLimits();
        var bars = plot.GetPlottables<ScottPlot.Plottables.ErrorBar>().First();
        Assert.That(Math.Log10(4e-9) - bars.YErrorNegative![2], Is.EqualTo(limits.Bottom).Within(1e-12));
        Assert.That(limits.Bottom, Is.LessThan(Math.Log10(1.5e-13)), "every estimate inside the axis");
        Assert.That(plot.Axes.Bottom.Label.Text, Does.Contain("1 importance-sampling interval(s) reach 0: drawn to the bottom edge")
            .And.Contain("N = 41,080 arrays x 32 rows = 1,314,560 readouts (every row of every array read once at the level)"));

        Chart.Png(plot); // lays the axes out, which generates the ticks
        List<string> ticks = [.. plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label)];
        Assert.That(ticks, Has.Some.Matches(@"^1e-\d+$"), "ticks read as powers of ten");
        Assert.That(ticks, Has.All.Matches(@"^(1|1e-?\d+)$"));
    }
}

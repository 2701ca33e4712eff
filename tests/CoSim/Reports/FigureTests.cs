using System.Text.Json;
using Mbi.Circuit.Design;
using Mbi.CoSim.Energy;
using Mbi.CoSim.Reports;
using Mbi.CoSim.Reports.Charts;
using Mbi.CoSim.Studies;
using NUnit.Framework;
using ScottPlot;
using SkiaSharp;

namespace Mbi.CoSim.Tests.Reports;

/// <summary>
/// Every figure renders to a PNG that is not blank and carries the series, categories and paper marks it is meant to.
/// Fig. 6(b) and 6(c) are drawn from the run data shipped in docs/ (16 SPICE dies, the energy-band table); the others
/// from small inputs shaped like their commands' results. No simulation runs.
/// </summary>
[TestFixture]
public sealed class FigureTests
{
    private static readonly string Mc16 = Path.Combine(DocsFigures.Repo(), "docs", "circuit", "mc16-12t");

    [TestCase(1, "15.1 mV")]
    [TestCase(2, "1.74 mV")]
    public void When_StaircaseDrawn_Expect_DiesThresholdsSmallestStepAndPaperMarked(int mode, string smallest)
    {
        var data = StaircaseData.Read(Mc16, mode);
        Assert.That(data.Dies, Is.EqualTo(16));
        var levels = StaircaseFigure.Levels(data);
        AssertNotBlank(levels);
        Assert.That(Legend(levels), Has.Some.StartsWith("ADC decision thresholds (5-bit")
            .And.Some.StartsWith("smallest step " + smallest).And.Some.StartsWith("paper: minimum step 28 mV").And.Some.EqualTo("one die"));
        // One threshold segment per finite window edge: the drawn thresholds are the ADC's, level by level.
        int edges = Enumerable.Range(0, data.Levels).Sum(l => (double.IsFinite(data.CodeWindow(l).LowVolts) ? 1 : 0) + (double.IsFinite(data.CodeWindow(l).HighVolts) ? 1 : 0));
        Assert.That(levels.GetPlottables<ScottPlot.Plottables.LinePlot>().Count(), Is.EqualTo(edges));
        var steps = StaircaseFigure.Steps(data);
        AssertNotBlank(steps);
        Assert.That(Legend(steps), Has.Some.StartsWith("smallest " + smallest).And.Some.EqualTo("paper: every step >= 28 mV"));
    }

    [Test]
    public void When_AdcIsIdeal_Expect_CodeWindowHalfAnLsbEachSideOfTheCodeCentre()
    {
        // Without offset or INL code k is read between top - (k + 0.5) LSB and top - (k - 0.5) LSB; the bisection stops
        // at 1e-9 LSB, so 1e-6 LSB is a loose bound.
        var data = StaircaseData.Read(Mc16, 1);
        Assert.That(data.Adc.OffsetLsb, Is.Zero);
        for (int l = 1; l < 30; l++)
        {
            int code = data.NominalCodes[l];
            var (low, high) = data.CodeWindow(l);
            Assert.That(low, Is.EqualTo(data.Adc.TopVolts - (code + 0.5) * data.Adc.LsbVolts).Within(1e-6 * data.Adc.LsbVolts));
            Assert.That(high, Is.EqualTo(data.Adc.TopVolts - (code - 0.5) * data.Adc.LsbVolts).Within(1e-6 * data.Adc.LsbVolts));
        }
        Assert.That(double.IsNaN(data.CodeWindow(0).HighVolts), "code 0 saturates above: its window is open");
    }

    [Test]
    public void When_EnergyDrawn_Expect_ComponentNamesOnTheAxisBandsAndThePaperTotal()
    {
        var (bands, total) = DocsFigures.EnergyTable();
        var plot = EnergyFigure.PerComparison(bands, total, "spice");
        AssertNotBlank(plot);
        var names = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label).ToList();
        Assert.That(names, Has.Count.EqualTo(bands.Count));
        foreach (var b in bands) Assert.That(names, Has.Some.StartsWith(b.Name + "  ("), b.Name);
        Assert.That(names, Has.None.Matches(@"^\d+$"), "categories are names, not numbers");
        var band = plot.GetPlottables<ScottPlot.Plottables.ErrorBar>().Single();
        Assert.That(band.XErrorPositive![0] + band.Xs[0], Is.EqualTo(1e15 * bands[0].MaxJoules).Within(1e-9), "the first row's band reaches its max");
        Assert.That(band.Xs[0] - band.XErrorNegative![0], Is.EqualTo(1e15 * bands[0].MinJoules).Within(1e-9), "and its min");
        Assert.That(plot.GetPlottables<ScottPlot.Plottables.Annotation>().Single().Text, Does.Contain("paper: 4.70 pJ"));
    }

    [Test]
    public void When_OneAxisSwept_Expect_LinesWithErrorBarsAndThePaperStep()
    {
        var axis = new SweepAxis("eval-window", "s", [2e-9, 3e-9, 4e-9], ["2ns", "3ns", "4ns"]);
        var figures = SweepFigure.Figures(Sweep([axis]), [axis]);
        Assert.That(figures.Select(f => f.Name), Is.EqualTo(new[] { "step-min", "code-error-rate" }));
        foreach (var (_, plot) in figures)
        {
            AssertNotBlank(plot);
            Assert.That(plot.GetPlottables<ScottPlot.Plottables.ErrorBar>().Count(), Is.EqualTo(2), "one error-bar set per mode");
        }
        Assert.That(Legend(figures[0].Plot), Has.Some.EqualTo("paper: every step >= 28 mV").And.Some.EqualTo("1-bit columns: smallest step"));
    }

    [Test]
    public void When_TwoAxesSwept_Expect_OneHeatmapPerMetricAndModeWithNamedCells()
    {
        SweepAxis corner = new("corner", DesignSweep.Named, [0, 1, 2], ["TT", "SS", "FF"]), temp = new("temp", "C", [-40, 125], ["-40C", "125C"]);
        var figures = SweepFigure.Figures(Sweep([corner, temp]), [corner, temp]);
        Assert.That(figures.Select(f => f.Name), Is.EqualTo(new[] { "step-min-bits1", "step-min-bits2", "code-error-rate-bits1", "code-error-rate-bits2" }));
        foreach (var (_, plot) in figures)
        {
            AssertNotBlank(plot);
            var map = plot.GetPlottables<ScottPlot.Plottables.Heatmap>().Single();
            Assert.That(map.Intensities.GetLength(0), Is.EqualTo(2), "rows: temperatures");
            Assert.That(map.Intensities.GetLength(1), Is.EqualTo(3), "columns: corners");
            Assert.That(plot.Axes.Bottom.TickGenerator.Ticks.Select(t => t.Label), Is.EqualTo(new[] { "TT", "SS", "FF" }));
        }
    }

    [Test]
    public void When_NoCodeErrors_Expect_WilsonUpperBoundOfZeroErrors()
    {
        // k = 0: the Wilson interval is [0, z^2 / (n + z^2)] exactly.
        const double z = 1.959963984540054;
        var (low, high) = SweepFigure.Wilson(0, 528);
        Assert.That(low, Is.Zero);
        Assert.That(high, Is.EqualTo(z * z / (528 + z * z)).Within(1e-12));
    }

    [Test]
    public void When_PointsRepeatOverSeeds_Expect_MeanWithMinMaxErrorBarsAndThePaperBand()
    {
        AlgorithmFigures.LutSizePoint P(long rows, ulong seed, double u) => new(rows, seed, u, u + 0.02, u + 0.01);
        var plot = AlgorithmFigures.Fig4a("Fig. 4(a)", [P(1000, 1, 0.70), P(1000, 2, 0.72), P(10000, 1, 0.80), P(10000, 2, 0.81)]);
        AssertNotBlank(plot);
        Assert.That(Legend(plot), Has.Some.EqualTo("unweighted (a = b = c) (mean, min-max over 2 seeds)")
            .And.Some.EqualTo("paper: BO adds 3-4 points to the unweighted accuracy"));
        var bars = plot.GetPlottables<ScottPlot.Plottables.ErrorBar>().ToList();
        Assert.That(bars, Has.Count.EqualTo(3));
        // The unweighted curve at 1000 rows: mean 71% with the seeds' 70% and 72% as its ends (1e-9: double arithmetic).
        Assert.That(bars[2].Ys[0], Is.EqualTo(71).Within(1e-9));
        Assert.That(bars[2].YErrorPositive![0], Is.EqualTo(1).Within(1e-9));
        var single = AlgorithmFigures.Fig4a("Fig. 4(a)", [P(1000, 1, 0.70), P(10000, 1, 0.80)]);
        Assert.That(single.GetPlottables<ScottPlot.Plottables.ErrorBar>(), Is.Empty, "one seed: no error bars");
    }

    [Test]
    public void When_Fig5OnThePaperScale_Expect_ThePaperOperatingPoint()
    {
        double[] t = [0, 2.5, 5, 7.5, 10];
        var plot = AlgorithmFigures.Fig5("Fig. 5", t, [0.96, 0.95, 0.93, 0.9, 0.86], [0, 0.3, 0.7, 0.85, 0.95], 0.9619, paperScale: true);
        AssertNotBlank(plot);
        var paper = plot.GetPlottables<ScottPlot.Plottables.Markers>().Single(m => m.LegendText.StartsWith("paper", StringComparison.Ordinal));
        Assert.That(paper.Data.GetScatterPoints().Select(c => (c.X, c.Y)), Is.EqualTo(new[] { (5.0, 93.04), (5.0, 69.65) }));
        var other = AlgorithmFigures.Fig5("Fig. 5", t, [0.96, 0.95, 0.93, 0.9, 0.86], [0, 0.3, 0.7, 0.85, 0.95], null, paperScale: false);
        Assert.That(Legend(other), Has.Some.StartsWith("paper: 93.04% accuracy"));
    }

    [Test]
    public void When_OtherFiguresDrawn_Expect_NotBlankWithTheirSeries()
    {
        var fig3 = AlgorithmFigures.Fig3Panel("Fig. 3(b)", "bits", [("hidden bits", new SeededPoint(1, 1, 90)), ("hidden bits", new SeededPoint(2, 1, 92)),
            ("patch bits", new SeededPoint(1, 1, 80)), ("patch bits", new SeededPoint(2, 1, 93))], logX: true);
        var fig4b = AlgorithmFigures.Fig4b([8, 16, 32], [4.7, 4.4, 4.2], [113, 113, 140]);
        var fig4c = AlgorithmFigures.Fig4c("Fig. 4(c)", [0.1, 0.2, 0.2, 0.4], [0.1, 0.3, 0.3, 0.5]);
        var dies = AlgorithmFigures.AccuracyOverDies("dies", [("binary", [0.71, 0.711, 0.709], 0.707)]);
        var tuning = AlgorithmFigures.Convergence("BO", "%", [("BO", [70, 75, 75]), ("random", [70, 72, 74])], [70, 75, 60]);
        foreach (var (plot, series) in new[] { (fig3, "patch bits"), (fig4b, "paper: 3.5 levels per lookup"), (fig4c, "k-means tree"),
                     (dies, "binary: ideal arrays 70.70%"), (tuning, "each trial") })
        {
            AssertNotBlank(plot);
            Assert.That(Legend(plot), Has.Some.EqualTo(series));
        }
    }

    [Test]
    public void When_Saved_Expect_PngAndSvgBesideIt()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"mbi-figure-{Guid.NewGuid():N}");
        try
        {
            string png = Chart.Save(AlgorithmFigures.Fig4b([8, 16], [4.7, 4.4], [113, 120]), folder, "fig4b");
            Assert.That(File.ReadAllBytes(png).Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
            Assert.That(File.ReadAllText(Path.Combine(folder, "fig4b.svg")), Does.Contain("<svg").And.Contain("leaf size"));
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "fig4b.png", "fig4b.svg" }), "no temporary file left");
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, true); }
    }

    private static List<string> Legend(Plot plot) => [.. plot.Legend.GetItems().Select(i => i.LabelText)];

    /// <summary>
    /// Renders the plot and checks it is a picture, not a blank frame: the luminance variance over all pixels is above
    /// 100 (0-255 scale; a white frame with a one-pixel border is below 10, a plot with axes, text and data is in the
    /// thousands) and at least 2% of the plot's pixels are not white.
    /// </summary>
    private static void AssertNotBlank(Plot plot)
    {
        using var bitmap = SKBitmap.Decode(Chart.Png(plot));
        Assert.That(bitmap, Is.Not.Null);
        Assert.That((bitmap.Width, bitmap.Height), Is.EqualTo((Chart.WidthPixels, Chart.HeightPixels)));
        double sum = 0, sumSquares = 0;
        int inked = 0;
        foreach (var p in bitmap.Pixels)
        {
            double y = 0.2126 * p.Red + 0.7152 * p.Green + 0.0722 * p.Blue;
            sum += y; sumSquares += y * y;
            if (y < 250) inked++;
        }
        int n = bitmap.Pixels.Length;
        double variance = sumSquares / n - (sum / n) * (sum / n);
        Assert.That(variance, Is.GreaterThan(100), "luminance variance");
        Assert.That(inked / (double)n, Is.GreaterThan(0.02), "fraction of pixels drawn");
    }

    private static DesignSweep.Report Sweep(IReadOnlyList<SweepAxis> axes)
    {
        // Each point carries the shipped 16-die run's statistics (docs/circuit/mc16-12t/summary.json).
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Mc16, "summary.json")));
        CircuitReport.ModeSummary Mode(string name) => summary.RootElement.GetProperty(name).Deserialize<CircuitReport.ModeSummary>(
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        var grid = DesignSweep.Grid(axes);
        return new DesignSweep.Report(1, 16, "ngspice-39", 0,
            [.. grid.Select((p, i) => new DesignSweep.Point(p, 16, 0, Mode("bits1"), Mode("bits2"), $"designs/point-{i + 1}.json", "x"))],
            DesignStamp.Of(new CircuitDesign(), null));
    }
}

using Mbi.Circuit.MonteCarlo;
using ScottPlot;

namespace Mbi.CoSim.Reports.Charts;

/// <summary>
/// Fig. 6(b) as the paper means it: at each distance level, where the Monte Carlo dies put V_SLP + V_SLN relative to the
/// nominal die, against the ADC's decision thresholds for that level's code, so a die that reads the wrong code is a point
/// outside its window; and the distribution of adjacent-level steps with the paper's 28 mV and the smallest step marked.
/// </summary>
internal static class StaircaseFigure
{
    private static readonly Color ThresholdColor = Color.FromHex("#d62728");
    private static readonly Color SmallestColor = Color.FromHex("#ff7f0e");

    /// <summary>Per level: die sums minus the nominal sum (mV), quartile boxes, the code window's edges and the smallest step.</summary>
    public static Plot Levels(StaircaseData d, string titlePrefix = "Fig. 6(b)")
    {
        var plot = Chart.New($"{titlePrefix}: V_SLP + V_SLN per distance level, {d.ModeName}, {d.Dies} dies, {d.Variation}",
            "distance level (bit-weighted)", "V_SLP + V_SLN minus the nominal die's (mV)");
        var boxes = new List<Box>();
        var xs = new List<double>(); var ys = new List<double>();
        for (int l = 0; l < d.Levels; l++)
        {
            var dev = Enumerable.Range(0, d.Dies).Select(i => 1e3 * (d.Sum(i, l) - d.NominalSumVolts[l])).Order().ToArray();
            if (dev.Length == 0) continue;
            boxes.Add(new Box
            {
                Position = l, BoxMin = Quantile(dev, 0.25), BoxMax = Quantile(dev, 0.75), BoxMiddle = Quantile(dev, 0.5),
                WhiskerMin = dev[0], WhiskerMax = dev[^1], Width = 0.5,
                FillStyle = { Color = Chart.Palette[0].WithAlpha(0.25) }, LineStyle = { Color = Chart.Palette[0] },
            });
            for (int i = 0; i < d.Dies; i++)
            {
                // Dies spread across the box's width (by die, the same every time) so equal values stay visible.
                xs.Add(l - 0.2 + 0.4 * (d.Dies == 1 ? 0.5 : (double)i / (d.Dies - 1)));
                ys.Add(1e3 * (d.Sum(i, l) - d.NominalSumVolts[l]));
            }
        }
        var box = plot.Add.Boxes(boxes);
        box.LegendText = "dies: quartiles, min to max";
        var dies = plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledCircle, 4, Chart.Palette[0].WithAlpha(0.6));
        dies.LegendText = "one die";

        bool legend = false;
        for (int l = 0; l < d.Levels; l++)
        {
            var (low, high) = d.CodeWindow(l);
            foreach (double edge in new[] { low, high })
            {
                if (!double.IsFinite(edge)) continue;
                double y = 1e3 * (edge - d.NominalSumVolts[l]);
                var segment = plot.Add.Line(l - 0.45, y, l + 0.45, y);
                segment.Color = ThresholdColor; segment.LineWidth = 2.5f;
                if (!legend) { segment.LegendText = $"ADC decision thresholds ({d.Adc.Bits}-bit, LSB {Mv(d.Adc.LsbVolts)}): the level's code between them"; legend = true; }
            }
        }

        var (step, die, level) = d.SmallestStep();
        if (die >= 0)
        {
            var mark = plot.Add.Scatter(new double[] { level, level + 1 },
                new[] { 1e3 * (d.Sum(die, level) - d.NominalSumVolts[level]), 1e3 * (d.Sum(die, level + 1) - d.NominalSumVolts[level + 1]) }, SmallestColor);
            mark.LineWidth = 2; mark.MarkerSize = 11; mark.MarkerShape = MarkerShape.OpenCircle;
            mark.LegendText = $"smallest step {Mv(step)}: die {d.DieIndices[die]}, levels {level} to {level + 1} (nominal {Mv(d.NominalSumVolts[level] - d.NominalSumVolts[level + 1])})";
        }
        Chart.PaperLine(plot, 14, "paper: minimum step 28 mV, i.e. +-14 mV about each level");
        Chart.PaperLine(plot, -14, "");
        int full = Enumerable.Range(0, d.Levels).FirstOrDefault(l => d.NominalCodes[l] == d.Adc.MaxCode, -1);
        if (full >= 0 && full < d.Levels - 1)
        {
            var saturated = plot.Add.VerticalLine(full - 0.5, 1.5f, Chart.Palette[7]);
            saturated.LegendText = $"from level {full} the nominal die reads full scale (code {d.Adc.MaxCode}): the window is open below";
        }
        // The view covers the dies and one LSB about each level (a saturated level's far threshold, many LSB up, is off
        // the top), with room above for the legend.
        double span = Math.Max(Math.Max(14, 1e3 * d.Adc.LsbVolts), ys.Select(Math.Abs).DefaultIfEmpty(0).Max()) * 1.15;
        plot.Axes.SetLimits(-0.7, d.Levels - 0.3, -span, 1.9 * span);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Histogram of every die's adjacent-level steps (mV) with the nominal step, the smallest step and the paper's 28 mV.</summary>
    public static Plot Steps(StaircaseData d, string titlePrefix = "Fig. 6(b)")
    {
        var plot = Chart.New($"{titlePrefix}: adjacent-level steps of V_SLP + V_SLN, {d.ModeName}, {d.Dies} dies, {d.Variation}",
            "step between adjacent distance levels (mV)", "steps (dies x levels)");
        var steps = new List<double>();
        for (int i = 0; i < d.Dies; i++)
            for (int l = 0; l + 1 < d.Levels; l++)
                steps.Add(1e3 * (d.Sum(i, l) - d.Sum(i, l + 1)));
        double lo = Math.Min(0, steps.DefaultIfEmpty(0).Min()), hi = Math.Max(30, steps.DefaultIfEmpty(0).Max());
        Chart.Histogram(plot, "steps of all dies", steps, lo, hi, 60, 0);
        // A rug under the bars: a lone step (one die, one level) is one count, too short to see as a bar.
        double rugY = -0.02 * Math.Max(1, steps.Count);
        var rug = plot.Add.Markers(steps.ToArray(), steps.Select(_ => rugY).ToArray(), MarkerShape.VerticalBar, 12, Chart.Palette[0]);
        rug.LegendText = "each step";
        var nominal = plot.Add.VerticalLine(1e3 * d.Adc.LsbVolts, 2, Chart.Palette[2]);
        nominal.LegendText = $"nominal step = ADC LSB {Mv(d.Adc.LsbVolts)}";
        var (step, die, level) = d.SmallestStep();
        if (die >= 0)
        {
            var smallest = plot.Add.VerticalLine(1e3 * step, 2, SmallestColor);
            smallest.LegendText = $"smallest {Mv(step)} (die {d.DieIndices[die]}, levels {level} to {level + 1})";
        }
        Chart.PaperVerticalLine(plot, 28, "paper: every step >= 28 mV");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Margins(bottom: 0.02);
        return plot;
    }

    /// <summary>The levels and steps figures of both modes of a run: levels-bitsN and steps-bitsN (.png, .svg) in <paramref name="folder"/>.</summary>
    public static void WriteRun(MonteCarloResult r, string folder)
    {
        for (int mode = 1; mode <= 2; mode++) Write(StaircaseData.From(r, mode), folder, $"levels-bits{mode}", $"steps-bits{mode}");
    }

    /// <summary>Writes the levels and steps figures of one mode (PNG and SVG); the levels figure is taller for its legend below.</summary>
    public static void Write(StaircaseData data, string folder, string levelsName, string stepsName, string titlePrefix = "Fig. 6(b)")
    {
        Chart.Save(Levels(data, titlePrefix), folder, levelsName, height: LevelsHeightPixels);
        Chart.Save(Steps(data, titlePrefix), folder, stepsName);
    }

    public const int LevelsHeightPixels = 760;

    private static string Mv(double volts) => Core.Units.Engineering.Format(volts, "V");

    private static double Quantile(double[] sorted, double p)
    {
        double pos = p * (sorted.Length - 1);
        int i = (int)Math.Floor(pos);
        return i + 1 < sorted.Length ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
    }
}

using System.Globalization;
using Mbi.CoSim.Studies;
using ScottPlot;

namespace Mbi.CoSim.Reports.Charts;

/// <summary>
/// `mbi sweep`'s figures. A 1-D sweep: one line chart per metric, the smallest step with the mean step +- one sigma as
/// error bars, and the ADC code error rate with its 95% Wilson interval (from the readouts and code errors counted).
/// A 2-D sweep: one heatmap per metric and mode (1-bit columns, 2-bit elements), each cell printed with its value.
/// The paper's 28 mV is drawn on the step charts and outlines the heatmap cells that meet it. Energy is not a sweep
/// metric (the sweep runs the Monte Carlo staircase, not the energy accountant), so there is no energy chart.
/// </summary>
internal static class SweepFigure
{
    private sealed record Metric(string File, string Title, string Unit, Func<CircuitReport.ModeSummary, double> Value);

    private static readonly Metric StepMin = new("step-min", "smallest adjacent-level step of V_SLP + V_SLN", "mV", m => 1e3 * m.StepMinVolts);
    private static readonly Metric ErrorRate = new("code-error-rate", "ADC code error rate", "% of readouts", m => 100 * m.AdcCodeErrorRate);

    /// <summary>The figures of a sweep, by file name without extension (step-min, code-error-rate; -bits1/-bits2 for 2-D).</summary>
    public static IReadOnlyList<(string Name, Plot Plot)> Figures(DesignSweep.Report report, IReadOnlyList<SweepAxis> axes) =>
        axes.Count == 1
            ? [("step-min", StepLines(report, axes[0])), ("code-error-rate", ErrorLines(report, axes[0]))]
            : [.. new[] { StepMin, ErrorRate }.SelectMany(m => new[] { 1, 2 }.Select(mode => ($"{m.File}-bits{mode}", Heatmap(report, axes, m, mode))))];

    public static void Write(DesignSweep.Report report, IReadOnlyList<SweepAxis> axes, string folder)
    {
        foreach (var (name, plot) in Figures(report, axes)) Chart.Save(plot, folder, name);
    }

    private static Plot StepLines(DesignSweep.Report report, SweepAxis axis)
    {
        var (x, xLabel) = XValues(report, axis);
        var plot = Chart.New($"Sweep of {axis.Name}: {StepMin.Title} ({report.SamplesPerPoint} dies per point)", xLabel, "step (mV)");
        int series = 0;
        foreach (var (mode, pick) in Modes)
        {
            var points = report.Points.Select(pick).ToList();
            Chart.Line(plot, $"{mode}: smallest step", x, [.. points.Select(m => 1e3 * m.StepMinVolts)], series);
            var mean = points.Select(m => 1e3 * m.StepMeanVolts).ToArray();
            var sigma = points.Select(m => 1e3 * (double.IsFinite(m.StepSigmaVolts) ? m.StepSigmaVolts : 0)).ToArray();
            var meanMarks = plot.Add.Markers(x.ToArray(), mean, MarkerShape.OpenSquare, 8, Chart.Palette[series]);
            meanMarks.LegendText = $"{mode}: mean step +- 1 sigma";
            Chart.ErrorBars(plot, x, mean, [.. mean.Select((m, i) => m - sigma[i])], [.. mean.Select((m, i) => m + sigma[i])], series);
            series++;
        }
        Chart.PaperLine(plot, 1e3 * PaperFigures.MinSumLineStepVolts, "paper: every step >= 28 mV");
        if (axis.IsNamed) Chart.Categories(plot, axis.Texts);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot ErrorLines(DesignSweep.Report report, SweepAxis axis)
    {
        var (x, xLabel) = XValues(report, axis);
        var plot = Chart.New($"Sweep of {axis.Name}: {ErrorRate.Title} ({report.SamplesPerPoint} dies per point)", xLabel, "readouts with a wrong code (%)");
        int series = 0;
        foreach (var (mode, pick) in Modes)
        {
            var points = report.Points.Select(pick).ToList();
            var rate = points.Select(m => 100 * m.AdcCodeErrorRate).ToArray();
            Chart.Line(plot, $"{mode} (95% Wilson interval)", x, rate, series);
            var intervals = points.Select(m => Wilson(m.CodeErrors, m.Readouts)).ToArray();
            Chart.ErrorBars(plot, x, rate, [.. intervals.Select(w => 100 * w.Low)], [.. intervals.Select(w => 100 * w.High)], series);
            series++;
        }
        plot.Add.Annotation("paper: a 5-bit ADC reads every level (0% errors)", Alignment.UpperRight).LabelFontSize = 12;
        if (axis.IsNamed) Chart.Categories(plot, axis.Texts);
        plot.Axes.Margins(bottom: 0.02);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot Heatmap(DesignSweep.Report report, IReadOnlyList<SweepAxis> axes, Metric metric, int mode)
    {
        SweepAxis a = axes[0], b = axes[1];
        var plot = Chart.New($"Sweep: {metric.Title}, {(mode == 1 ? "1-bit columns" : "2-bit elements")} ({report.SamplesPerPoint} dies per point)",
            a.Name, b.Name);
        var values = new double[b.Values.Count, a.Values.Count];
        for (int j = 0; j < b.Values.Count; j++)
            for (int i = 0; i < a.Values.Count; i++)
            {
                var point = report.Points.FirstOrDefault(p => p.Parameters[a.Name] == a.Values[i] && p.Parameters[b.Name] == b.Values[j]);
                values[j, i] = point is null ? double.NaN : metric.Value(mode == 1 ? point.Bits1 : point.Bits2);
            }
        var map = plot.Add.Heatmap(values);
        map.Rectangle = new CoordinateRect(-0.5, a.Values.Count - 0.5, -0.5, b.Values.Count - 0.5);
        map.FlipVertically = true;
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map).Label = $"{metric.Title} ({metric.Unit})";
        bool paperMarked = false;
        for (int j = 0; j < b.Values.Count; j++)
            for (int i = 0; i < a.Values.Count; i++)
            {
                double v = values[j, i];
                var text = plot.Add.Text(double.IsFinite(v) ? v.ToString(metric == StepMin ? "0.0" : "0.00", CultureInfo.InvariantCulture) : "n/a", i, j);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 13;
                text.LabelFontColor = Colors.White;
                text.LabelBackgroundColor = Colors.Black.WithAlpha(0.45);
                if (metric == StepMin && v >= 1e3 * PaperFigures.MinSumLineStepVolts)
                {
                    var cell = plot.Add.Rectangle(i - 0.48, i + 0.48, j - 0.48, j + 0.48);
                    cell.FillStyle.Color = Colors.Transparent;
                    cell.LineStyle.Color = Chart.PaperColor; cell.LineStyle.Width = 3;
                    if (!paperMarked) { cell.LegendText = "meets the paper's 28 mV"; paperMarked = true; }
                }
            }
        Chart.Categories(plot, [.. a.Values.Select(a.Label)]);
        Chart.Categories(plot, [.. b.Values.Select(b.Label)], onLeftAxis: true);
        string paper = metric == StepMin ? (paperMarked ? "outlined: step >= 28 mV (paper)" : "no point reaches the paper's 28 mV") : "paper: 0% code errors with a 5-bit ADC";
        plot.Add.Annotation(paper, Alignment.UpperRight).LabelFontSize = 12;
        plot.Axes.SetLimits(-0.5, a.Values.Count - 0.5, -0.5, b.Values.Count - 0.5);
        return plot;
    }

    private static readonly (string Mode, Func<DesignSweep.Point, CircuitReport.ModeSummary> Pick)[] Modes =
        [("1-bit columns", p => p.Bits1), ("2-bit elements", p => p.Bits2)];

    /// <summary>The x of each point: the value in the axis's display unit, or the name's index on a named axis.</summary>
    private static (double[] X, string Label) XValues(DesignSweep.Report report, SweepAxis axis)
    {
        double scale = axis.Unit switch { "V" => 1e3, "s" => 1e9, "F" => 1e15, _ => 1 };
        string label = axis.Name + axis.Unit switch { "V" => " (mV)", "s" => " (ns)", "F" => " (fF)", "C" => " (C)", _ => "" };
        return ([.. report.Points.Select(p => p.Parameters[axis.Name] * (axis.IsNamed ? 1 : scale))], label);
    }

    /// <summary>The 95% Wilson score interval of k errors in n readouts (valid at k = 0, where a normal interval collapses).</summary>
    public static (double Low, double High) Wilson(long k, long n)
    {
        if (n <= 0) return (double.NaN, double.NaN);
        const double z = 1.959963984540054;
        double p = (double)k / n, denominator = 1 + z * z / n;
        double centre = (p + z * z / (2 * n)) / denominator;
        double half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

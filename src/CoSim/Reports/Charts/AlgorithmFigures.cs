using ScottPlot;

namespace Mbi.CoSim.Reports.Charts;

/// <summary>One measured point of a curve: x, the seed it was run with, and y.</summary>
internal readonly record struct SeededPoint(double X, ulong Seed, double Y);

/// <summary>
/// The algorithm and MBI figures (Fig. 3, 4(a-c), 5, the tuning traces and accuracy over dies), drawn from the numbers the
/// CLI commands and `mbi reproduce` measure. Where a point was run with several seeds it is drawn as the mean with a
/// min-max error bar; each chart marks what the paper states for it.
/// </summary>
internal static class AlgorithmFigures
{
    /// <summary>The paper's mixed-MBI operating point (Table I note): T = 5, 93.04% accuracy, 69.65% served by MBI.</summary>
    public const double PaperThreshold = 5, PaperMixedAccuracyPercent = 93.04, PaperMbiFractionPercent = 69.65;

    /// <summary>Fig. 4(b): the paper's average tree levels per lookup.</summary>
    public const double PaperTreeLevels = 3.5;

    /// <summary>
    /// A curve through points that may repeat an x over seeds: one seed per x draws a line; several draw the mean with an
    /// error bar from the lowest to the highest seed. Returns the number of seeds per x (the largest).
    /// </summary>
    public static int SeededLine(Plot plot, string name, IEnumerable<SeededPoint> points, int series)
    {
        var groups = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).GroupBy(p => p.X).OrderBy(g => g.Key).ToList();
        int seeds = groups.Count == 0 ? 0 : groups.Max(g => g.Select(p => p.Seed).Distinct().Count());
        double[] x = [.. groups.Select(g => g.Key)], mean = [.. groups.Select(g => g.Average(p => p.Y))];
        Chart.Line(plot, seeds > 1 ? $"{name} (mean, min-max over {seeds} seeds)" : name, x, mean, series);
        if (seeds > 1) Chart.ErrorBars(plot, x, mean, [.. groups.Select(g => g.Min(p => p.Y))], [.. groups.Select(g => g.Max(p => p.Y))], series);
        return seeds;
    }

    /// <summary>Fig. 3: RAM test accuracy (%) as one setting changes; one line per series.</summary>
    public static Plot Fig3Panel(string title, string xLabel, IEnumerable<(string Series, SeededPoint Point)> points, bool logX)
    {
        var plot = Chart.New(title, xLabel, "test accuracy (%)");
        int i = 0;
        foreach (var series in points.GroupBy(p => p.Series))
            SeededLine(plot, series.Key, series.Select(p => logX ? p.Point with { X = Math.Log10(p.Point.X) } : p.Point), i++);
        if (logX) Chart.LogAxis(plot, x: true);
        plot.Add.Annotation("paper: Fig. 3 gives curves only (no numbers to mark)", Alignment.LowerRight).LabelFontSize = 11;
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    /// <summary>One LUT size of Fig. 4(a): test accuracy (fractions) of the unweighted, Bayesian-optimised and random-search weights.</summary>
    public readonly record struct LutSizePoint(long Rows, ulong Seed, double Unweighted, double Bayesian, double Random);

    /// <summary>Fig. 4(a): lookup-only accuracy (%) vs LUT rows (log axis), with the paper's "BO adds 3-4 points" drawn on the unweighted curve.</summary>
    public static Plot Fig4a(string title, IReadOnlyList<LutSizePoint> points)
    {
        var plot = Chart.New(title, "LUT rows", "test accuracy (%)");
        SeededPoint P(LutSizePoint p, double v) => new(Math.Log10(p.Rows), p.Seed, 100 * v);
        SeededLine(plot, "Bayesian-optimised weights a, b, c", points.Select(p => P(p, p.Bayesian)), 0);
        SeededLine(plot, "random-search weights (same budget)", points.Select(p => P(p, p.Random)), 1);
        SeededLine(plot, "unweighted (a = b = c)", points.Select(p => P(p, p.Unweighted)), 2);
        var unweighted = points.GroupBy(p => p.Rows).OrderBy(g => g.Key).Select(g => (X: Math.Log10(g.Key), Y: 100 * g.Average(p => p.Unweighted))).ToArray();
        if (unweighted.Length > 0)
        {
            // The paper's claim as a band: the unweighted curve plus 3 to 4 points.
            var band = plot.Add.FillY(unweighted.Select(u => u.X).ToArray(), unweighted.Select(u => u.Y + 3).ToArray(), unweighted.Select(u => u.Y + 4).ToArray());
            band.FillColor = Chart.PaperColor.WithAlpha(0.18);
            band.LineColor = Chart.PaperColor;
            band.LegendText = "paper: BO adds 3-4 points to the unweighted accuracy";
        }
        Chart.LogAxis(plot, x: true);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>The Bayesian optimisation against random search: best validation accuracy (%) so far per objective evaluation.</summary>
    public static Plot Convergence(string title, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> traces,
        IReadOnlyList<double>? trials = null)
    {
        var plot = Chart.New(title, "objective evaluations", yLabel);
        int i = 0;
        foreach (var (name, values) in traces)
            Chart.Line(plot, name, [.. Enumerable.Range(1, values.Count).Select(k => (double)k)], values, i++).MarkerSize = 3;
        if (trials is not null)
        {
            var m = plot.Add.Markers(Enumerable.Range(1, trials.Count).Select(k => (double)k).ToArray(), trials.ToArray(), MarkerShape.OpenCircle, 6, Chart.Palette[i]);
            m.LegendText = "each trial";
        }
        plot.Add.Annotation("paper: no tuning trace given", Alignment.UpperRight).LabelFontSize = 11;
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Fig. 4(b): tree levels and distance computations per lookup vs leaf size (log-log), with the paper's 3.5 levels.</summary>
    public static Plot Fig4b(IReadOnlyList<double> leafSizes, IReadOnlyList<double> levels, IReadOnlyList<double> distanceComputations)
    {
        var plot = Chart.New("Fig. 4(b): k-means tree cost per lookup vs leaf size", "leaf size (keys per node)", "per lookup");
        var x = Chart.Log10(leafSizes);
        Chart.Line(plot, "average levels", x, Chart.Log10(levels), 0);
        Chart.Line(plot, "distance computations", x, Chart.Log10(distanceComputations), 1);
        Chart.PaperLine(plot, Math.Log10(PaperTreeLevels), $"paper: {PaperTreeLevels} levels per lookup");
        Chart.LogAxis(plot, x: true);
        Chart.LogAxis(plot, x: false);
        plot.ShowLegend(Alignment.MiddleRight);
        return plot;
    }

    /// <summary>Fig. 4(c) from binned fractions: how far the best match is, tree against brute force.</summary>
    public static Plot Fig4c(string title, string xLabel, IReadOnlyList<double> centres, IReadOnlyList<double> brute, IReadOnlyList<double> tree)
    {
        var plot = Chart.New(title, xLabel, "fraction of lookups");
        Chart.Line(plot, "brute force", centres, brute, 0).MarkerSize = 3;
        Chart.Line(plot, "k-means tree", centres, tree, 1).MarkerSize = 3;
        plot.Add.Annotation("paper: the tree's match is within 10% of brute force's", Alignment.UpperRight).LabelFontSize = 12;
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    /// <summary>Fig. 4(c) from raw distances: both normalised by the largest tree distance and binned alike.</summary>
    public static Plot Fig4c(string title, IReadOnlyList<double> bruteDistances, IReadOnlyList<double> treeDistances, int bins = 30)
    {
        double max = Math.Max(treeDistances.Concat(bruteDistances).DefaultIfEmpty(0).Max(), 1e-12);
        double[] Fractions(IReadOnlyList<double> d)
        {
            var counts = new double[bins];
            foreach (double v in d) counts[Math.Clamp((int)(v / max * bins), 0, bins - 1)]++;
            return [.. counts.Select(c => c / Math.Max(1, d.Count))];
        }
        double[] centres = [.. Enumerable.Range(0, bins).Select(i => (i + 0.5) / bins)];
        return Fig4c(title, "best-match distance / largest tree distance", centres, Fractions(bruteDistances), Fractions(treeDistances));
    }

    /// <summary>
    /// Fig. 5: mixed-MBI accuracy and the share served by lookups (%) vs threshold T, with the paper's operating point
    /// (T = 5: 93.04%, 69.65%) as points when T is on the paper's (unweighted) scale, else its accuracy as a line.
    /// <paramref name="thresholdAxis"/> labels the x axis when T bounds something other than the match distance (a learned gate's score).
    /// </summary>
    public static Plot Fig5(string title, IReadOnlyList<double> thresholds, IReadOnlyList<double> accuracy, IReadOnlyList<double> mbiFraction,
        double? ramAccuracy, bool paperScale, string? thresholdAxis = null)
    {
        var plot = Chart.New(title, thresholdAxis ?? "threshold T (distance D)", "%");
        Chart.Line(plot, "accuracy", thresholds, [.. accuracy.Select(a => 100 * a)], 0).MarkerSize = 3;
        Chart.Line(plot, "images served by MBI", thresholds, [.. mbiFraction.Select(a => 100 * a)], 1).MarkerSize = 3;
        if (ramAccuracy is double ram)
        {
            var line = plot.Add.HorizontalLine(100 * ram, 1.5f, Chart.Palette[2]);
            line.LegendText = FormattableString.Invariant($"RAM alone {100 * ram:F2}%");
        }
        if (paperScale)
            Chart.PaperPoint(plot, [PaperThreshold, PaperThreshold], [PaperMixedAccuracyPercent, PaperMbiFractionPercent],
                "paper, T = 5: accuracy 93.04%, 69.65% by MBI");
        else
            Chart.PaperLine(plot, PaperMixedAccuracyPercent, "paper: 93.04% accuracy with 69.65% by MBI (its T is on another scale)");
        plot.Axes.SetLimitsY(0, 100);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Lookup-only accuracy (%) over dies: one histogram per series (coding), with the ideal arrays' accuracy where known.</summary>
    public static Plot AccuracyOverDies(string title, IReadOnlyList<(string Name, IReadOnlyList<double> Accuracy, double? Ideal)> series, int bins = 20)
    {
        var plot = Chart.New(title, "lookup-only test accuracy (%)", "dies");
        var all = series.SelectMany(s => s.Accuracy.Select(a => 100 * a).Concat(s.Ideal is double i ? [100 * i] : [])).ToList();
        double lo = all.DefaultIfEmpty(0).Min(), hi = all.DefaultIfEmpty(100).Max();
        // At least half a point wide, so a set of nearly equal dies is a few bars, not one spike.
        double pad = Math.Max(0, 0.5 - (hi - lo)) / 2 + 0.05;
        for (int k = 0; k < series.Count; k++)
        {
            Chart.Histogram(plot, $"{series[k].Name} ({series[k].Accuracy.Count} dies)", [.. series[k].Accuracy.Select(a => 100 * a)], lo - pad, hi + pad, bins, k);
            if (series[k].Ideal is double ideal)
            {
                var line = plot.Add.VerticalLine(100 * ideal, 2, Chart.Palette[k % Chart.Palette.Length]);
                line.LegendText = FormattableString.Invariant($"{series[k].Name}: ideal arrays {100 * ideal:F2}%");
            }
        }
        plot.Add.Annotation("paper: no accuracy under variation given (only the 28 mV step margin)", Alignment.UpperRight).LabelFontSize = 11;
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}

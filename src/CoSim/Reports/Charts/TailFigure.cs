using System.Globalization;
using Mbi.CoSim.Tail;
using Mbi.Core.Units;
using ScottPlot;

namespace Mbi.CoSim.Reports.Charts;

/// <summary>
/// `mbi tail`'s figure: per-readout failure probability against distance level on a log axis. The importance-sampling
/// estimate with its 95 % interval as error bars; plain Monte Carlo beside it (a quarter level to the right) with its
/// Clopper-Pearson interval, or, where it saw no failure, its 95 % upper bound as a downward triangle; and a horizontal line
/// at the per-readout probability whose union bound gives the whole LUT a yield of 0.9 (the report's
/// <see cref="TailLevel.LutYieldUnionBound"/>: 1 - arrays x rows per array x p, every row of every array read once at the level).
/// Probabilities are plotted as log10 and the ticks labelled as powers of ten (1e-9).
/// </summary>
internal static class TailFigure
{
    public const string Name = "failure-probability";

    /// <summary>The LUT yield the reference line marks.</summary>
    public const double TargetYield = 0.9;

    private const double MonteCarloOffset = 0.25;

    /// <summary>Readouts the yield counts: every row of every array, each read once at the level.</summary>
    public static double Readouts(TailReport r) => (double)r.Arrays * r.RowsPerArray;

    /// <summary>The per-readout probability p with 1 - <see cref="Readouts"/> x p = <see cref="TargetYield"/>.</summary>
    public static double ProbabilityForTargetYield(TailReport r) => (1 - TargetYield) / Readouts(r);

    /// <summary>Writes failure-probability.png and .svg into <paramref name="folder"/>; returns the PNG's path.</summary>
    public static string Write(TailReport r, string folder) => Chart.Save(Draw(r), folder, Name);

    public static Plot Draw(TailReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        string title = "Per-readout failure probability (ADC code != nominal), compact model\n" +
            $"sigma(Vth) {Engineering.Format(r.SigmaVthVolts, "V")}, {r.BitsPerElement}-bit elements, " +
            $"ADC offset sigma {r.AdcOffsetSigmaLsb.ToString("0.###", inv)} LSB, design sha256 {r.Design.Sha256[..12]}";
        var plot = Chart.New(title, "", "failure probability per readout");
        double pTarget = ProbabilityForTargetYield(r);
        var finite = new List<double> { Math.Log10(pTarget) };

        // Importance sampling: the estimate and its normal 95 % interval.
        var drawn = r.Levels.Where(l => l.ImportanceSampling.Probability > 0).ToList();
        double[] isX = [.. drawn.Select(l => (double)l.Level)];
        double[] isY = Chart.Log10(drawn.Select(l => l.ImportanceSampling.Probability));
        double[] isHigh = Chart.Log10(drawn.Select(l => l.ImportanceSampling.Upper95));
        double[] isLow = Chart.Log10(drawn.Select(l => l.ImportanceSampling.Lower95));
        finite.AddRange(isY.Concat(isHigh).Concat(isLow).Where(double.IsFinite));

        // Plain Monte Carlo: Clopper-Pearson interval where it saw failures, its upper bound where it saw none.
        var seen = r.Levels.Where(l => l.MonteCarlo is { Failures: > 0 }).ToList();
        var unseen = r.Levels.Where(l => l.MonteCarlo is { Failures: 0 }).ToList();
        double[] mcX = [.. seen.Select(l => l.Level + MonteCarloOffset)];
        double[] mcY = Chart.Log10(seen.Select(l => l.MonteCarlo!.Probability));
        double[] mcLow = Chart.Log10(seen.Select(l => l.MonteCarlo!.Lower95));
        double[] mcHigh = Chart.Log10(seen.Select(l => l.MonteCarlo!.Upper95));
        double[] boundY = Chart.Log10(unseen.Select(l => l.MonteCarlo!.Upper95));
        finite.AddRange(mcY.Concat(mcLow).Concat(mcHigh).Concat(boundY).Where(double.IsFinite));

        // The legend sits in the lower left: the lowest quarter of the axis is kept free of data for it.
        double low = finite.Min(), top = Math.Min(0.3, Math.Ceiling(finite.Max()) + 0.5);
        double bottom = low - 0.5 - (top - low + 0.5) / 3;
        // A normal interval can reach zero or below: its bar is drawn to the bottom edge (counted in the caption).
        int openBelow = isLow.Count(v => !double.IsFinite(v));
        isLow = [.. isLow.Select(v => double.IsFinite(v) ? v : bottom)];

        var estimate = plot.Add.Markers(isX, isY, MarkerShape.FilledCircle, 9, Chart.Palette[0]);
        estimate.LegendText = "importance sampling (95 % interval)";
        Chart.ErrorBars(plot, isX, isY, isLow, isHigh, 0);
        if (seen.Count > 0)
        {
            var mc = plot.Add.Markers(mcX, mcY, MarkerShape.FilledSquare, 8, Chart.Palette[1]);
            mc.LegendText = "plain Monte Carlo (Clopper-Pearson 95 %)";
            Chart.ErrorBars(plot, mcX, mcY, mcLow, mcHigh, 1);
        }
        if (unseen.Count > 0)
        {
            var bound = plot.Add.Markers([.. unseen.Select(l => l.Level + MonteCarloOffset)], boundY, MarkerShape.FilledTriangleDown, 10, Chart.Palette[1]);
            bound.LegendText = "plain Monte Carlo, no failure: 95 % upper bound";
        }
        var target = plot.Add.HorizontalLine(Math.Log10(pTarget), width: 2, color: Chart.Palette[3], pattern: LinePattern.Dashed);
        target.LegendText = $"p = {pTarget.ToString("0.##e0", inv)}: LUT yield {TargetYield.ToString(inv)} (union bound)";

        plot.XLabel(Caption(r, openBelow), size: 12);
        Chart.LogAxis(plot, x: false, powersOfTen: true);
        int maxLevel = r.Levels.Max(l => l.Level);
        plot.Axes.SetLimits(0, maxLevel + 1, bottom, top);
        plot.ShowLegend(Alignment.LowerLeft);
        return plot;
    }

    private static string Caption(TailReport r, int openBelow)
    {
        var inv = CultureInfo.InvariantCulture;
        var first = r.Levels[0];
        string mc = first.MonteCarlo is { } m ? $"{m.Samples.ToString("N0", inv)} plain Monte Carlo" : "no plain Monte Carlo";
        string caption = "distance level (bit-weighted distance between query and stored key)" +
            (first.MonteCarlo is null ? "" : $"; plain Monte Carlo drawn {MonteCarloOffset.ToString(inv)} level to the right") + "\n" +
            $"Compact model (not ngspice), seed {r.Seed}: {first.ImportanceSampling.Samples.ToString("N0", inv)} importance-sampling and {mc} readouts per level.\n" +
            $"Yield line: 1 - N p = {TargetYield.ToString(inv)}, N = {r.Arrays.ToString("N0", inv)} arrays x {r.RowsPerArray} rows = " +
            $"{Readouts(r).ToString("N0", inv)} readouts (every row of every array read once at the level).";
        if (openBelow > 0) caption += $"\n{openBelow} importance-sampling interval(s) reach 0: drawn to the bottom edge.";
        int none = r.Levels.Count(l => !(l.ImportanceSampling.Probability > 0));
        if (none > 0) caption += $"\nImportance sampling saw no failure at {none} level(s): not drawn.";
        return caption;
    }
}

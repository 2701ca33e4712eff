using Mbi.Core.Units;
using Mbi.CoSim.Energy;
using ScottPlot;

namespace Mbi.CoSim.Reports.Charts;

/// <summary>
/// Fig. 6(c): energy per 32x32 comparison by named component (one row each, names on the axis), the typical value as a
/// bar and the min..max band from <see cref="EnergyBandCalculator"/> as an error bar, with the C V^2 floor of the lines a
/// component switches. The paper gives only the total (4.7 pJ, a pie chart without numbers), so the total row carries
/// the paper's value.
/// </summary>
internal static class EnergyFigure
{
    /// <summary>The paper's energy per 32x32 comparison (Sec. III-D).</summary>
    public const double PaperPerComparisonJoules = 4.7e-12;

    public static Plot PerComparison(IReadOnlyList<ComponentBand> bands, ComponentBand total, string adcModel)
    {
        var plot = Chart.New($"Fig. 6(c): energy per 32x32 comparison by component (ADC {adcModel}); total {Engineering.Format(total.TypicalJoules, "J")}",
            "energy per comparison (fJ)", "");
        // Top to bottom in the accountant's order: row i of n sits at n - 1 - i.
        int n = bands.Count;
        double Row(int i) => n - 1 - i;
        var bars = plot.Add.Bars(bands.Select((b, i) => new Bar
        {
            Position = Row(i), Value = 1e15 * b.TypicalJoules, Size = 0.6,
            FillColor = Chart.Palette[GroupIndex(b.Group)].WithAlpha(0.75), LineColor = Chart.Palette[GroupIndex(b.Group)],
        }).ToList());
        bars.Horizontal = true;
        bars.LegendText = "typical";
        // ScottPlot's ErrorBar takes the positive errors before the negative ones.
        var band = new ScottPlot.Plottables.ErrorBar(
            [.. bands.Select(b => 1e15 * b.TypicalJoules)], [.. Enumerable.Range(0, n).Select(Row)],
            [.. bands.Select(b => 1e15 * (b.MaxJoules - b.TypicalJoules))], [.. bands.Select(b => 1e15 * (b.TypicalJoules - b.MinJoules))], null, null)
        {
            Color = Colors.Black, LineWidth = 1.5f, CapSize = 8, LegendText = "min to max (EnergyBands)",
        };
        plot.Add.Plottable(band);
        var floored = Enumerable.Range(0, n).Where(i => bands[i].FloorJoules > 0).ToArray();
        if (floored.Length > 0)
        {
            var floor = plot.Add.Markers(floored.Select(i => 1e15 * bands[i].FloorJoules).ToArray(), floored.Select(Row).ToArray(),
                MarkerShape.VerticalBar, 16, Chart.Palette[3]);
            floor.LegendText = "C V^2 floor of the lines it switches";
        }
        Chart.Categories(plot, [.. Enumerable.Range(0, n).Select(i => bands[n - 1 - i].Name + "  (" + bands[n - 1 - i].Group + ")")], onLeftAxis: true);
        var note = plot.Add.Annotation(
            $"total {Engineering.Format(total.TypicalJoules, "J")} (band {Engineering.Format(total.MinJoules, "J")} to {Engineering.Format(total.MaxJoules, "J")})\n"
            + $"paper: {Engineering.Format(PaperPerComparisonJoules, "J")} per comparison (total only; no per-component values)", Alignment.MiddleRight);
        note.LabelFontSize = 13;
        plot.Axes.Margins(left: 0);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>A fixed colour per group (drivers, array, peripherals, ADC, logic), so figures of different runs read alike.</summary>
    private static int GroupIndex(string group) => group switch
    {
        "drivers" => 0, "array" => 2, "peripherals" => 4, "ADC" => 1, "logic" => 3, _ => 7,
    };
}

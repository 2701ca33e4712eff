using Mbi.Core.Errors;
using Mbi.Core.IO;
using ScottPlot;
using SkiaSharp;

namespace Mbi.CoSim.Reports.Charts;

/// <summary>
/// The one place figures are made and written: a ScottPlot 5 plot in the house style, saved as PNG (for reports and
/// the README) with an SVG beside it, each written to a temporary name and renamed. Paper values are drawn with
/// <see cref="PaperLine"/> / <see cref="PaperPoint"/> so every figure marks them the same way.
/// </summary>
internal static class Chart
{
    public const int WidthPixels = 960, HeightPixels = 600;

    /// <summary>The paper's values are drawn in this colour on every figure.</summary>
    public static readonly Color PaperColor = Color.FromHex("#111111");

    /// <summary>Series colours (Tableau 10), in order.</summary>
    public static readonly Color[] Palette =
        [.. new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" }.Select(Color.FromHex)];

    private static readonly Lazy<string> FontFamily = new(FindFont);

    /// <summary>A plot with a title, axis labels and the house font; throws when no font is installed (the figure would have no text).</summary>
    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontFamily.Value);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        plot.Legend.FontSize = 12;
        return plot;
    }

    /// <summary>Writes <paramref name="name"/>.png and <paramref name="name"/>.svg into <paramref name="folder"/>; returns the PNG's path.</summary>
    public static string Save(Plot plot, string folder, string name, int width = WidthPixels, int height = HeightPixels)
    {
        Directory.CreateDirectory(folder);
        string png = Path.Combine(folder, name + ".png");
        AtomicFile.WriteAllBytes(png, Png(plot, width, height));
        AtomicFile.WriteAllText(Path.Combine(folder, name + ".svg"), StableClipIds(plot.GetSvgXml(width, height)));
        return png;
    }

    public static byte[] Png(Plot plot, int width = WidthPixels, int height = HeightPixels) =>
        plot.GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>A horizontal reference at the paper's value, labelled on the right axis and in the legend.</summary>
    public static void PaperLine(Plot plot, double y, string label)
    {
        var line = plot.Add.HorizontalLine(y, width: 2, color: PaperColor);
        line.LegendText = label;
    }

    /// <summary>A vertical reference at the paper's value.</summary>
    public static void PaperVerticalLine(Plot plot, double x, string label)
    {
        var line = plot.Add.VerticalLine(x, width: 2, color: PaperColor);
        line.LegendText = label;
    }

    /// <summary>The paper's operating point(s): black stars in the legend under <paramref name="label"/>.</summary>
    public static void PaperPoint(Plot plot, IReadOnlyList<double> x, IReadOnlyList<double> y, string label)
    {
        var points = plot.Add.Markers(x.ToArray(), y.ToArray(), MarkerShape.FilledDiamond, size: 14, color: PaperColor);
        points.LegendText = label;
    }

    /// <summary>A line with markers; non-finite points are left out.</summary>
    public static ScottPlot.Plottables.Scatter Line(Plot plot, string name, IReadOnlyList<double> x, IReadOnlyList<double> y, int series)
    {
        var (xs, ys) = Finite(x, y);
        var line = plot.Add.Scatter(xs, ys, Palette[series % Palette.Length]);
        line.LegendText = name;
        line.LineWidth = 2;
        line.MarkerSize = 6;
        return line;
    }

    /// <summary>Error bars from <paramref name="low"/> to <paramref name="high"/> around y (absolute values, not offsets).</summary>
    public static ScottPlot.Plottables.ErrorBar ErrorBars(Plot plot, IReadOnlyList<double> x, IReadOnlyList<double> y,
        IReadOnlyList<double> low, IReadOnlyList<double> high, int series)
    {
        var below = y.Select((v, i) => Math.Max(0, v - low[i])).ToArray();
        var above = y.Select((v, i) => Math.Max(0, high[i] - v)).ToArray();
        // ScottPlot's ErrorBar takes the positive errors before the negative ones.
        var bars = new ScottPlot.Plottables.ErrorBar([.. x], [.. y], null, null, above, below)
        {
            Color = Palette[series % Palette.Length], LineWidth = 1.5f, CapSize = 6,
        };
        plot.Add.Plottable(bars);
        return bars;
    }

    /// <summary>Histogram bars of <paramref name="values"/> into <paramref name="bins"/> equal bins over [min, max].</summary>
    public static ScottPlot.Plottables.BarPlot Histogram(Plot plot, string name, IReadOnlyList<double> values, double min, double max, int bins, int series)
    {
        if (!(max > min)) max = min + Math.Max(1e-12, Math.Abs(min) * 1e-6);
        double width = (max - min) / bins;
        var counts = new double[bins];
        foreach (double v in values)
            if (double.IsFinite(v)) counts[Math.Clamp((int)((v - min) / width), 0, bins - 1)]++;
        var color = Palette[series % Palette.Length];
        var bars = plot.Add.Bars(Enumerable.Range(0, bins).Select(i => new Bar
        {
            Position = min + (i + 0.5) * width, Value = counts[i], Size = width * 0.95, FillColor = color.WithAlpha(0.6), LineColor = color,
        }).ToList());
        bars.LegendText = name;
        return bars;
    }

    /// <summary>Category names on the bottom (or left) axis at positions 0, 1, 2...</summary>
    public static void Categories(Plot plot, IReadOnlyList<string> names, bool onLeftAxis = false)
    {
        double[] positions = [.. Enumerable.Range(0, names.Count).Select(i => (double)i)];
        var axis = onLeftAxis ? (IAxis)plot.Axes.Left : plot.Axes.Bottom;
        axis.SetTicks(positions, [.. names]);
        axis.MajorTickStyle.Length = 0;
        if (!onLeftAxis && names.Any(n => n.Length > 6))
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        }
    }

    /// <summary>
    /// A log10 axis: the data are plotted as log10(value) (callers pass <see cref="Log10"/> of their values) and the ticks
    /// read as the values themselves (<paramref name="powersOfTen"/>: every tick as 1e-9, 1e-3, 1, 1e2, for axes that span
    /// many decades such as probabilities).
    /// </summary>
    public static void LogAxis(Plot plot, bool x, bool powersOfTen = false)
    {
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => powersOfTen ? PowerOfTen(v) : Engineering(Math.Pow(10, v)),
        };
        if (x) plot.Axes.Bottom.TickGenerator = ticks;
        else plot.Axes.Left.TickGenerator = ticks;
    }

    public static double[] Log10(IEnumerable<double> values) => [.. values.Select(v => v > 0 ? Math.Log10(v) : double.NaN)];

    private static string PowerOfTen(double exponent)
    {
        int e = (int)Math.Round(exponent);
        return e == 0 ? "1" : "1e" + e.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Engineering(double v) =>
        v >= 1e4 ? v.ToString("0.##e0", System.Globalization.CultureInfo.InvariantCulture)
                 : v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static (double[] X, double[] Y) Finite(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"a series has {x.Count} x values but {y.Count} y values");
        var keep = Enumerable.Range(0, x.Count).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
        return ([.. keep.Select(i => x[i])], [.. keep.Select(i => y[i])]);
    }

    /// <summary>
    /// DejaVu Sans where present (Debian's fonts-dejavu-core), else the first family Skia finds. SkiaSharp's NoDependencies
    /// build reads TrueType files under /usr/share/fonts; with none there every label would be silently blank, so this throws.
    /// </summary>
    private static string FindFont()
    {
        SKFontManager manager;
        try
        {
            manager = SKFontManager.Default;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new EngineMissingException(
                "The SkiaSharp native library (libSkiaSharp, shipped with the ScottPlot package) could not be loaded, so no figure can be drawn; "
                + "reinstall Mbi for this platform (linux-x64, win-x64 and osx are supported).", e);
        }
        string family;
        using (var dejaVu = manager.MatchFamily("DejaVu Sans"))
            family = dejaVu?.FamilyName == "DejaVu Sans" ? "DejaVu Sans" : SKTypeface.Default.FamilyName;
        // With no font files Skia still hands out an empty typeface: it has no glyph for "A".
        using var typeface = SKTypeface.FromFamilyName(family) ?? SKTypeface.Default;
        using var font = new SKFont(typeface);
        if (font.GetGlyphs("A") is not [> 0])
            throw new EngineMissingException(
                "No TrueType font is installed (none under /usr/share/fonts), so every figure would be drawn without text; "
                + "install one, e.g. apt-get install fonts-dejavu-core.");
        return family;
    }

    /// <summary>
    /// Skia's SVG canvas numbers clip paths with a process-wide counter (hexadecimal: cl_9, cl_a, ...), so the same figure drawn after
    /// other figures in one process gets other ids; renumbered in order of appearance, the same data give the same bytes.
    /// </summary>
    internal static string StableClipIds(string svg)
    {
        var ids = new Dictionary<string, string>();
        return System.Text.RegularExpressions.Regex.Replace(svg, @"\bcl_[0-9a-f]+\b", m =>
        {
            if (!ids.TryGetValue(m.Value, out string? id)) ids[m.Value] = id = "cl_" + (ids.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return id;
        });
    }
}

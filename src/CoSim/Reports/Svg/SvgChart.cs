using System.Globalization;
using System.Text;
using Mbi.Core.IO;
using Mbi.Core.Statistics;

namespace Mbi.CoSim.Reports.Svg;

/// <summary>
/// A small SVG chart writer (no plotting package is available here): line, scatter, bar/histogram and
/// box series on linear or log axes, with ticks, labels and a legend. Output is deterministic text.
/// </summary>
internal sealed class SvgChart
{
    private const double Width = 720, Height = 440, Left = 78, Right = 20, Top = 42, Bottom = 58;
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    private readonly List<Series> _series = [];
    private readonly List<(double Y, string Label)> _horizontalMarks = [];

    public SvgChart(string title, string xLabel, string yLabel)
    {
        Title = title; XLabel = xLabel; YLabel = yLabel;
    }

    public string Title { get; }
    public string XLabel { get; }
    public string YLabel { get; }
    public bool LogX { get; init; }
    public bool LogY { get; init; }
    public double? YMin { get; init; }
    public double? YMax { get; init; }

    private enum Kind { Line, Points, Bars, Box }

    private sealed record Series(string Name, Kind Kind, double[] X, double[] Y, double[]? Low, double[]? High,
        double[]? Q1, double[]? Q3, double BarWidth, string Color);

    public SvgChart Line(string name, IReadOnlyList<double> x, IReadOnlyList<double> y) => Add(name, Kind.Line, x, y);

    public SvgChart Points(string name, IReadOnlyList<double> x, IReadOnlyList<double> y) => Add(name, Kind.Points, x, y);

    /// <summary>Bars centred at x with the given width (a histogram: x = bin centres, y = counts).</summary>
    public SvgChart Bars(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, double width) =>
        Add(name, Kind.Bars, x, y, barWidth: width);

    /// <summary>Box plot per x: whiskers low..high, box q1..q3, a tick at the median.</summary>
    public SvgChart Boxes(string name, IReadOnlyList<double> x, IReadOnlyList<double> median,
        IReadOnlyList<double> q1, IReadOnlyList<double> q3, IReadOnlyList<double> low, IReadOnlyList<double> high, double width) =>
        Add(name, Kind.Box, x, median, [.. low], [.. high], [.. q1], [.. q3], width);

    /// <summary>Histogram of raw values into <paramref name="bins"/> equal bins.</summary>
    public SvgChart Histogram(string name, IReadOnlyList<double> values, int bins)
    {
        if (values.Count == 0) return this;
        var histogram = Distribution.Histogram(values, bins);
        return Bars(name, histogram.Centres, histogram.Counts, histogram.Width);
    }

    /// <summary>A dashed horizontal reference line (e.g. the paper's 28 mV).</summary>
    public SvgChart HorizontalMark(double y, string label)
    {
        _horizontalMarks.Add((y, label));
        return this;
    }

    private SvgChart Add(string name, Kind kind, IReadOnlyList<double> x, IReadOnlyList<double> y,
        double[]? low = null, double[]? high = null, double[]? q1 = null, double[]? q3 = null, double barWidth = 0)
    {
        if (x.Count != y.Count) throw new ArgumentException($"series '{name}': {x.Count} x values but {y.Count} y values");
        _series.Add(new Series(name, kind, [.. x], [.. y], low, high, q1, q3, barWidth, Palette[_series.Count % Palette.Length]));
        return this;
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, Render());

    public string Render()
    {
        var (x0, x1) = Range(_series.SelectMany(s => s.Kind == Kind.Bars || s.Kind == Kind.Box
            ? s.X.SelectMany(v => new[] { v - s.BarWidth / 2, v + s.BarWidth / 2 }) : s.X), LogX, null, null);
        var yValues = _series.SelectMany(s => s.Y.Concat(s.Low ?? []).Concat(s.High ?? []))
            .Concat(_horizontalMarks.Select(m => m.Y));
        if (_series.Any(s => s.Kind == Kind.Bars) && !LogY) yValues = yValues.Append(0);
        var (y0, y1) = Range(yValues, LogY, YMin, YMax);

        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Px(double x) => Left + plotW * (T(x, LogX) - T(x0, LogX)) / (T(x1, LogX) - T(x0, LogX));
        double Py(double y) => Top + plotH * (1 - (T(y, LogY) - T(y0, LogY)) / (T(y1, LogY) - T(y0, LogY)));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"Helvetica,Arial,sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Esc(Title)}</text>\n");

        foreach (double t in Ticks(x0, x1, LogX))
        {
            double px = Px(t);
            svg.Append(F($"<line x1=\"{px}\" y1=\"{Top}\" x2=\"{px}\" y2=\"{Top + plotH}\" stroke=\"#eee\"/>"));
            svg.Append(F($"<text x=\"{px}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\">{Esc(TickText(t))}</text>"));
        }
        foreach (double t in Ticks(y0, y1, LogY))
        {
            double py = Py(t);
            svg.Append(F($"<line x1=\"{Left}\" y1=\"{py}\" x2=\"{Left + plotW}\" y2=\"{py}\" stroke=\"#eee\"/>"));
            svg.Append(F($"<text x=\"{Left - 6}\" y=\"{py + 4}\" text-anchor=\"end\">{Esc(TickText(t))}</text>"));
        }
        svg.Append(F($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#333\"/>"));
        svg.Append(F($"<text x=\"{Left + plotW / 2}\" y=\"{Height - 14}\" text-anchor=\"middle\">{Esc(XLabel)}</text>"));
        svg.Append(F($"<text transform=\"translate(18,{Top + plotH / 2}) rotate(-90)\" text-anchor=\"middle\">{Esc(YLabel)}</text>"));

        foreach (var s in _series)
        {
            switch (s.Kind)
            {
                case Kind.Line:
                    var pts = string.Join(' ', Enumerable.Range(0, s.X.Length).Where(i => double.IsFinite(s.Y[i]))
                        .Select(i => F2(Px(s.X[i])) + "," + F2(Py(s.Y[i]))));
                    svg.Append(F($"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\" points=\"{pts}\"/>"));
                    goto case Kind.Points;
                case Kind.Points:
                    for (int i = 0; i < s.X.Length; i++)
                        if (double.IsFinite(s.Y[i]))
                            svg.Append(F($"<circle cx=\"{Px(s.X[i])}\" cy=\"{Py(s.Y[i])}\" r=\"2.5\" fill=\"{s.Color}\" fill-opacity=\"0.7\"/>"));
                    break;
                case Kind.Bars:
                    double baseY = LogY ? y0 : Math.Max(y0, 0);
                    for (int i = 0; i < s.X.Length; i++)
                    {
                        double xa = Px(s.X[i] - s.BarWidth / 2), xb = Px(s.X[i] + s.BarWidth / 2);
                        double ya = Py(s.Y[i]), yb = Py(baseY);
                        svg.Append(F($"<rect x=\"{xa}\" y=\"{Math.Min(ya, yb)}\" width=\"{Math.Max(0.5, xb - xa - 0.5)}\" height=\"{Math.Abs(yb - ya)}\" fill=\"{s.Color}\" fill-opacity=\"0.55\" stroke=\"{s.Color}\"/>"));
                    }
                    break;
                case Kind.Box:
                    for (int i = 0; i < s.X.Length; i++)
                    {
                        double xc = Px(s.X[i]), half = Math.Max(1.5, (Px(s.X[i] + s.BarWidth / 2) - Px(s.X[i] - s.BarWidth / 2)) / 2);
                        svg.Append(F($"<line x1=\"{xc}\" y1=\"{Py(s.Low![i])}\" x2=\"{xc}\" y2=\"{Py(s.High![i])}\" stroke=\"{s.Color}\"/>"));
                        double top = Py(s.Q3![i]), bottom = Py(s.Q1![i]);
                        svg.Append(F($"<rect x=\"{xc - half}\" y=\"{top}\" width=\"{2 * half}\" height=\"{Math.Max(0.5, bottom - top)}\" fill=\"{s.Color}\" fill-opacity=\"0.3\" stroke=\"{s.Color}\"/>"));
                        svg.Append(F($"<line x1=\"{xc - half}\" y1=\"{Py(s.Y[i])}\" x2=\"{xc + half}\" y2=\"{Py(s.Y[i])}\" stroke=\"{s.Color}\" stroke-width=\"2\"/>"));
                    }
                    break;
            }
        }
        foreach (var (y, label) in _horizontalMarks)
        {
            double py = Py(y);
            svg.Append(F($"<line x1=\"{Left}\" y1=\"{py}\" x2=\"{Left + plotW}\" y2=\"{py}\" stroke=\"#555\" stroke-dasharray=\"6,4\"/>"));
            svg.Append(F($"<text x=\"{Left + plotW - 4}\" y=\"{py - 4}\" text-anchor=\"end\" fill=\"#555\">{Esc(label)}</text>"));
        }
        // The legend goes in the corner of the plot that covers the fewest data (top-left on ties).
        double legendW = _series.Count == 0 ? 0 : 34 + 6.6 * _series.Max(s => s.Name.Length), legendH = 16 * _series.Count + 4;
        var data = new List<(double X, double Y)>();
        foreach (var s in _series)
            for (int i = 0; i < s.X.Length; i++)
            {
                if (!double.IsFinite(s.Y[i])) continue;
                data.Add((Px(s.X[i]), Py(s.Y[i])));
                if (s.Kind == Kind.Line && i + 1 < s.X.Length && double.IsFinite(s.Y[i + 1]))
                    for (int k = 1; k < 8; k++)
                        data.Add((Px(s.X[i]) + (Px(s.X[i + 1]) - Px(s.X[i])) * k / 8, Py(s.Y[i]) + (Py(s.Y[i + 1]) - Py(s.Y[i])) * k / 8));
            }
        var corners = new[] { (X: Left + 4, Y: Top + 4), (X: Left + plotW - 4 - legendW, Y: Top + 4),
            (X: Left + 4, Y: Top + plotH - 4 - legendH), (X: Left + plotW - 4 - legendW, Y: Top + plotH - 4 - legendH) };
        var corner = corners.MinBy(c => data.Count(d => d.X >= c.X - 4 && d.X <= c.X + legendW + 4 && d.Y >= c.Y - 4 && d.Y <= c.Y + legendH + 4));
        double ly = corner.Y + 4;
        if (_series.Count > 0)
        {
            // A white box behind the legend keeps it readable where it still overlaps the data.
            svg.Append(F($"<rect x=\"{corner.X}\" y=\"{ly - 4}\" width=\"{legendW}\" height=\"{legendH}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>"));
        }
        foreach (var s in _series)
        {
            svg.Append(F($"<rect x=\"{corner.X + 6}\" y=\"{ly}\" width=\"12\" height=\"10\" fill=\"{s.Color}\"/>"));
            svg.Append(F($"<text x=\"{corner.X + 24}\" y=\"{ly + 9}\">{Esc(s.Name)}</text>"));
            ly += 16;
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static double T(double v, bool log) => log ? Math.Log10(Math.Max(v, 1e-300)) : v;

    private static (double, double) Range(IEnumerable<double> values, bool log, double? fixedMin, double? fixedMax)
    {
        var finite = values.Where(v => double.IsFinite(v) && (!log || v > 0)).ToArray();
        double min = fixedMin ?? (finite.Length > 0 ? finite.Min() : 0);
        double max = fixedMax ?? (finite.Length > 0 ? finite.Max() : 1);
        if (max <= min) { double pad = Math.Abs(min) * 0.05 + (log ? min * 0.5 : 1e-12); min -= pad; max += pad; if (max <= min) max = min + 1; }
        if (!log)
        {
            double pad = (max - min) * 0.04;
            if (fixedMin is null) min -= pad;
            if (fixedMax is null) max += pad;
        }
        return (min, max);
    }

    private static IEnumerable<double> Ticks(double min, double max, bool log)
    {
        if (log)
        {
            for (int e = (int)Math.Floor(Math.Log10(min)); e <= (int)Math.Ceiling(Math.Log10(max)); e++)
            {
                double t = Math.Pow(10, e);
                if (t >= min * 0.999 && t <= max * 1.001) yield return t;
            }
            yield break;
        }
        double raw = (max - min) / 6, mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = mag * (raw / mag < 1.5 ? 1 : raw / mag < 3 ? 2 : raw / mag < 7 ? 5 : 10);
        for (double t = Math.Ceiling(min / step) * step; t <= max + step * 1e-9; t += step)
            yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    private static string TickText(double v)
    {
        double a = Math.Abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) return v.ToString("0.##e0", CultureInfo.InvariantCulture);
        return v.ToString("0.####", CultureInfo.InvariantCulture);
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture) + "\n";

    private static string F2(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}

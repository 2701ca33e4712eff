using System.Globalization;
using System.Text;

namespace Mbi.Circuit.Netlists;

/// <summary>Number and source formatting for netlists: always invariant culture ("1,5e-9" breaks SPICE).</summary>
internal static class Spice
{
    public static string Num(double value) => value.ToString("G12", CultureInfo.InvariantCulture);

    /// <summary>A piecewise-linear voltage source, a few points per continuation line.</summary>
    public static void Pwl(StringBuilder text, string name, string plus, string minus, IReadOnlyList<(double Time, double Volts)> points)
    {
        text.Append(name).Append(' ').Append(plus).Append(' ').Append(minus).Append(" PWL(");
        for (int i = 0; i < points.Count; i++)
        {
            if (i > 0 && i % 6 == 0) text.Append("\n+ ");
            else if (i > 0) text.Append(' ');
            text.Append(Num(points[i].Time)).Append(' ').Append(Num(points[i].Volts));
        }
        text.Append(")\n");
    }

    /// <summary>Adds a (time, value) pair only when the value changes, keeping PWL lists short.</summary>
    public static void Step(List<(double Time, double Volts)> points, double time, double from, double to, double edge)
    {
        if (from == to) return;
        points.Add((time, from));
        points.Add((time + edge, to));
    }
}

namespace Mbi.Core.Statistics;

/// <summary>
/// The one percentile and the one histogram every report uses (Monte Carlo box plots, die accuracy, match
/// distances), so that two figures of the same data never disagree by the way they were binned or ranked.
/// </summary>
public static class Distribution
{
    /// <summary>
    /// The q-quantile (0 &lt;= q &lt;= 1) by linear interpolation between order statistics (Hyndman and Fan type 7,
    /// numpy's default); NaN for no values.
    /// </summary>
    public static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return PercentileOfSorted(sorted, q);
    }

    /// <summary>As <see cref="Percentile"/> on values already sorted ascending (no copy).</summary>
    public static double PercentileOfSorted(ReadOnlySpan<double> sorted, double q)
    {
        if (q is < 0 or > 1 || double.IsNaN(q)) throw new ArgumentOutOfRangeException(nameof(q), q, "a quantile must be within 0..1");
        if (sorted.Length == 0) return double.NaN;
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>
    /// Counts of <paramref name="values"/> in <paramref name="bins"/> equal bins over [<paramref name="low"/>,
    /// <paramref name="high"/>]; a value outside the range is counted in the end bin it lies beyond (the callers
    /// choose the range from the data, so this only absorbs the top edge).
    /// </summary>
    public static Histogram Histogram(IReadOnlyList<double> values, int bins, double low, double high)
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), bins, "a histogram needs at least one bin");
        if (!(high > low)) high = low + 1e-12 + Math.Abs(low) * 1e-9;
        double width = (high - low) / bins;
        var counts = new double[bins];
        foreach (double v in values) counts[Math.Clamp((int)Math.Floor((v - low) / width), 0, bins - 1)]++;
        var centres = new double[bins];
        for (int i = 0; i < bins; i++) centres[i] = low + (i + 0.5) * width;
        return new Histogram(centres, counts, width, values.Count);
    }

    /// <summary>As above over the values' own range (min..max).</summary>
    public static Histogram Histogram(IReadOnlyList<double> values, int bins) =>
        values.Count == 0 ? Histogram(values, bins, 0, 1) : Histogram(values, bins, values.Min(), values.Max());
}

/// <summary>Equal-width bins: centre, count and width of each, and how many values were binned.</summary>
public sealed record Histogram(IReadOnlyList<double> Centres, IReadOnlyList<double> Counts, double Width, int Total)
{
    /// <summary>Each bin's share of the values (all zero when there were none).</summary>
    public IReadOnlyList<double> Fractions => [.. Counts.Select(c => Total == 0 ? 0 : c / Total)];
}

using Mbi.Circuit.Netlists;

namespace Mbi.Circuit.Transient;

/// <summary>Small kernels on ngspice waveforms (time points are strictly increasing).</summary>
internal static class Waveform
{
    /// <summary>Linear interpolation of <paramref name="values"/> at time <paramref name="t"/>.</summary>
    public static double At(ReadOnlySpan<double> time, ReadOnlySpan<double> values, double t)
    {
        int i = time.BinarySearch(t);
        if (i >= 0) return values[i];
        i = ~i;
        if (i == 0) return values[0];
        if (i >= time.Length) return values[^1];
        double f = (t - time[i - 1]) / (time[i] - time[i - 1]);
        return values[i - 1] + f * (values[i] - values[i - 1]);
    }

    /// <summary>
    /// Integrates a source's branch current (ngspice sign: positive flows into the + terminal, so a
    /// delivering source reads negative) into delivered charge per (cycle, phase), trapezoid rule;
    /// every phase boundary is a breakpoint of the PWL drives, so no interval straddles two phases.
    /// Intervals before the first reported cycle (the warm-up) are not counted.
    /// </summary>
    public static void ChargePerPhase(ReadOnlySpan<double> time, ReadOnlySpan<double> current,
        IReadOnlyList<CycleTiming> cycles, int supply, int supplies, Span<double> charges)
    {
        int cycle = 0;
        for (int k = 0; k + 1 < time.Length; k++)
        {
            double mid = 0.5 * (time[k] + time[k + 1]);
            if (mid < cycles[0].Start) continue;
            while (cycle + 1 < cycles.Count && mid >= cycles[cycle + 1].Start) cycle++;
            if (mid >= cycles[cycle].End) continue;
            double q = -0.5 * (current[k] + current[k + 1]) * (time[k + 1] - time[k]);
            charges[(cycle * supplies + supply) * 3 + cycles[cycle].PhaseOf(mid)] += q;
        }
    }
}

namespace Mbi.Circuit.Netlists;

/// <summary>Phase boundaries of one cycle, in seconds from the start of the transient.</summary>
/// <param name="Start">Precharge begins (precharge gates start to fall).</param>
/// <param name="EvalStart">Query lines start to rise.</param>
/// <param name="ShareStart">Transmission gates start to open.</param>
/// <param name="Settle">End of the share phase: the sum-line voltages are read here.</param>
/// <param name="End">The cycle's last control edge is over; the next cycle starts.</param>
internal readonly record struct CycleTiming(double Start, double EvalStart, double ShareStart, double Settle, double End)
{
    public static CycleTiming For(ArrayDesign design, int cycle)
    {
        double edge = design.EdgeSeconds, gap = design.GapSeconds;
        double start = cycle * design.CycleSeconds;
        double evalStart = start + edge + design.PrechargeSeconds + edge + gap;
        double shareStart = evalStart + edge + design.EvalWindowSeconds + edge + gap;
        double settle = shareStart + edge + design.ShareSeconds;
        double end = settle + edge + gap;
        return new CycleTiming(start, evalStart, shareStart, settle, end);
    }

    /// <summary>Phase index of time t: 0 precharge, 1 evaluate, 2 share.</summary>
    public int PhaseOf(double t) => t < EvalStart ? 0 : t < ShareStart ? 1 : 2;
}

/// <summary>The three phases of a cycle, in the order charges are reported.</summary>
internal enum Phase { Precharge = 0, Evaluate = 1, Share = 2 }

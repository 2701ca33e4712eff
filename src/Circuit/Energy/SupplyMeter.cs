namespace Mbi.Circuit.Energy;

/// <summary>
/// Energy each rail of a transient draws from the external supply, counted so that it cannot be fooled:
/// the energy a source delivers, integral of V x I_out, is taken per window (one per control edge)
/// and only where positive (a supply that takes net charge back over a phase dissipates it in its
/// regulator; it is never credited), then divided by the rail generator's efficiency (a linear regulator's
/// is V/VDD, so it draws VDD x the charge it delivers; an ideal logic input likewise counts VDD x its charge). Inside a window the rail's decoupling capacitance
/// absorbs and returns charge, and so does the solver's ringing at the edges (trapezoidal integration with
/// steps of tens of ps around 20 ps edges rings by about 1 mA for a few steps: taken per sample, its positive
/// half alone doubled the query drivers' energy). Trapezoidal integration over the samples whose midpoint
/// lies in a window; windows cover [first, last] edge.
/// </summary>
internal static class SupplyMeter
{
    /// <param name="vector">Returns a saved vector by name (node voltages, "&lt;source&gt;#branch" currents, "time").</param>
    /// <param name="windowEdgesSeconds">Increasing window boundaries; the first and last bound the measurement.</param>
    public static IReadOnlyList<RailEnergy> Measure(IReadOnlyList<MeteredRail> rails, Func<string, double[]> vector,
        double vddVolts, IReadOnlyList<double> windowEdgesSeconds)
    {
        if (windowEdgesSeconds.Count < 2) throw new ArgumentException("at least one window (two edges) is needed", nameof(windowEdgesSeconds));
        double[] time = vector("time");
        var result = new RailEnergy[rails.Count];
        for (int r = 0; r < rails.Count; r++)
        {
            var rail = rails[r];
            double[] current = vector(rail.Source + "#branch");
            double[]? plus = rail.Plus == "0" ? null : vector(rail.Plus);
            double[]? minus = rail.Minus == "0" ? null : vector(rail.Minus);
            double delivered = 0, drawn = 0, sunk = 0;
            double windowDelivered = 0, windowDrawn = 0;
            int window = 0;
            for (int k = 0; k + 1 < time.Length; k++)
            {
                double mid = 0.5 * (time[k] + time[k + 1]);
                if (mid < windowEdgesSeconds[0]) continue;
                while (window + 1 < windowEdgesSeconds.Count && mid > windowEdgesSeconds[window + 1])
                {
                    Close(ref windowDelivered, ref windowDrawn, ref delivered, ref drawn, ref sunk);
                    window++;
                }
                if (window + 1 >= windowEdgesSeconds.Count) break;
                double dt = time[k + 1] - time[k];
                var (p0, d0) = Power(rail, plus, minus, current, k, vddVolts);
                var (p1, d1) = Power(rail, plus, minus, current, k + 1, vddVolts);
                windowDelivered += 0.5 * (p0 + p1) * dt;
                windowDrawn += 0.5 * (d0 + d1) * dt;
            }
            Close(ref windowDelivered, ref windowDrawn, ref delivered, ref drawn, ref sunk);
            result[r] = new RailEnergy(rail, delivered, sunk, drawn);
        }
        return result;
    }

    /// <summary>Ends a window: its delivered and drawn energies count only if positive (each on its own: a logic input can
    /// return charge at a low voltage and deliver at a high one inside one window).</summary>
    private static void Close(ref double windowDelivered, ref double windowDrawn, ref double delivered, ref double drawn, ref double sunk)
    {
        delivered += Math.Max(0, windowDelivered);
        sunk += Math.Max(0, -windowDelivered);
        drawn += Math.Max(0, windowDrawn);
        windowDelivered = 0;
        windowDrawn = 0;
    }

    /// <summary>Power the source delivers and the power drawn from VDD for it (both signed; the window decides).</summary>
    private static (double Delivered, double Drawn) Power(MeteredRail rail, double[]? plus, double[]? minus, double[] current, int k, double vdd)
    {
        double v = (plus?[k] ?? 0) - (minus?[k] ?? 0);
        // ngspice's branch current flows into the + node through the source: the current out of + is its negative.
        double p = -v * current[k];
        double drawn = rail.Generator switch
        {
            RailGenerator.LinearRegulator => v > 0 ? p * vdd / v : 0,
            RailGenerator.LogicGate => -current[k] * vdd,
            _ => p / rail.Efficiency,
        };
        return (p, drawn);
    }
}

/// <summary>One rail's energy over the measured windows (joules).</summary>
/// <param name="DeliveredJoules">Sum over windows of the positive net V x I_out: what the rail itself delivered.</param>
/// <param name="SunkJoules">Sum over windows where the rail took net energy back: never credited, reported for insight.</param>
/// <param name="DrawnJoules">Energy drawn from VDD to deliver it, through the rail's generator: what is charged to the comparison.</param>
internal sealed record RailEnergy(MeteredRail Rail, double DeliveredJoules, double SunkJoules, double DrawnJoules);

using Mbi.Circuit.Engine;
using Mbi.Circuit.Leakage;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Periphery;

/// <summary>Energy per row access of the decoder and drivers, by rail, from the supplies' delivered power.</summary>
internal sealed record RowAccessEnergy(int Accesses, double AccessSeconds, IReadOnlyDictionary<string, double> JoulesPerAccessByRail,
    double AddressInputJoulesPerAccess, double SelectedLineLowVolts, double DeselectedLineHighVolts)
{
    /// <summary>
    /// Every source of the bench: decoder (VDD), row drivers (VPmax), the cells' supply and bitline bias (what the
    /// source-line swing couples into them) and the address inputs: the select path's energy per access.
    /// </summary>
    public double SelectPathJoules => JoulesPerAccessByRail.Values.Sum() + AddressInputJoulesPerAccess;
}

/// <summary>
/// Runs a <see cref="RowDecoderBench"/>: every source's energy is the integral of max(0, V x I) (a source that sinks
/// current is not credited), from the first address change to the end, divided by the accesses. Static power flows
/// during that time too and is included, as a real supply would deliver it.
/// </summary>
internal static class RowDecoderMeter
{
    public static RowAccessEnergy Measure(NgSpiceEngine engine, RowDecoderBench bench)
    {
        engine.Load(bench.Write());
        engine.Execute("run");
        double[] time = engine.RequireVector("time");
        double start = bench.ChangeSeconds(1) - bench.Design.EdgeSeconds;
        int accesses = bench.RowSequence.Count - 1;
        var byRail = new Dictionary<string, double>();
        double railVolts(string rail) => rail is "vdec" or "vcell" ? bench.Technology.VddVolts : bench.Design.VpMaxVolts;
        foreach (string rail in RowDecoderBench.Rails)
        {
            double[] i = engine.RequireVector(rail + "#branch");
            double v = railVolts(rail);
            byRail[rail] = PositiveEnergy(time, k => -v * i[k], start) / accesses;
        }
        double inputs = 0;
        for (int b = 0; b < RowDecoderBench.AddressBits; b++)
        {
            double[] i = engine.RequireVector($"va{b}#branch");
            double[] v = engine.RequireVector($"a{b}");
            inputs += PositiveEnergy(time, k => -v[k] * i[k], start);
        }
        // The first accessed row must have been released (back near VPmax) and the second selected (near ground).
        double[] slFirst = engine.RequireVector($"sl{bench.RowSequence[0]}");
        double[] slSecond = engine.RequireVector($"sl{bench.RowSequence[1]}");
        int atEndOfSecond = Array.FindLastIndex(time, x => x <= bench.ChangeSeconds(2) - bench.Design.EdgeSeconds);
        double low = slSecond[atEndOfSecond], high = slFirst[atEndOfSecond];
        if (bench.RowSequence[0] != bench.RowSequence[1] && (low > 0.1 * bench.Design.VpMaxVolts || high < 0.9 * bench.Design.VpMaxVolts))
            throw new SimulationFailedException($"row decoder bench: row {bench.RowSequence[1]}'s source line reached {low:G3} V and row {bench.RowSequence[0]}'s {high:G3} V within one access; the drivers are too weak for a {bench.AccessSeconds:G3} s access.");
        return new RowAccessEnergy(accesses, bench.AccessSeconds, byRail, inputs / accesses, low, high);
    }

    /// <summary>
    /// The highest voltage the second accessed row's source line reaches while it is selected and all its cells conduct
    /// (<see cref="RowDecoderBench.Write"/> with evaluating: true): how far the driver lets the "ground" of the
    /// evaluation rise. Measured from 20% into the access (after the select edge) to its end.
    /// </summary>
    public static double SelectedLineUnderLoadVolts(NgSpiceEngine engine, RowDecoderBench bench)
    {
        engine.Load(bench.Write(evaluating: true));
        engine.Execute("run");
        double[] time = engine.RequireVector("time");
        double[] sl = engine.RequireVector($"sl{bench.RowSequence[1]}");
        double from = bench.ChangeSeconds(1) + 0.2 * bench.AccessSeconds, to = bench.ChangeSeconds(2) - bench.Design.EdgeSeconds;
        double max = double.NegativeInfinity;
        for (int k = 0; k < time.Length; k++)
            if (time[k] >= from && time[k] <= to) max = Math.Max(max, sl[k]);
        return max;
    }

    /// <summary>Static power of the bench's rails with the address held (DC operating point) at a temperature.</summary>
    public static IReadOnlyList<RailLeakage> Leakage(NgSpiceEngine engine, RowDecoderBench bench, double temperatureCelsius)
    {
        engine.Load(bench.Write(transient: false, temperatureCelsius: temperatureCelsius));
        engine.Execute("op");
        return RowDecoderBench.Rails.Select(rail => new RailLeakage(rail,
            rail is "vdec" or "vcell" ? bench.Technology.VddVolts : bench.Design.VpMaxVolts,
            -engine.RequireVector(rail + "#branch")[0])).ToList();
    }

    private static double PositiveEnergy(double[] time, Func<int, double> power, double start)
    {
        double joules = 0;
        for (int k = 0; k + 1 < time.Length; k++)
        {
            if (time[k] < start) continue;
            joules += 0.5 * (Math.Max(0, power(k)) + Math.Max(0, power(k + 1))) * (time[k + 1] - time[k]);
        }
        return joules;
    }
}

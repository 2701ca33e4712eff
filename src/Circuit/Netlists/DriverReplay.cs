using System.Text;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// The driver chains' output waveforms as recorded on a die that simulated the chains, for replay in the dies that
/// follow. The chains take no Vth draw (<see cref="RowBench.Devices"/> holds none of their transistors), so every die
/// of a Monte Carlo run drives its lines with the same chains; only the lines' loads differ a little from die to die.
/// A replayed bench writes each chain as one behavioural source (<c>B... V=pwl(time, ...)</c>) on the chain's output
/// line instead of its level shifter and inverters (426 of the default held bench's 1,400 BSIM4 instances), and keeps
/// the chain's ideal logic input source, now driving nothing, for its breakpoints: a B source sets none, and without
/// the logic edges' breakpoints the solver steps across the transmission gates' closing edge (0.3-0.4 mV off on the
/// 13-cycle study; with them 0.013 mV, docs/circuit.md). Each line's recorded time points are thinned so that linear
/// interpolation stays within <see cref="ToleranceVolts"/> of every recorded value.
/// </summary>
internal sealed class DriverReplay
{
    /// <summary>Largest difference between a replayed line and its recording at any recorded time point.</summary>
    public const double ToleranceVolts = 1e-4;

    /// <summary>The method in a journal's fingerprint: a replayed run is another run than a simulated one.</summary>
    public static string Fingerprint => "drivers replayed from the nominal die, tolerance " + Spice.Num(ToleranceVolts) + " V";

    private readonly Dictionary<string, (double[] Times, double[] Volts)> _lines;

    private DriverReplay(Dictionary<string, (double[] Times, double[] Volts)> lines) => _lines = lines;

    /// <summary>Time points kept, over all lines.</summary>
    public int Points => _lines.Values.Sum(l => l.Times.Length);

    /// <summary>The chains replayed, by name.</summary>
    public IEnumerable<string> Chains => _lines.Keys;

    /// <summary>
    /// Thins each chain's recording (its output at the points of <paramref name="time"/>) to the fewest time points,
    /// chosen greedily from the left, whose linear interpolation is within <paramref name="tolerance"/> of the recorded
    /// value at every recorded point.
    /// </summary>
    public static DriverReplay From(IReadOnlyList<double> time, IReadOnlyList<(string Chain, double[] Volts)> lines, double tolerance = ToleranceVolts)
    {
        if (time.Count < 2) throw new ArgumentException("a recording needs at least two time points", nameof(time));
        var kept = new Dictionary<string, (double[] Times, double[] Volts)>(StringComparer.Ordinal);
        foreach (var (chain, volts) in lines)
        {
            if (volts.Length != time.Count) throw new ArgumentException($"chain {chain}: {volts.Length} values for {time.Count} time points", nameof(lines));
            var keep = new List<int> { 0 };
            int anchor = 0;
            for (int end = 2; end < time.Count; end++)
            {
                if (Covers(time, volts, anchor, end, tolerance)) continue;
                anchor = end - 1;
                keep.Add(anchor);
            }
            keep.Add(time.Count - 1);
            kept[chain] = (keep.Select(k => time[k]).ToArray(), keep.Select(k => volts[k]).ToArray());
        }
        return new DriverReplay(kept);
    }

    /// <summary>True when the segment from point a to point b is within tolerance of the line at every point between.</summary>
    private static bool Covers(IReadOnlyList<double> time, double[] v, int a, int b, double tolerance)
    {
        double ta = time[a], span = time[b] - ta;
        double va = v[a], slope = span > 0 ? (v[b] - va) / span : 0;
        for (int j = a + 1; j < b; j++)
            if (Math.Abs(va + slope * (time[j] - ta) - v[j]) > tolerance) return false;
        return true;
    }

    /// <summary>True when every chain of <paramref name="chains"/> has a recorded waveform.</summary>
    public bool Covers(IEnumerable<DriverChain> chains) => chains.All(c => _lines.ContainsKey(c.Name));

    /// <summary>The chain's replacement: one behavioural voltage source on its output line, its recorded waveform.</summary>
    public void Write(StringBuilder t, DriverChain chain)
    {
        var (times, volts) = _lines[chain.Name];
        t.Append("* driver chain ").Append(chain.Name).Append(" replayed: its output as recorded on the nominal die (logic input kept above for its breakpoints)\n");
        t.Append("brp_").Append(chain.Name).Append(' ').Append(chain.Output).Append(" 0 V=pwl(time");
        for (int i = 0; i < times.Length; i++)
        {
            if (i % 6 == 0) t.Append("\n+ ");
            t.Append(',').Append(Spice.Num(times[i])).Append(',').Append(Spice.Num(volts[i]));
        }
        t.Append(")\n");
    }
}

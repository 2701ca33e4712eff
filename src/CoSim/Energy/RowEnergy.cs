using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;

namespace Mbi.CoSim.Energy;

/// <summary>Energy one row comparison draws from the array's supplies and drivers, by category (joules per comparison).</summary>
public sealed record RowEnergy(double ColumnPrechargeJoules, double RowActivationJoules, double ChargeSumJoules, int Cycles,
    IReadOnlyDictionary<string, double> PerSourceJoules, double CycleSeconds)
{
    public double TotalJoules => ColumnPrechargeJoules + RowActivationJoules + ChargeSumJoules;
}

/// <summary>
/// Measures a row's energy with ngspice: the circuit layer's row bench runs with every node voltage and
/// source current saved, and each source's delivered energy -integral((V+ - V-) I dt) is summed over the
/// reported cycles (the warm-up cycle excluded). The true V x I integral is needed because pulsed drivers
/// (precharge gate, transmission gates, query lines) return most of their charge within the cycle, so their
/// net charge per phase says little about their energy. Sources are grouped as: column precharge (precharge
/// rails and the precharge-gate driver), row activation (query-line drivers, the selected row's source
/// line, the cell supply and the word line) and charge sum (transmission-gate drivers).
/// </summary>
internal static class RowEnergyMeter
{
    /// <param name="deck">With <paramref name="decks"/>: the file name the simulated netlist is saved under.</param>
    public static RowEnergy Measure(NgSpiceEngine engine, Technology technology, ArrayDesign design, RowProgram program,
        DeckFolder? decks = null, string deck = "energy.cir")
    {
        var bench = new RowBench(technology, design, program);
        string netlist = string.Join('\n', bench.Write().Split('\n').Where(l => !l.StartsWith(".save", StringComparison.Ordinal)));
        decks?.Save(deck, netlist);
        engine.Load(netlist);
        engine.Execute("run");
        try
        {
            double[] time = engine.RequireVector("time");
            double start = bench.Timings[0].Start, end = bench.Timings[^1].End;
            var perSource = new Dictionary<string, double>();
            foreach (var (name, plus, minus) in Sources(netlist))
            {
                double[] current = engine.RequireVector(name + "#branch");
                double[]? vPlus = plus == "0" ? null : engine.RequireVector(plus);
                double[]? vMinus = minus == "0" ? null : engine.RequireVector(minus);
                double energy = 0;
                for (int k = 0; k + 1 < time.Length; k++)
                {
                    double mid = 0.5 * (time[k] + time[k + 1]);
                    if (mid < start || mid > end) continue;
                    double p0 = -((vPlus?[k] ?? 0) - (vMinus?[k] ?? 0)) * current[k];
                    double p1 = -((vPlus?[k + 1] ?? 0) - (vMinus?[k + 1] ?? 0)) * current[k + 1];
                    energy += 0.5 * (p0 + p1) * (time[k + 1] - time[k]);
                }
                perSource[name] = energy / program.Cycles.Count;
            }
            double precharge = 0, row = 0, share = 0;
            foreach (var (name, joules) in perSource)
            {
                if (name.StartsWith("vpr", StringComparison.Ordinal) || name == "vpg") precharge += joules;
                else if (name is "vshn" or "vshp") share += joules;
                else row += joules;
            }
            return new RowEnergy(precharge, row, share, program.Cycles.Count, perSource, design.CycleSeconds);
        }
        finally
        {
            engine.Execute("destroy all");
        }
    }

    /// <summary>Every independent voltage source of a deck: name and its two nodes.</summary>
    internal static IEnumerable<(string Name, string Plus, string Minus)> Sources(string netlist)
    {
        foreach (string line in netlist.Split('\n'))
        {
            if (line.Length < 2 || (line[0] != 'v' && line[0] != 'V')) continue;
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3) yield return (parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant(), parts[2].ToLowerInvariant());
        }
    }
}

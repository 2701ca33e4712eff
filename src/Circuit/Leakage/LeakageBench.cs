using System.Globalization;
using System.Text;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Leakage;

/// <summary>
/// DC operating point of one cell (any <see cref="LeakageCell"/>) at a temperature, one run per stored state: the
/// current of every driven port times its voltage is the static power real supplies deliver.
/// ngspice's default gmin (1e-12 S, across every junction) would add about 0.9 pA per volt per device, as large as
/// the leakage measured, so the deck sets gmin to <see cref="GminSiemens"/>.
/// </summary>
internal static class LeakageBench
{
    /// <summary>Numerical conductance ngspice adds across junctions; 1e-20 S adds 1e-20 A at 1 V (below 1e-8 of any leakage here).</summary>
    public const double GminSiemens = 1e-20;

    public static string Write(Technology technology, LeakageCell cell, int stateIndex, double temperatureCelsius)
    {
        if (temperatureCelsius is < -55 or > 175)
            throw BadInputException.For("temperature", temperatureCelsius.ToString(CultureInfo.InvariantCulture) + " C", "between -55 C and 175 C", "85");
        var state = cell.States[stateIndex];
        var t = new StringBuilder();
        t.Append("* Mbi cell leakage: ").Append(cell.SubcircuitName).Append(", state ").Append(state.Name)
         .Append(", ").Append(Spice.Num(temperatureCelsius)).Append(" C, gate tunnelling ").Append(technology.GateTunneling ? "on" : "off").Append('\n');
        t.Append("* Written by Mbi (src/Circuit/Leakage/LeakageBench.cs); runs with `ngspice -b` after adding `.op`.\n");
        t.Append(technology.ModelCardForNetlist).Append('\n').Append(cell.Subcircuit).Append('\n');
        t.Append(".options gmin=").Append(Spice.Num(GminSiemens)).Append('\n');
        t.Append(".temp ").Append(Spice.Num(temperatureCelsius)).Append('\n');
        foreach (var (port, volts) in cell.Biases)
            t.Append("v").Append(port).Append(' ').Append("n_").Append(port).Append(" 0 DC ").Append(Spice.Num(volts)).Append('\n');
        t.Append("x1");
        foreach (string port in cell.Ports)
            t.Append(' ').Append(cell.GroundPorts.Contains(port) ? "0" : "n_" + port);
        t.Append(' ').Append(cell.SubcircuitName).Append('\n');
        t.Append(".nodeset");
        foreach (var (node, volts) in state.StorageVolts) t.Append(" v(n_").Append(node).Append(")=").Append(Spice.Num(volts));
        t.Append("\n.end\n");
        return t.ToString();
    }

    /// <summary>Every stored state of <paramref name="cell"/> at <paramref name="temperatureCelsius"/>.</summary>
    public static IReadOnlyList<LeakageResult> Measure(NgSpiceEngine engine, Technology technology, LeakageCell cell, double temperatureCelsius)
    {
        var results = new List<LeakageResult>();
        for (int s = 0; s < cell.States.Count; s++)
        {
            engine.Load(Write(technology, cell, s, temperatureCelsius));
            engine.Execute("op");
            var rails = cell.Biases.Select(b => new RailLeakage(b.Key, b.Value, -engine.RequireVector("v" + b.Key + "#branch")[0])).ToList();
            var storage = cell.States[s].StorageVolts.Keys.ToDictionary(n => n, n => engine.RequireVector("n_" + n)[0]);
            // The stored value must have held: each storage node within 10% of VDD of where it started.
            foreach (var (node, start) in cell.States[s].StorageVolts)
                if (Math.Abs(storage[node] - start) > 0.1 * technology.VddVolts)
                    throw new SimulationFailedException($"leakage bench: {cell.SubcircuitName} state {cell.States[s].Name} did not hold ({node} settled at {storage[node]:G4} V, started at {start:G4} V).");
            results.Add(new LeakageResult(cell.States[s].Name, temperatureCelsius, technology.GateTunneling, rails, storage));
        }
        return results;
    }

    /// <summary>Mean static power over the stored states (keys are about half ones): what one cell leaks on average.</summary>
    public static double MeanPowerWatts(IReadOnlyList<LeakageResult> states) => states.Average(s => s.PowerWatts);
}

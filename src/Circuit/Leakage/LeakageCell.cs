using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Leakage;

/// <summary>
/// A memory cell described for a leakage measurement, generic over the cell subcircuit: the subcircuit text
/// (models and sizes filled in), its name and port order, the DC bias of every driven port (each port is driven
/// by its own source so that its current is measured; 0 V ports are driven too), the ports tied to ground, and
/// one set of storage-node guesses per stored value (written as .nodeset so the DC solution lands in that state).
/// </summary>
internal sealed record LeakageCell
{
    public required string Subcircuit { get; init; }
    public required string SubcircuitName { get; init; }
    public required IReadOnlyList<string> Ports { get; init; }
    /// <summary>Driven ports and their DC bias (volts). Every port is either here or in <see cref="GroundPorts"/> or a storage node.</summary>
    public required IReadOnlyDictionary<string, double> Biases { get; init; }
    public required IReadOnlyList<string> GroundPorts { get; init; }
    /// <summary>For each stored value: a name ("k=1") and the storage-node voltages it starts from.</summary>
    public required IReadOnlyList<(string Name, IReadOnlyDictionary<string, double> StorageVolts)> States { get; init; }

    /// <summary>Checks that every port is driven, grounded or a storage node, once.</summary>
    public LeakageCell Validated()
    {
        if (States.Count == 0) throw new BadInputException($"leakage cell '{SubcircuitName}' was given no stored states; it must have at least one (e.g. k=0 and k=1).");
        var storage = States[0].StorageVolts.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (string port in Ports)
        {
            int roles = (Biases.ContainsKey(port) ? 1 : 0) + (GroundPorts.Contains(port) ? 1 : 0) + (storage.Contains(port) ? 1 : 0);
            if (roles != 1)
                throw new BadInputException($"leakage cell '{SubcircuitName}' port '{port}' was given {roles} roles; it must be exactly one of biased, grounded or storage node.");
        }
        foreach (var v in Biases.Values)
            if (!double.IsFinite(v)) throw new BadInputException($"leakage cell '{SubcircuitName}' bias was {v}; it must be a finite voltage (e.g. 0.9).");
        return this;
    }

    /// <summary>
    /// The 10T distance cell (netlists/cells/cell10t.sub) in hold inside the array: write word line and both query
    /// lines low, the source line at VPmax (an unselected row), bitlines at <paramref name="bitlineVolts"/>
    /// (default VPmax: precharged, the worst case for the bitline-side stacks), cell supply at VDD.
    /// </summary>
    public static LeakageCell TenTransistorHold(Technology technology, ArrayDesign design, double? bitlineVolts = null)
    {
        double vdd = technology.VddVolts;
        double vbl = bitlineVolts ?? design.VpMaxVolts;
        return new LeakageCell
        {
            Subcircuit = CellTemplate.For(technology),
            SubcircuitName = "cell10t",
            Ports = ["bl", "blb", "ql", "qlb", "sl", "wl", "q", "qb", "vdd", "vss"],
            Biases = new Dictionary<string, double>
            {
                ["bl"] = vbl, ["blb"] = vbl, ["ql"] = 0, ["qlb"] = 0, ["sl"] = design.VpMaxVolts, ["wl"] = 0, ["vdd"] = vdd,
            },
            GroundPorts = ["vss"],
            States =
            [
                ("k=1", new Dictionary<string, double> { ["q"] = vdd, ["qb"] = 0 }),
                ("k=0", new Dictionary<string, double> { ["q"] = 0, ["qb"] = vdd }),
            ],
        }.Validated();
    }

    /// <summary>
    /// A plain 6T SRAM cell (<see cref="CellTemplate.StorageCore"/>) in hold, as a LUT's value store would use: word line
    /// low, bitlines precharged to VDD, cell supply at VDD.
    /// </summary>
    public static LeakageCell SixTransistorHold(Technology technology)
    {
        double vdd = technology.VddVolts;
        return new LeakageCell
        {
            Subcircuit = CellTemplate.StorageCore(technology),
            SubcircuitName = "cell6t",
            Ports = ["bl", "blb", "wl", "q", "qb", "vdd", "vss"],
            Biases = new Dictionary<string, double> { ["bl"] = vdd, ["blb"] = vdd, ["wl"] = 0, ["vdd"] = vdd },
            GroundPorts = ["vss"],
            States =
            [
                ("k=1", new Dictionary<string, double> { ["q"] = vdd, ["qb"] = 0 }),
                ("k=0", new Dictionary<string, double> { ["q"] = 0, ["qb"] = vdd }),
            ],
        }.Validated();
    }
}

using Mbi.Circuit.Models;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// The cell subcircuit of a row-select scheme with the technology's model names and sizes filled in,
/// and the order of its transistors (matching the subcircuit's delvto parameters):
/// <see cref="RowSelect.RowGated"/> uses netlists/cells/cell12t.sub (the 10T cell plus a row-gated
/// device at the top of each read stack, mrw1 and mrw2), <see cref="RowSelect.SourceLineHigh"/> the paper's netlists/cells/cell10t.sub.
/// </summary>
internal static class CellTemplate
{
    /// <summary>Transistors of the paper's 10T cell, in draw order: name, is PMOS, subcircuit parameter.</summary>
    public static readonly (string Name, bool IsPmos, string Parameter)[] Transistors =
    [
        ("mpu1", true, "dpu1"), ("mpd1", false, "dpd1"), ("mpu2", true, "dpu2"), ("mpd2", false, "dpd2"),
        ("max1", false, "dax1"), ("max2", false, "dax2"),
        ("mrq1", false, "drq1"), ("mrk1", false, "drk1"), ("mrq2", false, "drq2"), ("mrk2", false, "drk2"),
    ];

    /// <summary>The row-gated cell's extra transistors (after the ten above in every draw order).</summary>
    public static readonly (string Name, bool IsPmos, string Parameter)[] RowGates = [("mrw1", false, "drw1"), ("mrw2", false, "drw2")];

    /// <summary>The cell's transistors under a row-select scheme, in draw order.</summary>
    public static IReadOnlyList<(string Name, bool IsPmos, string Parameter)> TransistorsOf(RowSelect scheme) =>
        scheme == RowSelect.RowGated ? [.. Transistors, .. RowGates] : Transistors;

    /// <summary>Subcircuit name of the scheme's cell.</summary>
    public static string NameOf(RowSelect scheme) => scheme == RowSelect.RowGated ? "cell12t" : "cell10t";

    /// <summary>Subcircuit name of the scheme's cell under a storage model (held storage: "cell12t_held").</summary>
    public static string NameOf(RowSelect scheme, CellStorage storage) =>
        storage == CellStorage.Held ? NameOf(scheme) + "_held" : NameOf(scheme);

    /// <summary>The latch's four transistors (two cross-coupled inverters), which <see cref="CellStorage.Held"/> leaves out.</summary>
    public static readonly IReadOnlySet<string> LatchTransistors = new HashSet<string>(StringComparer.Ordinal) { "mpu1", "mpd1", "mpu2", "mpd2" };

    /// <summary>
    /// The scheme's cell under a storage model: <see cref="CellStorage.Held"/> is the same subcircuit without the
    /// latch's four transistors (its q and qb ports are then tied to the rails by the instance), so every other
    /// line, device size and delvto parameter is the latched cell's own.
    /// </summary>
    public static string For(Technology technology, RowSelect scheme, double rowGateWidthRatio, CellStorage storage)
    {
        string cell = For(technology, scheme, rowGateWidthRatio);
        if (storage == CellStorage.Latched) return cell;
        string name = NameOf(scheme);
        return "* storage held: the latch's four transistors are left out; q and qb are tied to the stored bit's rails\n"
            + Without(cell, name, LatchTransistors, name + "_held");
    }

    /// <summary>The 10T cell's distance port (two read stacks), which <see cref="StorageCore"/> leaves out.</summary>
    public static readonly IReadOnlySet<string> DistancePortTransistors = new HashSet<string>(StringComparer.Ordinal) { "mrq1", "mrk1", "mrq2", "mrk2" };

    /// <summary>
    /// A plain 6T SRAM cell ("cell6t": bl blb wl q qb vdd vss), as a LUT's value store would use: the 10T cell without its
    /// distance port, so its six devices, models and sizes are the key cell's own.
    /// </summary>
    public static string StorageCore(Technology technology) =>
        "* 6T storage core of cell10t (distance port left out): a value-store cell\n"
        + Without(For(technology), "cell10t", DistancePortTransistors, "cell6t", "bl blb wl q qb vdd vss");

    /// <summary>
    /// <paramref name="cell"/> (subcircuit <paramref name="name"/>) without the <paramref name="devices"/>, renamed
    /// <paramref name="newName"/>; its port list becomes <paramref name="ports"/> when given.
    /// </summary>
    private static string Without(string cell, string name, IReadOnlySet<string> devices, string newName, string? ports = null) =>
        string.Join('\n', cell.Split('\n')
            .Where(line => !devices.Contains(line.Split(' ', 2)[0]))
            .Select(line => line.StartsWith(".subckt " + name + " ", StringComparison.Ordinal)
                ? ports is null ? line.Replace(name, newName, StringComparison.Ordinal) : $".subckt {newName} {ports}"
                : line.TrimEnd() == ".ends " + name ? line.Replace(name, newName, StringComparison.Ordinal) : line));

    private static readonly string Template10T = Resources.Read("cells.cell10t.sub");
    private static readonly string Template12T = Resources.Read("cells.cell12t.sub");

    /// <summary>The paper's 10T cell.</summary>
    public static string For(Technology technology) => Fill(Template10T, technology, 1);

    /// <summary>The scheme's cell; the row-gated devices are <paramref name="rowGateWidthRatio"/> times the minimum width.</summary>
    public static string For(Technology technology, RowSelect scheme, double rowGateWidthRatio) =>
        scheme == RowSelect.RowGated ? Fill(Template12T, technology, rowGateWidthRatio) : Fill(Template10T, technology, 1);

    private static string Fill(string template, Technology technology, double rowGateWidthRatio) => template
        .Replace("NMOS_MODEL", technology.NmosModel, StringComparison.Ordinal)
        .Replace("PMOS_MODEL", technology.PmosModel, StringComparison.Ordinal)
        .Replace("RWL_WIDTH", Spice.Num(technology.WidthMeters * rowGateWidthRatio), StringComparison.Ordinal)
        .Replace("WIDTH", Spice.Num(technology.WidthMeters), StringComparison.Ordinal)
        .Replace("LENGTH", Spice.Num(technology.LengthMeters), StringComparison.Ordinal)
        .Replace("DEVICE_FLAGS", technology.DeviceFlags, StringComparison.Ordinal);
}

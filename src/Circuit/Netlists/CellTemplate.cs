using Mbi.Circuit.Models;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// The 10T cell subcircuit (netlists/cells/cell10t.sub) with the technology's model names and sizes
/// filled in, and the order of its transistors (matching the subcircuit's delvto parameters).
/// </summary>
internal static class CellTemplate
{
    /// <summary>Transistors of one cell, in draw order: name, is PMOS, subcircuit parameter.</summary>
    public static readonly (string Name, bool IsPmos, string Parameter)[] Transistors =
    [
        ("mpu1", true, "dpu1"), ("mpd1", false, "dpd1"), ("mpu2", true, "dpu2"), ("mpd2", false, "dpd2"),
        ("max1", false, "dax1"), ("max2", false, "dax2"),
        ("mrq1", false, "drq1"), ("mrk1", false, "drk1"), ("mrq2", false, "drq2"), ("mrk2", false, "drk2"),
    ];

    private static readonly string Template = Resources.Read("cells.cell10t.sub");

    public static string For(Technology technology) => Template
        .Replace("NMOS_MODEL", technology.NmosModel, StringComparison.Ordinal)
        .Replace("PMOS_MODEL", technology.PmosModel, StringComparison.Ordinal)
        .Replace("WIDTH", Spice.Num(technology.WidthMeters), StringComparison.Ordinal)
        .Replace("LENGTH", Spice.Num(technology.LengthMeters), StringComparison.Ordinal)
        .Replace("DEVICE_FLAGS", technology.DeviceFlags, StringComparison.Ordinal);
}

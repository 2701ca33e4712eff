using Mbi.Circuit.Models;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// One transistor of a test bench that takes its own Vth shift: its ngspice instance path (for
/// <c>alter @path[delvto]</c>), whether it is a PMOS, and its role (for reports and compact models).
/// Its drawn size (default: the technology's minimum device) sets its Pelgrom mismatch.
/// </summary>
/// <param name="InstancePath">e.g. "m.xc3.mrk1" (inside cell 3) or "mpb3" (periphery).</param>
/// <param name="Column">The column it belongs to, or -1 for the sum-line periphery.</param>
/// <param name="Role">e.g. "cell.mrk1" (read stack, key transistor) or "precharge.bl".</param>
internal sealed record DeviceRef(string InstancePath, bool IsPmos, int Column, string Role)
{
    /// <summary>Drawn channel width; null: the technology's <see cref="Technology.WidthMeters"/>.</summary>
    public double? WidthMeters { get; init; }

    /// <summary>Drawn channel length; null: the technology's <see cref="Technology.LengthMeters"/>.</summary>
    public double? LengthMeters { get; init; }

    /// <summary>
    /// False for a device its bench leaves out (a latch transistor under <see cref="CellStorage.Held"/>): it keeps its
    /// place in the draw order, so every other device draws the same Vth shift, but its own shift changes nothing.
    /// </summary>
    public bool InDeck { get; init; } = true;

    /// <summary>Parallel devices (fingers, m=); their mismatch averages as 1/sqrt(m).</summary>
    public int Multiplier { get; init; } = 1;

    /// <summary>Gate area W L m in m^2, the area in Pelgrom's sigma(Vth) = A_VT / sqrt(W L m).</summary>
    public double GateAreaSquareMeters(Technology technology) =>
        (WidthMeters ?? technology.WidthMeters) * (LengthMeters ?? technology.LengthMeters) * Multiplier;
}

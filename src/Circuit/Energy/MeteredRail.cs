namespace Mbi.Circuit.Energy;

/// <summary>How a rail's energy is drawn from the chip's one external supply (VDD).</summary>
internal enum RailGenerator
{
    /// <summary>VDD itself: energy = what the rail delivers.</summary>
    Supply,
    /// <summary>
    /// An ideal logic input standing for a CMOS gate powered from VDD: energy = VDD x the charge it delivers. (Taken
    /// as V x I, a ramping source would charge its load adiabatically for C V^2 / 2 and be fooled by half.)
    /// </summary>
    LogicGate,
    /// <summary>A linear regulator from VDD (0 &lt; V &lt; VDD): it passes the output current from VDD, so energy = VDD x Q delivered.</summary>
    LinearRegulator,
    /// <summary>A charge pump (V &gt; VDD or V &lt; 0): energy = delivered / the design's pump efficiency.</summary>
    ChargePump,
}

/// <summary>What a rail powers, for the per-comparison breakdown.</summary>
internal enum SupplyCategory
{
    /// <summary>The cells' VDD (storage inverters; the word line is a 0 V rail here).</summary>
    Cell,
    /// <summary>The selected row's source-line driver (on its VPmax rail).</summary>
    RowSelect,
    /// <summary>The query-line driver chains.</summary>
    QueryDrivers,
    /// <summary>The precharge-gate driver chain, its level shifter and its negative boosted rail.</summary>
    PrechargeGateDrivers,
    /// <summary>The transmission-gate driver chains, their level shifters and both boosted rails.</summary>
    ShareDrivers,
    /// <summary>The precharge rails (VPmax and its fractions) that charge the bitlines and sum lines.</summary>
    PrechargeRails,
    /// <summary>
    /// The unselected rows' source (and read word) lines: 0 V for the row-gated 12T; VPmax for the paper's 10T, whose
    /// unselected read stacks source current into discharging bitlines.
    /// </summary>
    UnselectedRows,
    /// <summary>The ideal logic inputs of the driver chains (the only non-DC sources), positive energy only.</summary>
    LogicInputs,
}

/// <summary>
/// One independent voltage source of a bench, metered as a supply: its ngspice name, its two nodes
/// ("0" for ground), what it powers and how its energy is generated.
/// </summary>
/// <param name="Source">ngspice source name (current vector "&lt;source&gt;#branch").</param>
/// <param name="Plus">Positive node.</param>
/// <param name="Minus">Negative node.</param>
/// <param name="Volts">Nominal DC voltage (NaN for a pulsed source).</param>
/// <param name="Efficiency">Delivered energy / energy drawn from VDD (1 for a direct supply; the pump's for a pump).</param>
internal sealed record MeteredRail(string Source, string Plus, string Minus, double Volts, SupplyCategory Category,
    RailGenerator Generator, double Efficiency)
{
    /// <summary>The generator a rail at <paramref name="volts"/> needs, from VDD: VDD itself, a linear regulator or a charge pump.</summary>
    public static RailGenerator GeneratorFor(double volts, double vddVolts) =>
        volts == vddVolts || volts == 0 ? RailGenerator.Supply
        : volts > 0 && volts < vddVolts ? RailGenerator.LinearRegulator
        : RailGenerator.ChargePump;
}

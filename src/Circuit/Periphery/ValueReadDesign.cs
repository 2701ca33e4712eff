using Mbi.Core.Errors;
using Mbi.Core.Units;

namespace Mbi.Circuit.Periphery;

/// <summary>
/// Organisation, timing and device sizes of a LUT's value store read: an array of 6T cells (the 10T key cell's storage
/// core, <see cref="Netlists.CellTemplate.StorageCore"/>) beside the key arrays, of <see cref="Rows"/> rows and
/// <see cref="Columns"/> columns, every column with its own precharge and latch sense amplifier (no column mux: a
/// lookup reads the whole value row). Device sizes are multiples of the technology's minimum width at minimum length.
/// One read cycle: precharge (bitlines and the sense amplifier's nodes to VDD), a gap, the word line pulse (the selected
/// cell discharges one bitline), then the sense phase (sense enable rises as the word line falls; the latch resolves).
/// The defaults are for PTM 16 nm LP at 0.9 V (docs in <see cref="ValueReadBench"/>); they read at TT from 27 to 125 C but
/// not at SS and 85 C, which needs a 0.4 ns word line and a 1 ns sense phase (docs/energy-bands.md).
/// A design file sets it in its optional <c>value_read</c> section (<see cref="Design.CircuitDesign.ValueRead"/>): every
/// settable property but <see cref="Rows"/> and <see cref="Columns"/>, which the energy bands take from the array and the table.
/// </summary>
internal sealed record ValueReadDesign
{
    /// <summary>Rows on a bitline (the key arrays' 32).</summary>
    public int Rows { get; init; } = 32;

    /// <summary>Columns read per row: the LUT value's 64-bit next hidden state, 8-bit next location and 4-bit class.</summary>
    public int Columns { get; init; } = 76;

    /// <summary>
    /// Cell pitch along the row (the word line's length per column): 0.35 um, the 6T cell's width (Technology.CellWidthMeters
    /// is the 10T cell's 0.6 um, which adds the read port). The pitch along the column is the technology's CellHeightMeters.
    /// </summary>
    public double CellWidthMeters { get; init; } = 0.35e-6;

    /// <summary>
    /// Precharge phase: the bitlines, and the sense amplifier's nodes, are pulled back to VDD (measured at the defaults:
    /// within 0.3 mV of VDD about 0.3 ns after the precharge gate falls).
    /// </summary>
    public double PrechargeSeconds { get; init; } = 0.5e-9;

    /// <summary>
    /// Word line pulse, from the end of its rising input edge to the start of its falling one; sense enable rises as it
    /// falls. Sets the bitline swing. 0.2 ns reads a 76-column row correctly from 27 to 125 C (TT; one-column bench,
    /// measured: 374 / 200 / 129 mV at the sense instant at 27 / 85 / 125 C); 0.1 ns gave 185 mV at 27 C but at 85 C the
    /// 76-column word line never opened the cells in time (0.7 mV, every read undecided), so the array is not designed to
    /// the typical corner alone.
    /// </summary>
    public double WordLineSeconds { get; init; } = 0.2e-9;

    /// <summary>
    /// Sense phase: the latch resolves (within about 30 ps of sense enable at the defaults, measured) and its outputs are
    /// sampled at the end, before sense enable falls.
    /// </summary>
    public double SenseSeconds { get; init; } = 0.5e-9;

    /// <summary>Rise and fall time of the ideal logic inputs of the driver chains.</summary>
    public double EdgeSeconds { get; init; } = 20e-12;

    /// <summary>Gap between the end of precharge and the word line's rise (no overlap of the two).</summary>
    public double GapSeconds { get; init; } = 50e-12;

    /// <summary>Bitline precharge PMOS (one per bitline), in minimum widths.</summary>
    public double PrechargeWidthRatio { get; init; } = 4;

    /// <summary>Bitline equalising PMOS (between BL and BLB), in minimum widths.</summary>
    public double EqualizeWidthRatio { get; init; } = 2;

    /// <summary>Sense amplifier: the cross-coupled NMOS pair (sets its offset and speed), in minimum widths.</summary>
    public double SenseNmosWidthRatio { get; init; } = 4;

    /// <summary>Sense amplifier: the cross-coupled PMOS pair, in minimum widths.</summary>
    public double SensePmosWidthRatio { get; init; } = 2;

    /// <summary>Sense amplifier: the tail NMOS that sense enable turns on, in minimum widths.</summary>
    public double SenseTailWidthRatio { get; init; } = 8;

    /// <summary>Sense amplifier: the two PMOS that pass the bitlines to its nodes until sense enable rises, in minimum widths.</summary>
    public double IsolationWidthRatio { get; init; } = 4;

    /// <summary>Sense amplifier: the PMOS that precharge and equalise its nodes with the bitlines' precharge, in minimum widths.</summary>
    public double SenseResetWidthRatio { get; init; } = 2;

    /// <summary>ngspice's maximum time step: a tenth of the word line pulse, so the swing at the sense instant is resolved.</summary>
    public double MaxStepSeconds { get; init; } = 10e-12;

    /// <summary>One read cycle: four input edges, the gap and the three phases.</summary>
    public double CycleSeconds => 4 * EdgeSeconds + GapSeconds + PrechargeSeconds + WordLineSeconds + SenseSeconds;

    /// <summary>The section a message names its fields in (e.g. value_read.word_line_seconds).</summary>
    public const string Section = "value_read";

    /// <summary>Checks every value once; a message names the field, the value, the allowed range and an example.</summary>
    public ValueReadDesign Validated()
    {
        if (Rows is < 2 or > 1024) throw BadInputException.For(F(nameof(Rows)), Rows, "between 2 and 1024 (the bench reads two rows)", "32");
        if (Columns is < 1 or > 1024) throw BadInputException.For(F(nameof(Columns)), Columns, "between 1 and 1024", "76");
        Range(nameof(CellWidthMeters), CellWidthMeters, 1e-9, 1e-4, "m", "350nm");
        Range(nameof(PrechargeSeconds), PrechargeSeconds, 1e-12, 1e-6, "s", "500ps");
        Range(nameof(WordLineSeconds), WordLineSeconds, 1e-12, 1e-6, "s", "200ps");
        Range(nameof(SenseSeconds), SenseSeconds, 1e-12, 1e-6, "s", "500ps");
        Range(nameof(EdgeSeconds), EdgeSeconds, 1e-13, 1e-9, "s", "20ps");
        Range(nameof(GapSeconds), GapSeconds, 0, 1e-9, "s", "50ps");
        Range(nameof(MaxStepSeconds), MaxStepSeconds, 1e-13, 1e-10, "s", "10ps");
        foreach (var (name, ratio) in new[]
        {
            (nameof(PrechargeWidthRatio), PrechargeWidthRatio), (nameof(EqualizeWidthRatio), EqualizeWidthRatio),
            (nameof(SenseNmosWidthRatio), SenseNmosWidthRatio), (nameof(SensePmosWidthRatio), SensePmosWidthRatio),
            (nameof(SenseTailWidthRatio), SenseTailWidthRatio), (nameof(IsolationWidthRatio), IsolationWidthRatio),
            (nameof(SenseResetWidthRatio), SenseResetWidthRatio),
        })
            if (!(ratio >= 1) || ratio > 64) throw BadInputException.For(F(name), ratio, "between 1 and 64 minimum widths", "4");
        return this;
    }

    private static string F(string property) => Design.DesignField.Name(Section, property);

    private static void Range(string property, double value, double min, double max, string unit, string example)
    {
        if (!(value >= min && value <= max))
            throw BadInputException.For(F(property), Engineering.Format(value, unit),
                $"between {Engineering.Format(min, unit)} and {Engineering.Format(max, unit)}", example);
    }
}

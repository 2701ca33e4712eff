using Mbi.Core.Errors;
using Mbi.Core.Units;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// Electrical design of the 10T distance array and its phase timing: what users sweep. SI units.
/// The defaults reproduce the paper's operating point (VPmax = VDD = 0.9 V) with a 3 ns evaluation
/// window, which the feasibility check found necessary under sigma(Vth) = 60 mV.
/// </summary>
internal sealed record ArrayDesign
{
    public int Columns { get; init; } = 32;
    public int Rows { get; init; } = 32;
    public double VpMaxVolts { get; init; } = 0.9;
    public double PrechargeSeconds { get; init; } = 1e-9;
    public double EvalWindowSeconds { get; init; } = 3e-9;
    public double ShareSeconds { get; init; } = 1e-9;
    /// <summary>Rise/fall time of every control edge.</summary>
    public double EdgeSeconds { get; init; } = 20e-12;
    /// <summary>Dead time between phases, so precharge, evaluate and share never overlap.</summary>
    public double GapSeconds { get; init; } = 50e-12;
    /// <summary>Lumped capacitance of one bitline: the 31 unselected cells' ports plus the wire.</summary>
    public double BitlineCapacitanceFarads { get; init; } = 4e-15;
    /// <summary>Wire capacitance of each sum line (SLP, SLN).</summary>
    public double SumLineCapacitanceFarads { get; init; } = 1e-15;
    /// <summary>
    /// Precharge PMOS gates are driven this far below ground: LP devices (|Vth| about 0.69 V) cannot
    /// pass VPmax/2 with a 0 V gate.
    /// </summary>
    public double PrechargeBoostVolts { get; init; } = 0.6;
    /// <summary>Transmission-gate boost: NMOS gate at VDD + boost, PMOS gate at -boost while sharing.</summary>
    public double ShareBoostVolts { get; init; } = 0.6;
    /// <summary>Largest internal time step ngspice may take (it still stops at every control edge).</summary>
    public double MaxStepSeconds { get; init; } = 100e-12;

    public double CycleSeconds => PrechargeSeconds + EvalWindowSeconds + ShareSeconds + 3 * (EdgeSeconds + GapSeconds) + 3 * EdgeSeconds;

    /// <summary>The design file section these fields live in (messages name "array.field").</summary>
    public const string Section = "array";

    /// <summary>Checks every value once; a message names the design-file field (e.g. array.eval_window_seconds).</summary>
    public ArrayDesign Validated()
    {
        if (Columns < 1 || Columns > 1024) throw BadInputException.For(F(nameof(Columns)), Columns, "between 1 and 1024", "32");
        if (Rows < 1 || Rows > 1024) throw BadInputException.For(F(nameof(Rows)), Rows, "between 1 and 1024", "32");
        Positive(nameof(VpMaxVolts), VpMaxVolts, "V", "0.9V", 3.0);
        Positive(nameof(PrechargeSeconds), PrechargeSeconds, "s", "1ns", 1e-6);
        Positive(nameof(EvalWindowSeconds), EvalWindowSeconds, "s", "3ns", 1e-6);
        Positive(nameof(ShareSeconds), ShareSeconds, "s", "1ns", 1e-6);
        Positive(nameof(EdgeSeconds), EdgeSeconds, "s", "20ps", 1e-9);
        Positive(nameof(GapSeconds), GapSeconds, "s", "50ps", 1e-9);
        Positive(nameof(BitlineCapacitanceFarads), BitlineCapacitanceFarads, "F", "4fF", 1e-11);
        Positive(nameof(SumLineCapacitanceFarads), SumLineCapacitanceFarads, "F", "1fF", 1e-11);
        NonNegative(nameof(PrechargeBoostVolts), PrechargeBoostVolts, "V", "0.6V", 2.0);
        NonNegative(nameof(ShareBoostVolts), ShareBoostVolts, "V", "0.6V", 2.0);
        Positive(nameof(MaxStepSeconds), MaxStepSeconds, "s", "100ps", 1e-8);
        return this;
    }

    private static string F(string property) => Design.DesignField.Name(Section, property);

    private static void Positive(string property, double value, string unit, string example, double max)
    {
        if (!(value > 0) || value > max)
            throw BadInputException.For(F(property), Engineering.Format(value, unit), $"> 0 and <= {Engineering.Format(max, unit)}", example);
    }

    private static void NonNegative(string property, double value, string unit, string example, double max)
    {
        if (!(value >= 0) || value > max)
            throw BadInputException.For(F(property), Engineering.Format(value, unit), $"between 0 and {Engineering.Format(max, unit)}", example);
    }
}

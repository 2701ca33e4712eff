using Mbi.Core.Errors;

namespace Mbi.Circuit.Models;

/// <summary>
/// A global process corner: one shift of |Vth| and one mobility factor for all NMOS and one for all PMOS
/// on the die, applied on top of the per-device Monte Carlo mismatch. A positive |Vth| shift makes a
/// device slower (NMOS vth0 rises, PMOS vth0 becomes more negative); the mobility factor scales u0.
/// </summary>
/// <param name="Name">"TT", "FF", "SS", "FS" (fast NMOS, slow PMOS) or "SF".</param>
public sealed record ProcessCorner(string Name, double NmosAbsVthShiftVolts, double NmosMobilityFactor,
    double PmosAbsVthShiftVolts, double PmosMobilityFactor)
{
    /// <summary>The typical corner: the card unchanged.</summary>
    public static readonly ProcessCorner Typical = new("TT", 0, 1, 0, 1);

    /// <summary>True when the corner changes nothing (no shift, unit mobility factors).</summary>
    public bool IsTypical => NmosAbsVthShiftVolts == 0 && PmosAbsVthShiftVolts == 0 && NmosMobilityFactor == 1 && PmosMobilityFactor == 1;

    /// <summary>Checks the values once, naming the corner table field.</summary>
    public ProcessCorner Validated(string where)
    {
        if (string.IsNullOrWhiteSpace(Name)) throw BadInputException.For($"{where}: corner name", Name, "a name such as TT, FF, SS, FS or SF", "SS");
        Shift(where, "nmosAbsVthShiftVolts", NmosAbsVthShiftVolts);
        Shift(where, "pmosAbsVthShiftVolts", PmosAbsVthShiftVolts);
        Factor(where, "nmosMobilityFactor", NmosMobilityFactor);
        Factor(where, "pmosMobilityFactor", PmosMobilityFactor);
        return this;
    }

    private void Shift(string where, string field, double value)
    {
        if (!double.IsFinite(value) || Math.Abs(value) > 0.2)
            throw BadInputException.For($"{where}: corner {Name} {field}", value, "between -0.2 and 0.2 V", "0.04");
    }

    private void Factor(string where, string field, double value)
    {
        if (!(value >= 0.5) || value > 2)
            throw BadInputException.For($"{where}: corner {Name} {field}", value, "between 0.5 and 2", "0.9");
    }
}

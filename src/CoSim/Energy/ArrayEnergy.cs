namespace Mbi.CoSim.Energy;

/// <summary>
/// Energy of one row comparison drawn from VDD, by what the rails power (joules per comparison). Every
/// figure is positive-only supply energy through its rail's generator (see Mbi.Circuit.Energy.SupplyMeter).
/// </summary>
/// <param name="QueryDriverJoules">The 2 x columns query-line driver chains (their rail).</param>
/// <param name="RowSelectJoules">The selected row's source-line driver (one selection per comparison).</param>
/// <param name="CellJoules">The cells' VDD (storage inverters, leakage).</param>
/// <param name="LogicInputJoules">The ideal logic inputs of all driver chains (positive part only).</param>
/// <param name="PrechargeGateDriverJoules">Precharge-gate driver, level shifter and its charge-pumped negative rail.</param>
/// <param name="PrechargeRailJoules">The precharge rails (VPmax from VDD, VPmax/2 through a linear regulator).</param>
/// <param name="ShareDriverJoules">Transmission-gate drivers, level shifters and their charge-pumped rails.</param>
/// <param name="UnselectedRowJoules">
/// The unselected rows' source lines: zero for the row-gated 12T (0 V rails); for the paper's 10T, the current its
/// unselected read stacks source into discharging bitlines from VPmax.
/// </param>
public sealed record ArrayEnergy(double QueryDriverJoules, double RowSelectJoules, double CellJoules, double LogicInputJoules,
    double PrechargeGateDriverJoules, double PrechargeRailJoules, double ShareDriverJoules, double UnselectedRowJoules = 0)
{
    /// <summary>Every category summed: the array's energy per comparison, in joules.</summary>
    public double TotalJoules => QueryDriverJoules + RowSelectJoules + CellJoules + LogicInputJoules
        + PrechargeGateDriverJoules + PrechargeRailJoules + ShareDriverJoules + UnselectedRowJoules;

    /// <summary>The former grouping (kept for the CLI's table): query drivers, row select, cell and logic inputs.</summary>
    public double RowActivationJoules => QueryDriverJoules + RowSelectJoules + CellJoules + LogicInputJoules + UnselectedRowJoules;

    /// <summary>The former grouping: precharge-gate drivers and precharge rails.</summary>
    public double ColumnPrechargeJoules => PrechargeGateDriverJoules + PrechargeRailJoules;

    /// <summary>The former grouping: the transmission-gate drivers.</summary>
    public double ChargeSumJoules => ShareDriverJoules;

    /// <summary>All categories zero.</summary>
    public static ArrayEnergy Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Category by category sum.</summary>
    public ArrayEnergy Plus(ArrayEnergy o) => new(QueryDriverJoules + o.QueryDriverJoules, RowSelectJoules + o.RowSelectJoules,
        CellJoules + o.CellJoules, LogicInputJoules + o.LogicInputJoules, PrechargeGateDriverJoules + o.PrechargeGateDriverJoules,
        PrechargeRailJoules + o.PrechargeRailJoules, ShareDriverJoules + o.ShareDriverJoules, UnselectedRowJoules + o.UnselectedRowJoules);

    /// <summary>Every category times <paramref name="factor"/>.</summary>
    public ArrayEnergy Times(double factor) => new(QueryDriverJoules * factor, RowSelectJoules * factor, CellJoules * factor,
        LogicInputJoules * factor, PrechargeGateDriverJoules * factor, PrechargeRailJoules * factor, ShareDriverJoules * factor,
        UnselectedRowJoules * factor);

    /// <summary>The categories with report names, in a fixed order.</summary>
    public IReadOnlyList<(string Name, double Joules)> Rows() =>
    [
        ("query drivers", QueryDriverJoules), ("row select", RowSelectJoules), ("cell supply", CellJoules),
        ("logic inputs", LogicInputJoules), ("precharge gate drivers", PrechargeGateDriverJoules),
        ("precharge rails", PrechargeRailJoules), ("share drivers", ShareDriverJoules), ("unselected rows", UnselectedRowJoules),
    ];
}

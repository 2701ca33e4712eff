using Mbi.Circuit.Netlists;

namespace Mbi.Circuit.Transient;

/// <summary>
/// What one row transient gives: the SLP/SLN waveforms, the settled sum-line voltages of every cycle
/// (read at the end of its share phase) and the charge each supply delivered in each phase of each
/// cycle (coulombs, positive = delivered by the source; what the energy accountant needs).
/// </summary>
internal sealed class RowResult
{
    private readonly double[] _charges;

    internal RowResult(double[] time, double[] slp, double[] sln, double[] settledSlp, double[] settledSln,
        IReadOnlyList<SupplyProbe> supplies, double[] charges)
    {
        Time = time; Slp = slp; Sln = sln; SettledSlpVolts = settledSlp; SettledSlnVolts = settledSln;
        Supplies = supplies;
        _charges = charges;
    }

    public IReadOnlyList<double> Time { get; }
    public IReadOnlyList<double> Slp { get; }
    public IReadOnlyList<double> Sln { get; }
    public IReadOnlyList<double> SettledSlpVolts { get; }
    public IReadOnlyList<double> SettledSlnVolts { get; }
    public IReadOnlyList<SupplyProbe> Supplies { get; }
    public int Cycles => SettledSlpVolts.Count;

    /// <summary>V_SLP + V_SLN of a cycle: falls linearly with the bit-weighted distance.</summary>
    public double SumVolts(int cycle) => SettledSlpVolts[cycle] + SettledSlnVolts[cycle];

    /// <summary>Charge delivered by supply <paramref name="supply"/> during one phase of one cycle.</summary>
    public double ChargeCoulombs(int cycle, int supply, Phase phase) =>
        _charges[(cycle * Supplies.Count + supply) * 3 + (int)phase];

}

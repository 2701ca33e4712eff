using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// The test benches shipped in netlists/benches/ (nominal die, PTM 16 nm LP, default design), so a
/// user can run them with `ngspice -b` without Mbi. A test keeps the files equal to what Mbi writes.
/// </summary>
internal static class ShippedBenches
{
    /// <summary>row32.cir: the Monte Carlo staircase of one row (1-bit levels 0..32, 2-bit levels 0..48).</summary>
    public static RowBench Row32() => new(Technology.Ptm16Lp(), new ArrayDesign(), new Staircase(32).Program);

    /// <summary>
    /// array32x32.cir: row 0 selected, the 31 others as full 10T cells with their source lines at
    /// VPmax, two queries (1-bit distance 0 and 16). Unselected row u stores bit c = ((c + u + 1) div 2) even.
    /// </summary>
    public static RowBench Array32x32()
    {
        var staircase = new Staircase(32);
        var program = new RowProgram(staircase.Program.Key, [staircase.Program.Cycles[0], staircase.Program.Cycles[16]]);
        var others = Enumerable.Range(0, 31)
            .Select(u => (IReadOnlyList<bool>)Enumerable.Range(0, 32).Select(c => ((c + u + 1) / 2) % 2 == 0).ToArray())
            .ToArray();
        return new RowBench(Technology.Ptm16Lp(), new ArrayDesign(), program, others);
    }
}

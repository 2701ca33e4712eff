using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// The test benches shipped in netlists/benches/ (nominal die, PTM 16 nm LP, default design), so a
/// user can run them with `ngspice -b` without Mbi. A test keeps the files equal to what Mbi writes.
/// </summary>
internal static class ShippedBenches
{
    /// <summary>row32.cir: the Monte Carlo staircase of the default bench (1-bit levels 0..32, 2-bit levels 0..48; other rows merged).</summary>
    public static RowBench Row32() => new(Technology.Ptm16Lp(), new ArrayDesign(), new Staircase(32).Program);

    /// <summary>
    /// array32x32.cir: the whole array on the default design (12T, row-gated): row 0 selected, the 31
    /// others as full cells with random stored data (seed 1), two queries (1-bit distance 0 and 16).
    /// </summary>
    public static RowBench Array32x32() => Array(RowSelect.RowGated);

    /// <summary>array32x32_10t.cir: the same with the paper's 10T cell and unselected source lines at VPmax.</summary>
    public static RowBench Array32x32Paper10T() => Array(RowSelect.SourceLineHigh);

    private static RowBench Array(RowSelect scheme)
    {
        var staircase = new Staircase(32);
        var program = new RowProgram(staircase.Program.Key, [staircase.Program.Cycles[0], staircase.Program.Cycles[16]]);
        return new RowBench(Technology.Ptm16Lp(), new ArrayDesign { RowSelect = scheme, UnselectedRows = UnselectedRows.Full }, program);
    }
}

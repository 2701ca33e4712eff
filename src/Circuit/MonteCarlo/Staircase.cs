using Mbi.Circuit.Netlists;

namespace Mbi.Circuit.MonteCarlo;

/// <summary>
/// The distance staircase one die is evaluated on: a fixed key in the row and one query per distance
/// level, for 1-bit columns (levels 0..C) and for 2-bit significance-weighted elements stored as
/// MSB,LSB column pairs (levels 0..3C/2), all in one transient.
/// Key bit c is 1 when (c div 2) is even (pattern 1100 1100 ...): half the columns discharge BL
/// (k=1, q=0) and half BLB (k=0, q=1), and the 2-bit elements hold 3 and 0 alternately.
/// 1-bit level d flips columns 0..d-1, so each step adds exactly one column. A 2-bit level d flips the
/// MSB of elements 0..a-1 and the LSB of b elements, a = min(d div 2, C/2), b = d - 2a.
/// </summary>
public sealed class Staircase
{
    /// <summary>The staircase of a row of <paramref name="columns"/> columns (an even number >= 2).</summary>
    public Staircase(int columns)
    {
        if (columns < 2 || columns % 2 != 0)
            throw Core.Errors.BadInputException.For("array.columns", columns, "an even number >= 2 (2-bit elements use column pairs)", "32");
        Columns = columns;
        var key = new bool[columns];
        for (int c = 0; c < columns; c++) key[c] = (c / 2) % 2 == 0;
        var cycles = new List<RowCycle>();
        var levels = new List<(int Mode, int Level)>();
        for (int d = 0; d <= columns; d++)
        {
            var q = (bool[])key.Clone();
            for (int c = 0; c < d; c++) q[c] = !q[c];
            cycles.Add(new RowCycle(1, q));
            levels.Add((1, d));
        }
        int elements = columns / 2;
        // The first cycle after the LSB rail drops to VPmax/2 reads about 1.5 mV high (internal stack
        // nodes still hold the 1-bit section's charge): a settling copy of 2-bit level 0 runs first, unreported.
        for (int d = -1; d <= 3 * elements; d++)
        {
            var q = (bool[])key.Clone();
            int a = Math.Min(Math.Max(d, 0) / 2, elements), b = Math.Max(d, 0) - 2 * a;
            for (int e = 0; e < a; e++) q[2 * e] = !q[2 * e];
            // LSB flips go to the last elements first, so while a < elements they sit on other elements than the MSB flips
            for (int e = 0; e < b; e++) q[2 * (elements - 1 - e) + 1] = !q[2 * (elements - 1 - e) + 1];
            cycles.Add(new RowCycle(2, q));
            levels.Add((2, d));
        }
        Program = new RowProgram(key, cycles);
        Levels = levels;
        for (int i = 0; i < cycles.Count; i++)
            System.Diagnostics.Debug.Assert(Program.Distance(i) == Math.Max(0, levels[i].Level));
    }

    /// <summary>Columns of the row.</summary>
    public int Columns { get; }
    internal RowProgram Program { get; }

    /// <summary>Per cycle: the element precision (1 or 2) and the distance level it reads (-1: settling cycle, not reported).</summary>
    public IReadOnlyList<(int Mode, int Level)> Levels { get; }

    /// <summary>Levels per mode: C+1 for 1-bit columns, 3C/2+1 for 2-bit elements.</summary>
    public int LevelCount(int mode) => mode == 1 ? Columns + 1 : 3 * (Columns / 2) + 1;

    /// <summary>Index of the first cycle of a mode.</summary>
    public int FirstCycle(int mode) => mode == 1 ? 0 : Columns + 2;
}

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
/// The levels are always indexed in staircase order (<see cref="Levels"/>, <see cref="FirstCycle"/>); with
/// <see cref="ReadOrder.Random"/> they are simulated in a seeded random permutation within each mode
/// (<see cref="SimulatedProgram"/>), so every read follows a level of any distance, as a real scan reads rows.
/// </summary>
public sealed class Staircase
{
    private static readonly ulong OrderStream = Core.Randomness.SeededRandom.StreamId("mbi.circuit.read-order");

    /// <summary>The staircase of a row of <paramref name="columns"/> columns (an even number >= 2), read in staircase order.</summary>
    public Staircase(int columns) : this(columns, ReadOrder.Staircase, 0) { }

    /// <summary>
    /// The staircase read in <paramref name="order"/>: with <see cref="ReadOrder.Random"/> each mode's levels are simulated in the
    /// permutation drawn from (<paramref name="orderSeed"/>, mode); the settling cycle between the modes stays where it is.
    /// </summary>
    public Staircase(int columns, ReadOrder order, ulong orderSeed)
    {
        if (columns < 2 || columns % 2 != 0)
            throw Core.Errors.BadInputException.For("array.columns", columns, "an even number >= 2 (2-bit elements use column pairs)", "32");
        Columns = columns;
        var key = new bool[columns];
        for (int c = 0; c < columns; c++) key[c] = KeyBit(c);
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
        Order = order;
        // simulated position of each canonical cycle: identity, or a permutation within each mode's reported levels
        var simulated = Enumerable.Range(0, cycles.Count).ToArray();
        if (order == ReadOrder.Random)
            foreach (int mode in new[] { 1, 2 })
            {
                var positions = Enumerable.Range(FirstCycle(mode), LevelCount(mode)).ToArray();
                new Core.Randomness.SeededRandom(orderSeed, OrderStream, (ulong)mode).Shuffle<int>(positions);
                for (int l = 0; l < positions.Length; l++) simulated[FirstCycle(mode) + l] = positions[l];
            }
        else if (!Enum.IsDefined(order))
            throw Core.Errors.BadInputException.For("read order", order, "staircase or random", "random");
        _simulatedCycle = simulated;
        var inOrder = new RowCycle[cycles.Count];
        for (int i = 0; i < cycles.Count; i++) inOrder[simulated[i]] = cycles[i];
        SimulatedProgram = order == ReadOrder.Staircase ? Program : new RowProgram(key, inOrder);
    }

    private readonly int[] _simulatedCycle;

    /// <summary>The staircase's stored bit in column <paramref name="column"/>: 1 when column div 2 is even (pattern 1100 1100 ...).</summary>
    public static bool KeyBit(int column) => (column / 2) % 2 == 0;

    /// <summary>The order the levels are read in.</summary>
    public ReadOrder Order { get; }

    /// <summary>The cycles in the order they are simulated (the same as <see cref="Program"/> in staircase order).</summary>
    internal RowProgram SimulatedProgram { get; }

    /// <summary>The position in <see cref="SimulatedProgram"/> of cycle <paramref name="cycle"/> of <see cref="Program"/>.</summary>
    public int SimulatedCycle(int cycle) => _simulatedCycle[cycle];

    /// <summary>Per-cycle values of a simulation of <see cref="SimulatedProgram"/>, put back in staircase order.</summary>
    public double[] InStaircaseOrder(IReadOnlyList<double> simulated)
    {
        var canonical = new double[_simulatedCycle.Length];
        for (int i = 0; i < canonical.Length; i++) canonical[i] = simulated[_simulatedCycle[i]];
        return canonical;
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

/// <summary>The order a Monte Carlo die reads its distance levels in.</summary>
public enum ReadOrder
{
    /// <summary>One level at a time, 0, 1, 2, ... (every read follows its neighbour).</summary>
    Staircase,
    /// <summary>A seeded random permutation of each mode's levels (every read follows a level of any distance).</summary>
    Random,
}

/// <summary>How a Monte Carlo run's dies drive their control and query lines.</summary>
public enum DriverSimulation
{
    /// <summary>
    /// The nominal die simulates every driver chain and records its output line; the dies replay the recordings (the chains
    /// take no Vth draw, so they are the same in every die). About 1.7x less CPU per die, sum lines within 0.02 mV of
    /// simulated chains (docs/circuit.md).
    /// </summary>
    Replayed,
    /// <summary>Every die simulates every driver chain (level shifters and inverters).</summary>
    Simulated,
}

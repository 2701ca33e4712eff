using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Randomness;

namespace Mbi.CoSim.Arrays;

/// <summary>
/// A die's delta-Vth for every transistor of one 32x32 array, drawn from SeededRandom(seed, stream,
/// die x 2^32 + array): array a of die d depends only on (seed, d, a), so arrays can be drawn lazily, in
/// any order, on any thread. Order: rows x columns x the 10 cell transistors (the circuit layer's cell
/// order), then per column its 6 periphery devices (BL/BLB precharge, four transmission-gate devices),
/// then the two sum-line precharge devices, then rows x columns x the 12T cell's two row-gated devices
/// (drawn for every design, used by RowSelect.RowGated only, so the 10T draws do not move): the order of
/// <see cref="Mbi.Circuit.Netlists.RowBench"/>'s devices once a row is picked, so the spice model runs
/// exactly the draws the compact model uses.
/// </summary>
internal static class ArrayVth
{
    public const int CellDevices = 10;
    public const int PeripheryPerColumn = 6;
    /// <summary>Row-gated devices per cell (12T: mrw1, mrw2), drawn after all other devices.</summary>
    public const int RowGatesPerCell = 2;
    /// <summary>Cell transistor indices of the two read stacks (CellTemplate order).</summary>
    public const int QueryBl = 6, KeyBl = 7, QueryBlb = 8, KeyBlb = 9;

    public static readonly ulong Stream = SeededRandom.StreamId("mbi.cosim.array-vth");

    public static int Count(int rows, int columns) => rows * columns * (CellDevices + RowGatesPerCell) + columns * PeripheryPerColumn + 2;

    /// <summary>Devices of one row bench (what <see cref="RowBenchShifts"/> returns).</summary>
    public static int RowBenchCount(int columns, bool rowGated) =>
        columns * (CellDevices + PeripheryPerColumn) + 2 + (rowGated ? columns * RowGatesPerCell : 0);

    public static int Cell(int columns, int row, int column, int device) => (row * columns + column) * CellDevices + device;

    /// <summary>Index of the row-gated device (0: mrw1 on BL's stack, 1: mrw2 on BLB's) of a cell in a whole array's draws.</summary>
    public static int RowGate(int rows, int columns, int row, int column, int gate) =>
        rows * columns * CellDevices + columns * PeripheryPerColumn + 2 + (row * columns + column) * RowGatesPerCell + gate;

    /// <summary>Index of a cell's row-gated device in one row bench's shifts (<see cref="RowBenchShifts"/>).</summary>
    public static int RowBenchRowGate(int columns, int column, int gate) =>
        columns * (CellDevices + PeripheryPerColumn) + 2 + column * RowGatesPerCell + gate;

    public static void Fill(ulong seed, int die, ArrayId array, double sigmaVolts, Span<double> destination)
    {
        VthDraws.Validate(sigmaVolts);
        var random = new SeededRandom(seed, Stream, ((ulong)(uint)die << 32) | (uint)(array.Node * 64 + array.Split));
        for (int i = 0; i < destination.Length; i++) destination[i] = sigmaVolts * random.NextGaussian();
    }

    /// <summary>The device shifts of the row bench for row <paramref name="row"/>: its cells interleaved with the column periphery, then its row gates.</summary>
    public static double[] RowBenchShifts(ReadOnlySpan<double> arrayShifts, int rows, int columns, int row, bool rowGated)
    {
        var shifts = new double[RowBenchCount(columns, rowGated)];
        int periphery = rows * columns * CellDevices;
        int i = 0;
        for (int c = 0; c < columns; c++)
        {
            arrayShifts.Slice(Cell(columns, row, c, 0), CellDevices).CopyTo(shifts.AsSpan(i));
            i += CellDevices;
            arrayShifts.Slice(periphery + c * PeripheryPerColumn, PeripheryPerColumn).CopyTo(shifts.AsSpan(i));
            i += PeripheryPerColumn;
        }
        arrayShifts.Slice(periphery + columns * PeripheryPerColumn, 2).CopyTo(shifts.AsSpan(i));
        i += 2;
        if (rowGated)
            arrayShifts.Slice(periphery + columns * PeripheryPerColumn + 2 + row * columns * RowGatesPerCell, columns * RowGatesPerCell)
                .CopyTo(shifts.AsSpan(i));
        return shifts;
    }
}

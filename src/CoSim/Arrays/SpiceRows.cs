using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;

namespace Mbi.CoSim.Arrays;

/// <summary>
/// ngspice row transients for actual key and query bits: one transient per stored row, one cycle per query
/// (after the circuit layer's warm-up cycle), on given per-device delta-Vth. Column bit c of a mask is
/// column c (MSB of an element first, as the circuit layer expects).
/// </summary>
internal static class SpiceRows
{
    public static RowProgram Program(int columns, int bitsPerElement, ulong key, ReadOnlySpan<ulong> queries)
    {
        var keyBits = Bits(key, columns);
        var cycles = new List<RowCycle>(queries.Length);
        foreach (ulong q in queries) cycles.Add(new RowCycle(bitsPerElement, Bits(q, columns)));
        return new RowProgram(keyBits, cycles);
    }

    /// <summary>Runs one row and returns its result (settled V_SLP, V_SLN per query and the supply charges).</summary>
    public static RowResult Run(NgSpiceEngine engine, Technology technology, ArrayDesign design, int bitsPerElement,
        ulong key, ReadOnlySpan<ulong> queries, ReadOnlySpan<double> deviceShifts)
    {
        var bench = new RowBench(technology, design, Program(design.Columns, bitsPerElement, key, queries));
        return new RowSimulator(engine, bench).Run(deviceShifts);
    }

    public static bool[] Bits(ulong mask, int columns)
    {
        var bits = new bool[columns];
        for (int c = 0; c < columns; c++) bits[c] = ((mask >> c) & 1) != 0;
        return bits;
    }
}

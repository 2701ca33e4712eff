using Mbi.CoSim.Mapping;

namespace Mbi.CoSim.Arrays;

/// <summary>Which model reads an array's rows; chosen per run (`--circuit ideal|compact|spice`).</summary>
public enum ArrayModelKind
{
    /// <summary>The exact digital distance of the split (no ADC, no variation).</summary>
    Ideal = 0,
    /// <summary>Calibrated from ngspice: per-column discharge vs the read stack's delta-Vth, charge sharing, ADC.</summary>
    Compact = 1,
    /// <summary>An ngspice row transient for the actual key and query bits on the die's delta-Vth.</summary>
    Spice = 2,
}

/// <summary>A physical array: tree node <see cref="Node"/>'s copy of split <see cref="Split"/>.</summary>
public readonly record struct ArrayId(int Node, int Split)
{
    /// <summary>Node and split in one 64-bit key.</summary>
    public ulong Packed => ((ulong)(uint)Node << 8) | (uint)Split;
}

/// <summary>
/// Reads one row of one array against a query: the digital code the comparison produces (the ADC code,
/// or the exact distance for the ideal model). One instance serves one die and one thread.
/// </summary>
public interface IArrayModel
{
    /// <summary>Which model this is.</summary>
    ArrayModelKind Kind { get; }

    /// <summary>Reads every row of <paramref name="keys"/> of one array at once (rows are scanned serially in hardware).</summary>
    /// <param name="keys">Stored column bits of each row.</param>
    /// <param name="codes">Receives one code per row.</param>
    void Read(ArrayId array, ArraySplit split, ReadOnlySpan<ulong> keys, ulong query, Span<int> codes);

    /// <summary>Readouts clamped at either end of the ADC's range so far (0 for the ideal model).</summary>
    long SaturatedReadouts { get; }
}

/// <summary>The exact distance each split computes: the reference every other model is measured against.</summary>
public sealed class IdealArrayModel : IArrayModel
{
    /// <summary>Always <see cref="ArrayModelKind.Ideal"/>.</summary>
    public ArrayModelKind Kind => ArrayModelKind.Ideal;
    /// <summary>Always 0: the ideal model has no ADC.</summary>
    public long SaturatedReadouts => 0;

    /// <summary>Writes each row's exact column distance to <paramref name="query"/> into <paramref name="codes"/>.</summary>
    public void Read(ArrayId array, ArraySplit split, ReadOnlySpan<ulong> keys, ulong query, Span<int> codes)
    {
        for (int r = 0; r < keys.Length; r++) codes[r] = ArrayMapping.ColumnDistance(split, keys[r], query);
    }
}

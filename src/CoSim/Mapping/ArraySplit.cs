using Mbi.Algorithm.Memorization.Keys;

namespace Mbi.CoSim.Mapping;

/// <summary>How the elements of a key component are written into array columns.</summary>
public enum ColumnCoding
{
    /// <summary>The paper's coding: a p-bit element takes p columns (MSB first), precharged by significance; the array computes the bit-weighted Hamming distance.</summary>
    Binary = 0,
    /// <summary>A p-bit element takes 2^p - 1 one-bit columns holding its thermometer code; the array computes the exact Manhattan distance.</summary>
    Thermometer = 1,
}

/// <summary>
/// One 32x32 array's share of every key: a run of elements of one component kind (so one digital weight
/// a, b or c applies to its ADC code). <see cref="BitsPerElement"/> is the precharge precision p the array
/// runs with (1 for thermometer columns); columns past <see cref="UsedColumns"/> hold 0 and see query 0.
/// </summary>
/// <param name="FirstElement">Index of the split's first element within the key's element vector.</param>
/// <param name="ElementBits">Bits of one element as stored (p for binary, 2^p-1 for thermometer).</param>
public sealed record ArraySplit(int Index, KeyComponent Component, int FirstElement, int Elements, int ElementBits,
    int BitsPerElement, ColumnCoding Coding, int Columns)
{
    /// <summary>Columns the split uses (Elements x ElementBits).</summary>
    public int UsedColumns => Elements * ElementBits;

    /// <summary>Largest distance the split can read (all used columns differ).</summary>
    public int MaxDistance => Coding == ColumnCoding.Thermometer || BitsPerElement == 1
        ? UsedColumns
        : Elements * ((1 << BitsPerElement) - 1);
}

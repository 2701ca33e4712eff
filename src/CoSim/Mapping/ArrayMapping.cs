using System.Numerics;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Core.Errors;

namespace Mbi.CoSim.Mapping;

/// <summary>
/// Splits a glimpse key across arrays of <see cref="Columns"/> columns, one component kind per array
/// (paper Sec. III-D): patch elements, hidden bits and the location's two grid indices each fill as many
/// arrays as they need, an element never straddles two arrays. A tree node of at most 32 keys occupies one
/// array's rows in every split; each split's ADC code is multiplied by its component's weight and the
/// splits are summed; the smallest sum wins. With binary coding the shipped model's key
/// (27 two-bit patch elements, 64 hidden bits, two 15-level location indices as 2 x 14 thermometer
/// columns) takes 2 + 2 + 1 = 5 splits.
/// </summary>
public sealed class ArrayMapping
{
    private readonly ArraySplit[] _splits;

    /// <summary>Splits keys of <paramref name="spec"/> over arrays of <paramref name="columns"/> columns with <paramref name="coding"/> (the location is always thermometer coded).</summary>
    public ArrayMapping(GlimpseKeySpec spec, ColumnCoding coding, int columns = 32)
    {
        if (columns is < 2 or > 64) throw BadInputException.For("split_columns", columns, "between 2 and 64 (a split's columns are held in one 64-bit word)", "32");
        Spec = spec;
        Coding = coding;
        Columns = columns;
        LocationBits = KeyLayout.BitsFor(spec.LocationLevels);
        var splits = new List<ArraySplit>();
        Add(splits, KeyComponent.Patch, 0, spec.PatchElements, spec.PatchBits, spec.PatchLevels - 1);
        Add(splits, KeyComponent.Hidden, spec.PatchElements, spec.HiddenBits, 1, 1);
        // The location is always thermometer-coded (p = 1): binary location indices need p = 4 precharge
        // levels down to VPmax/8, which the circuit layer's PMOS precharge does not settle in 1 ns
        // (compact vs ngspice errors of 6-21 mV measured; docs/cosim.md). Still one array for 2 x 14 columns.
        Add(splits, KeyComponent.Location, spec.PatchElements + spec.HiddenBits, 2, LocationBits, spec.LocationLevels - 1, forceThermometer: true);
        _splits = [.. splits];
    }

    /// <summary>The key spec mapped.</summary>
    public GlimpseKeySpec Spec { get; }
    /// <summary>How multi-bit elements are stored in columns.</summary>
    public ColumnCoding Coding { get; }
    /// <summary>Columns per array.</summary>
    public int Columns { get; }
    /// <summary>Bits of one binary-coded location coordinate.</summary>
    public int LocationBits { get; }
    /// <summary>The splits: each is one array per tree node.</summary>
    public IReadOnlyList<ArraySplit> Splits => _splits;
    /// <summary>Arrays per tree node (splits per key).</summary>
    public int SplitCount => _splits.Length;

    /// <summary>
    /// The key metric the tree is built with, exactly the distance these arrays compute: binary coding computes
    /// bit-weighted Hamming on the patch and hidden splits, thermometer exact Manhattan; the location is Manhattan either
    /// way, and both <see cref="KeyLayout"/> metrics code it so.
    /// </summary>
    public KeyMetric Metric => Coding == ColumnCoding.Binary ? KeyMetric.BitWeightedHamming : KeyMetric.Manhattan;

    /// <summary>Largest element precision p any split uses (what the compact model must be characterised for).</summary>
    public int MaxBitsPerElement => _splits.Max(s => s.BitsPerElement);

    private void Add(List<ArraySplit> splits, KeyComponent component, int first, int elements, int binaryBits, int thermometerBits,
        bool forceThermometer = false)
    {
        var coding = forceThermometer ? ColumnCoding.Thermometer : Coding;
        int elementBits = coding == ColumnCoding.Binary ? binaryBits : thermometerBits;
        int p = coding == ColumnCoding.Binary ? binaryBits : 1;
        if (elementBits > Columns)
            throw new BadInputException($"a {component} element needs {elementBits} columns but an array has {Columns}; use binary coding or wider arrays.");
        // p must divide the column count (the precharge pattern repeats every p columns).
        if (Columns % p != 0)
            throw new BadInputException($"{component} elements of {p} bits do not tile {Columns} columns.");
        int perArray = Columns / elementBits;
        for (int e = 0; e < elements; e += perArray)
        {
            int n = Math.Min(perArray, elements - e);
            splits.Add(new ArraySplit(splits.Count, component, first + e, n, elementBits, p, coding, Columns));
        }
    }

    /// <summary>
    /// The column bits split <paramref name="split"/> stores for a key given as elements (bit c = column c).
    /// Binary: element i's bit j (0 = LSB) in column i*p + (p-1-j), MSB first as the circuit layer expects.
    /// Thermometer: element i's level v sets its first v of 2^p-1 columns.
    /// </summary>
    public ulong ColumnBits(ArraySplit split, ReadOnlySpan<byte> elements)
    {
        ulong bits = 0;
        int w = split.ElementBits;
        for (int i = 0; i < split.Elements; i++)
        {
            int v = elements[split.FirstElement + i];
            int column = i * w;
            if (split.Coding == ColumnCoding.Binary)
            {
                for (int j = 0; j < w; j++)
                    if (((v >> j) & 1) != 0) bits |= 1UL << (column + w - 1 - j);
            }
            else
            {
                for (int t = 0; t < v; t++) bits |= 1UL << (column + t);
            }
        }
        return bits;
    }

    /// <summary>
    /// The distance the array computes for stored bits <paramref name="key"/> and query bits <paramref name="query"/>:
    /// sum over differing columns of 2^(significance), significance j = p-1-(c mod p).
    /// </summary>
    public static int ColumnDistance(ArraySplit split, ulong key, ulong query)
    {
        ulong differ = key ^ query;
        int p = split.BitsPerElement;
        if (p == 1) return BitOperations.PopCount(differ);
        int distance = 0;
        for (int j = 0; j < p; j++)
            distance += BitOperations.PopCount(differ & SignificanceMask(split.Columns, p, j)) << j;
        return distance;
    }

    /// <summary>Columns holding bit j of p-bit elements (c mod p == p-1-j).</summary>
    public static ulong SignificanceMask(int columns, int p, int j)
    {
        ulong mask = 0;
        for (int c = p - 1 - j; c < columns; c += p) mask |= 1UL << c;
        return mask;
    }

    /// <summary>One line naming each split's component, elements, bits and columns, for reports.</summary>
    public string Describe() => string.Join(", ", _splits.Select(s =>
        $"{s.Component.ToString().ToLowerInvariant()} {s.Elements}x{s.ElementBits}b={s.UsedColumns} cols (p={s.BitsPerElement})"));
}

using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>The best key of a scan: its row in the table scanned and its distance (Row = -1 if nothing was scanned).</summary>
public readonly record struct NearestMatch(int Row, double Distance);

/// <summary>
/// Weighted popcount distances between a packed query and the packed keys of a <see cref="KeyTable"/>:
/// D = sum over segments of coefficient x popcount(q XOR k), coefficient = weight(component) x bit weight / (a+b+c).
/// With AVX-512 it scores a block of 8 keys per step (nibble-table popcount with vpshufb, vpsadbw, one FMA
/// per segment); otherwise a scalar POPCNT loop. Both paths give bit-identical doubles (same FMA order),
/// and neither allocates.
/// </summary>
public sealed class DistanceKernel
{
    private const int BlockRows = KeyTable.BlockRows;
    private readonly double[] _coefficients;
    private readonly int[] _segmentOffsets;
    private readonly int[] _segmentWords;
    private readonly bool _simd;

    public DistanceKernel(KeyLayout layout, DistanceWeights weights, bool allowSimd = true)
    {
        Layout = layout;
        Weights = weights;
        var segments = layout.Segments;
        _coefficients = new double[segments.Length];
        _segmentOffsets = new int[segments.Length];
        _segmentWords = new int[segments.Length];
        for (int s = 0; s < segments.Length; s++)
        {
            _coefficients[s] = weights.Of(segments[s].Component) * segments[s].BitWeight / weights.Sum;
            _segmentOffsets[s] = segments[s].WordOffset;
            _segmentWords[s] = segments[s].WordCount;
        }
        _simd = allowSimd && Avx512BW.IsSupported && Avx512DQ.IsSupported && Vector512.IsHardwareAccelerated;
    }

    public KeyLayout Layout { get; }
    public DistanceWeights Weights { get; }
    /// <summary>True when the AVX-512 path runs.</summary>
    public bool UsesSimd => _simd;

    /// <summary>Distance between two packed keys (scalar).</summary>
    public double Distance(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> key)
    {
        double acc = 0;
        for (int s = 0; s < _coefficients.Length; s++)
        {
            long count = 0;
            int off = _segmentOffsets[s];
            for (int i = 0; i < _segmentWords[s]; i++) count += BitOperations.PopCount(query[off + i] ^ key[off + i]);
            acc = Math.FusedMultiplyAdd(count, _coefficients[s], acc);
        }
        return acc;
    }

    /// <summary>
    /// The nearest of rows [firstRow, firstRow + count) of <paramref name="table"/>; firstRow must start a
    /// block (a multiple of 8). Ties go to the lowest row.
    /// </summary>
    public NearestMatch Nearest(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count)
    {
        Debug.Assert(firstRow % BlockRows == 0 && firstRow + count <= table.Rows && query.Length >= Layout.WordsPerKey);
        if (count <= 0) return new NearestMatch(-1, double.PositiveInfinity);
        return _simd ? NearestSimd(table, query, firstRow, count) : NearestScalar(table, query, firstRow, count);
    }

    /// <summary>Distances of rows [firstRow, firstRow + count) into <paramref name="destination"/>.</summary>
    public void Distances(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count, Span<double> destination)
    {
        Debug.Assert(firstRow % BlockRows == 0 && firstRow + count <= table.Rows && destination.Length >= count);
        if (_simd)
        {
            Span<double> lanes = stackalloc double[BlockRows];
            for (int b = 0; b * BlockRows < count; b++)
            {
                BlockSimd(table.Words, (firstRow / BlockRows + b) * Layout.WordsPerKey * BlockRows, query).CopyTo(lanes);
                int n = Math.Min(BlockRows, count - b * BlockRows);
                lanes[..n].CopyTo(destination.Slice(b * BlockRows));
            }
        }
        else
        {
            for (int i = 0; i < count; i++) destination[i] = RowScalar(table.Words, firstRow + i, query);
        }
    }

    private NearestMatch NearestScalar(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count)
    {
        int best = -1;
        double bestDistance = double.PositiveInfinity;
        for (int r = firstRow; r < firstRow + count; r++)
        {
            double d = RowScalar(table.Words, r, query);
            if (d < bestDistance) { bestDistance = d; best = r; }
        }
        return new NearestMatch(best, bestDistance);
    }

    private double RowScalar(ulong[] words, int row, ReadOnlySpan<ulong> query)
    {
        int w = Layout.WordsPerKey;
        int baseIndex = (row / BlockRows) * w * BlockRows + row % BlockRows;
        double acc = 0;
        for (int s = 0; s < _coefficients.Length; s++)
        {
            long count = 0;
            int off = _segmentOffsets[s];
            for (int i = 0; i < _segmentWords[s]; i++)
                count += BitOperations.PopCount(query[off + i] ^ words[baseIndex + (off + i) * BlockRows]);
            acc = Math.FusedMultiplyAdd(count, _coefficients[s], acc);
        }
        return acc;
    }

    private NearestMatch NearestSimd(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count)
    {
        int w = Layout.WordsPerKey;
        int end = firstRow + count;
        var bestDistance = Vector512.Create(double.PositiveInfinity);
        var bestRow = Vector512<long>.Zero;
        var lane = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        var endRow = Vector512.Create((long)end);
        var infinity = Vector512.Create(double.PositiveInfinity);
        int blocks = (count + BlockRows - 1) / BlockRows;
        int firstBlock = firstRow / BlockRows;
        ulong[] words = table.Words;
        // Two independent running minima (even and odd blocks) halve the compare/select dependency chain.
        var bestDistance2 = bestDistance;
        var bestRow2 = bestRow;
        int b = 0;
        for (; b + 1 < blocks; b += 2)
        {
            Vector512<double> d = BlockSimd(words, (firstBlock + b) * w * BlockRows, query);
            Vector512<double> d2 = BlockSimd(words, (firstBlock + b + 1) * w * BlockRows, query);
            var rows = Vector512.Create((long)(firstRow + b * BlockRows)) + lane;
            var rows2 = rows + Vector512.Create((long)BlockRows);
            if (b + 1 == blocks - 1) d2 = Vector512.ConditionalSelect(Vector512.LessThan(rows2, endRow).AsDouble(), d2, infinity);
            var less = Vector512.LessThan(d, bestDistance);
            bestDistance = Vector512.ConditionalSelect(less, d, bestDistance);
            bestRow = Vector512.ConditionalSelect(less.AsInt64(), rows, bestRow);
            var less2 = Vector512.LessThan(d2, bestDistance2);
            bestDistance2 = Vector512.ConditionalSelect(less2, d2, bestDistance2);
            bestRow2 = Vector512.ConditionalSelect(less2.AsInt64(), rows2, bestRow2);
        }
        if (b < blocks)
        {
            Vector512<double> d = BlockSimd(words, (firstBlock + b) * w * BlockRows, query);
            var rows = Vector512.Create((long)(firstRow + b * BlockRows)) + lane;
            d = Vector512.ConditionalSelect(Vector512.LessThan(rows, endRow).AsDouble(), d, infinity);
            var less = Vector512.LessThan(d, bestDistance);
            bestDistance = Vector512.ConditionalSelect(less, d, bestDistance);
            bestRow = Vector512.ConditionalSelect(less.AsInt64(), rows, bestRow);
        }
        // Merge: the smaller distance wins, the lower row on ties (what one sequential pass would keep).
        var take2 = Vector512.LessThan(bestDistance2, bestDistance)
            | (Vector512.Equals(bestDistance2, bestDistance) & Vector512.LessThan(bestRow2, bestRow).AsDouble() & Vector512.LessThan(bestDistance2, infinity));
        bestDistance = Vector512.ConditionalSelect(take2, bestDistance2, bestDistance);
        bestRow = Vector512.ConditionalSelect(take2.AsInt64(), bestRow2, bestRow);
        int best = -1;
        double min = double.PositiveInfinity;
        for (int i = 0; i < BlockRows; i++)
        {
            double d = bestDistance.GetElement(i);
            int r = (int)bestRow.GetElement(i);
            if (d < min || (d == min && d < double.PositiveInfinity && r < best)) { min = d; best = r; }
        }
        return new NearestMatch(best, min);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe Vector512<double> BlockSimd(ulong[] words, int blockStart, ReadOnlySpan<ulong> query)
    {
        var nibbleMask = Vector512.Create((byte)0x0F);
        var table = Vector512.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        var acc = Vector512<double>.Zero;
        fixed (ulong* basePtr = &words[blockStart])
        {
            for (int s = 0; s < _coefficients.Length; s++)
            {
                int off = _segmentOffsets[s], n = _segmentWords[s];
                var total = Vector512<ulong>.Zero;
                for (int i = 0; i < n; i += 31) // byte counters hold up to 31 words of 8 bits each
                {
                    var bytes = Vector512<byte>.Zero;
                    int stop = Math.Min(n, i + 31);
                    for (int j = i; j < stop; j++)
                    {
                        var x = (Vector512.Load(basePtr + (off + j) * BlockRows) ^ Vector512.Create(query[off + j])).AsByte();
                        var lo = x & nibbleMask;
                        var hi = Avx512BW.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & nibbleMask;
                        bytes += Avx512BW.Shuffle(table, lo) + Avx512BW.Shuffle(table, hi);
                    }
                    total += Avx512BW.SumAbsoluteDifferences(bytes, Vector512<byte>.Zero).AsUInt64();
                }
                acc = Avx512F.FusedMultiplyAdd(Avx512DQ.ConvertToVector512Double(total), Vector512.Create(_coefficients[s]), acc);
            }
        }
        return acc;
    }
}

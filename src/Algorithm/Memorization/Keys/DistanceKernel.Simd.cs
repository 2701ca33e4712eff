using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>Which distance kernel runs: the widest the machine supports unless a caller forces one.</summary>
public enum DistanceKernelPath
{
    /// <summary>POPCNT loop, one key at a time: runs anywhere.</summary>
    Scalar,
    /// <summary>Portable System.Numerics.Vector&lt;T&gt; path (SWAR popcount), any SIMD width the JIT offers.</summary>
    Vector,
    /// <summary>x86 AVX2 + FMA: nibble-table popcount with vpshufb/vpsadbw on 4 keys per vector.</summary>
    Avx2,
    /// <summary>x86 AVX-512 BW/DQ: the same on 8 keys per vector, with a vectorised running minimum.</summary>
    Avx512,
}

/// <summary>The SIMD paths of <see cref="DistanceKernel"/>.</summary>
public sealed partial class DistanceKernel
{
    /// <summary>The widest path this machine runs.</summary>
    public static DistanceKernelPath BestPath { get; } =
        IsSupported(DistanceKernelPath.Avx512) ? DistanceKernelPath.Avx512
        : IsSupported(DistanceKernelPath.Avx2) ? DistanceKernelPath.Avx2
        : IsSupported(DistanceKernelPath.Vector) ? DistanceKernelPath.Vector
        : DistanceKernelPath.Scalar;

    /// <summary>Whether this machine can run <paramref name="path"/>.</summary>
    public static bool IsSupported(DistanceKernelPath path) => path switch
    {
        DistanceKernelPath.Scalar => true,
        DistanceKernelPath.Vector => Vector.IsHardwareAccelerated && KeyTable.BlockRows % Vector<ulong>.Count == 0,
        DistanceKernelPath.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        DistanceKernelPath.Avx512 => Avx512BW.IsSupported && Avx512DQ.IsSupported && Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>Distances of the 8 rows of the block starting at word <paramref name="blockStart"/>.</summary>
    private void Block(ulong[] words, int blockStart, ReadOnlySpan<ulong> query, Span<double> destination)
    {
        switch (_path)
        {
            case DistanceKernelPath.Avx512: BlockAvx512(words, blockStart, query).CopyTo(destination); break;
            case DistanceKernelPath.Avx2:
                BlockAvx2(words, blockStart, query, 0).CopyTo(destination);
                BlockAvx2(words, blockStart, query, 4).CopyTo(destination[4..]);
                break;
            default:
                for (int h = 0; h < BlockRows; h += Vector<ulong>.Count)
                    BlockVector(words, blockStart, query, h).CopyTo(destination[h..]);
                break;
        }
    }

    /// <summary>AVX2 and Vector&lt;T&gt; paths: block distances, then a scalar running minimum (ties to the lowest row).</summary>
    private NearestMatch NearestBlocks(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count)
    {
        Span<double> lanes = stackalloc double[BlockRows];
        int w = Layout.WordsPerKey, firstBlock = firstRow / BlockRows, end = firstRow + count;
        int best = -1;
        double bestDistance = double.PositiveInfinity;
        for (int b = 0; b * BlockRows < count; b++)
        {
            Block(table.Words, (firstBlock + b) * w * BlockRows, query, lanes);
            int row0 = firstRow + b * BlockRows, n = Math.Min(BlockRows, end - row0);
            for (int i = 0; i < n; i++)
                if (lanes[i] < bestDistance) { bestDistance = lanes[i]; best = row0 + i; }
        }
        return new NearestMatch(best, bestDistance);
    }

    /// <summary>Four rows (lanes <paramref name="half"/>..+3) of a block with AVX2: vpshufb nibble popcount, vpsadbw, FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe Vector256<double> BlockAvx2(ulong[] words, int blockStart, ReadOnlySpan<ulong> query, int half)
    {
        var nibbleMask = Vector256.Create((byte)0x0F);
        var table = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        var acc = Vector256<double>.Zero;
        fixed (ulong* basePtr = &words[blockStart])
        {
            for (int s = 0; s < _coefficients.Length; s++)
            {
                int off = _segmentOffsets[s], n = _segmentWords[s];
                var total = Vector256<ulong>.Zero;
                for (int i = 0; i < n; i += 31) // byte counters hold up to 31 words of 8 bits each
                {
                    var bytes = Vector256<byte>.Zero;
                    int stop = Math.Min(n, i + 31);
                    for (int j = i; j < stop; j++)
                    {
                        var x = (Vector256.Load(basePtr + (off + j) * BlockRows + half) ^ Vector256.Create(query[off + j])).AsByte();
                        var lo = x & nibbleMask;
                        var hi = Avx2.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & nibbleMask;
                        bytes += Avx2.Shuffle(table, lo) + Avx2.Shuffle(table, hi);
                    }
                    total += Avx2.SumAbsoluteDifferences(bytes, Vector256<byte>.Zero).AsUInt64();
                }
                acc = Fma.MultiplyAdd(ToDouble(total), Vector256.Create(_coefficients[s]), acc);
            }
        }
        return acc;
    }

    /// <summary>
    /// Exact ulong-to-double for counts below 2^52 without AVX-512DQ: OR the count into the mantissa of 2^52 and
    /// subtract 2^52.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ToDouble(Vector256<ulong> count)
    {
        var magic = Vector256.Create(0x4330000000000000UL);
        return (count | magic).AsDouble() - magic.AsDouble();
    }

    /// <summary>Vector&lt;ulong&gt;.Count rows starting at lane <paramref name="first"/>: SWAR popcount per 64-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector<double> BlockVector(ulong[] words, int blockStart, ReadOnlySpan<ulong> query, int first)
    {
        var m1 = new Vector<ulong>(0x5555555555555555UL);
        var m2 = new Vector<ulong>(0x3333333333333333UL);
        var m4 = new Vector<ulong>(0x0F0F0F0F0F0F0F0FUL);
        var acc = Vector<double>.Zero;
        for (int s = 0; s < _coefficients.Length; s++)
        {
            int off = _segmentOffsets[s], n = _segmentWords[s];
            var total = Vector<ulong>.Zero;
            for (int j = 0; j < n; j++)
            {
                var x = new Vector<ulong>(words, blockStart + (off + j) * BlockRows + first) ^ new Vector<ulong>(query[off + j]);
                x -= Vector.ShiftRightLogical(x, 1) & m1;
                x = (x & m2) + (Vector.ShiftRightLogical(x, 2) & m2);
                x = (x + Vector.ShiftRightLogical(x, 4)) & m4;
                x += Vector.ShiftRightLogical(x, 8);
                x += Vector.ShiftRightLogical(x, 16);
                x += Vector.ShiftRightLogical(x, 32);
                total += x & new Vector<ulong>(0x7FUL);
            }
            acc = Vector.FusedMultiplyAdd(Vector.ConvertToDouble(total), new Vector<double>(_coefficients[s]), acc);
        }
        return acc;
    }

    private NearestMatch NearestAvx512(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count)
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
            Vector512<double> d = BlockAvx512(words, (firstBlock + b) * w * BlockRows, query);
            Vector512<double> d2 = BlockAvx512(words, (firstBlock + b + 1) * w * BlockRows, query);
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
            Vector512<double> d = BlockAvx512(words, (firstBlock + b) * w * BlockRows, query);
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
    private unsafe Vector512<double> BlockAvx512(ulong[] words, int blockStart, ReadOnlySpan<ulong> query)
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

using System.Numerics;
using System.Runtime.CompilerServices;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>
/// The portable <c>Vector&lt;T&gt;</c> path (any SIMD width whose lane count divides 8, e.g. NEON's 2 or AVX2's 4):
/// a SWAR popcount to per-byte counts, summed over a chunk of up to 31 words and only then folded to one count per
/// key, one FMA per segment; the running minimum stays in vectors (distance and block index per lane).
/// </summary>
public sealed partial class DistanceKernel
{
    private unsafe NearestMatch NearestVector(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count)
    {
        int stride = Layout.WordsPerKey * BlockRows, lanes = Vector<ulong>.Count;
        int full = count / BlockRows, tail = count % BlockRows;
        Chunk[] chunks = _chunks;
        Span<double> best = stackalloc double[BlockRows];
        Span<double> at = stackalloc double[BlockRows]; // block index where each lane's best was first seen
        best.Fill(double.PositiveInfinity);
        at.Clear();
        var laneIndex = Vector<double>.Indices;
        var infinity = new Vector<double>(double.PositiveInfinity);
        fixed (ulong* words = table.Words)
        fixed (ulong* q = query)
        {
            ulong* p = words + (long)(firstRow / BlockRows) * stride;
            for (int b = 0; b < full + (tail > 0 ? 1 : 0); b++, p += stride)
            {
                var block = new Vector<double>(b);
                for (int h = 0; h < BlockRows; h += lanes)
                {
                    var d = BlockVector(p + h, q, chunks);
                    if (b == full) // the last block is partly padding: lanes past the range's end never win
                        d = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(laneIndex + new Vector<double>(h), new Vector<double>(tail)), infinity, d);
                    var bestHere = new Vector<double>(best[h..]);
                    var less = Vector.LessThan(d, bestHere);
                    Vector.ConditionalSelect(less, d, bestHere).CopyTo(best[h..]);
                    Vector.ConditionalSelect(less, block, new Vector<double>(at[h..])).CopyTo(at[h..]);
                }
            }
        }
        Span<int> rows = stackalloc int[BlockRows];
        for (int i = 0; i < BlockRows; i++) rows[i] = firstRow + (int)at[i] * BlockRows + i;
        return MergeLanes(best, rows);
    }

    private unsafe void DistancesVector(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count, Span<double> destination)
    {
        int stride = Layout.WordsPerKey * BlockRows, lanes = Vector<ulong>.Count;
        Chunk[] chunks = _chunks;
        Span<double> block = stackalloc double[BlockRows];
        fixed (ulong* words = table.Words)
        fixed (ulong* q = query)
        {
            ulong* p = words + (long)(firstRow / BlockRows) * stride;
            for (int r = 0; r < count; r += BlockRows, p += stride)
            {
                for (int h = 0; h < BlockRows; h += lanes) BlockVector(p + h, q, chunks).CopyTo(block[h..]);
                block[..Math.Min(BlockRows, count - r)].CopyTo(destination[r..]);
            }
        }
    }

    /// <summary>Distances of Vector&lt;ulong&gt;.Count keys of a block, starting at the lane <paramref name="block"/> points to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector<double> BlockVector(ulong* block, ulong* query, Chunk[] chunks)
    {
        var m1 = new Vector<ulong>(0x5555555555555555UL);
        var m2 = new Vector<ulong>(0x3333333333333333UL);
        var m4 = new Vector<ulong>(0x0F0F0F0F0F0F0F0FUL);
        var m8 = new Vector<ulong>(0x00FF00FF00FF00FFUL);
        var acc = Vector<double>.Zero;
        var total = Vector<ulong>.Zero;
        for (int c = 0; c < chunks.Length; c++)
        {
            Chunk chunk = chunks[c];
            ulong* k = block + chunk.WordOffset * BlockRows;
            ulong* qw = query + chunk.WordOffset;
            var bytes = Vector<ulong>.Zero; // per-byte counts: at most 31 words x 8 bits = 248 per byte
            for (int j = 0; j < chunk.Words; j++, k += BlockRows)
            {
                var x = Vector.Load(k) ^ new Vector<ulong>(qw[j]);
                x -= Vector.ShiftRightLogical(x, 1) & m1;
                x = (x & m2) + (Vector.ShiftRightLogical(x, 2) & m2);
                bytes += (x + Vector.ShiftRightLogical(x, 4)) & m4;
            }
            // Fold the 8 byte counts of each 64-bit lane: pairs into 16-bit fields (<= 496), then fields 0+1 and
            // 2+3 (<= 992), then the two halves (<= 1984); no field overflows into its neighbour.
            var y = (bytes & m8) + (Vector.ShiftRightLogical(bytes, 8) & m8);
            y += Vector.ShiftRightLogical(y, 16);
            y += Vector.ShiftRightLogical(y, 32);
            total += y & new Vector<ulong>(0xFFFFUL);
            if (chunk.EndsSegment)
            {
                acc = Vector.FusedMultiplyAdd(Vector.ConvertToDouble(total), new Vector<double>(chunk.Coefficient), acc);
                total = Vector<ulong>.Zero;
            }
        }
        return acc;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>
/// The AVX-512 path: one 512-bit vector holds word w of the 8 keys of a block; popcount per byte with the vpshufb
/// nibble table, vpsadbw per key, one FMA per segment. The running minimum stays in vectors (distance and block
/// index per lane), in two independent chains (even and odd blocks) merged at the end.
/// </summary>
public sealed partial class DistanceKernel
{
    private unsafe NearestMatch NearestAvx512(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count)
    {
        int stride = Layout.WordsPerKey * BlockRows;
        int full = count / BlockRows, tail = count % BlockRows;
        Chunk[] chunks = _chunks;
        var best0 = Vector512.Create(double.PositiveInfinity);
        var best1 = best0;
        var at0 = Vector512<double>.Zero; // block index (exact in a double) where each lane's best was first seen
        var at1 = at0;
        var block = Vector512<double>.Zero;
        var two = Vector512.Create(2.0);
        fixed (ulong* words = table.Words)
        fixed (ulong* q = query)
        {
            ulong* p = words + (long)(firstRow / BlockRows) * stride;
            int b = 0;
            for (; b + 1 < full; b += 2, p += 2 * stride)
            {
                var d0 = BlockAvx512(p, q, chunks);
                var d1 = BlockAvx512(p + stride, q, chunks);
                var less0 = Vector512.LessThan(d0, best0);
                var less1 = Vector512.LessThan(d1, best1);
                best0 = Vector512.ConditionalSelect(less0, d0, best0);
                best1 = Vector512.ConditionalSelect(less1, d1, best1);
                at0 = Vector512.ConditionalSelect(less0, block, at0);
                at1 = Vector512.ConditionalSelect(less1, block + Vector512<double>.One, at1);
                block += two;
            }
            for (; b < full + (tail > 0 ? 1 : 0); b++, p += stride)
            {
                var d = BlockAvx512(p, q, chunks);
                if (b == full) // the last block is partly padding: lanes past the range's end never win
                    d = Vector512.ConditionalSelect(
                        Vector512.GreaterThanOrEqual(Vector512.Create(0.0, 1, 2, 3, 4, 5, 6, 7), Vector512.Create((double)tail)),
                        Vector512.Create(double.PositiveInfinity), d);
                var less = Vector512.LessThan(d, best0);
                best0 = Vector512.ConditionalSelect(less, d, best0);
                at0 = Vector512.ConditionalSelect(less, block, at0);
                block += Vector512<double>.One;
            }
        }
        // Merge the chains lane by lane (the smaller distance, the lower block on ties: what one pass keeps), then the lanes.
        var take1 = Vector512.LessThan(best1, best0) | (Vector512.Equals(best1, best0) & Vector512.LessThan(at1, at0));
        best0 = Vector512.ConditionalSelect(take1, best1, best0);
        at0 = Vector512.ConditionalSelect(take1, at1, at0);
        Span<double> distances = stackalloc double[BlockRows];
        Span<int> rows = stackalloc int[BlockRows];
        best0.CopyTo(distances);
        for (int i = 0; i < BlockRows; i++) rows[i] = firstRow + (int)at0.GetElement(i) * BlockRows + i;
        return MergeLanes(distances, rows);
    }

    private unsafe void DistancesAvx512(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count, Span<double> destination)
    {
        int stride = Layout.WordsPerKey * BlockRows;
        Chunk[] chunks = _chunks;
        fixed (ulong* words = table.Words)
        fixed (ulong* q = query)
        fixed (double* d = destination)
        {
            ulong* p = words + (long)(firstRow / BlockRows) * stride;
            int r = 0;
            for (; r + BlockRows <= count; r += BlockRows, p += stride) BlockAvx512(p, q, chunks).Store(d + r);
            if (r < count)
            {
                double* lanes = stackalloc double[BlockRows];
                BlockAvx512(p, q, chunks).Store(lanes);
                for (int i = 0; r + i < count; i++) d[r + i] = lanes[i];
            }
        }
    }

    /// <summary>Distances of the 8 keys of the block at <paramref name="block"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<double> BlockAvx512(ulong* block, ulong* query, Chunk[] chunks)
    {
        var nibble = Vector512.Create((byte)0x0F);
        var counts = Vector512.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        var acc = Vector512<double>.Zero;
        var total = Vector512<ulong>.Zero;
        for (int c = 0; c < chunks.Length; c++)
        {
            Chunk chunk = chunks[c];
            ulong* k = block + chunk.WordOffset * BlockRows;
            ulong* qw = query + chunk.WordOffset;
            var bytes = Vector512<byte>.Zero;
            for (int j = 0; j < chunk.Words; j++, k += BlockRows)
            {
                var x = (Vector512.Load(k) ^ Vector512.Create(qw[j])).AsByte();
                bytes += Avx512BW.Shuffle(counts, x & nibble) + Avx512BW.Shuffle(counts, Avx512BW.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & nibble);
            }
            total += Avx512BW.SumAbsoluteDifferences(bytes, Vector512<byte>.Zero).AsUInt64();
            if (chunk.EndsSegment)
            {
                acc = Avx512F.FusedMultiplyAdd(Avx512DQ.ConvertToVector512Double(total), Vector512.Create(chunk.Coefficient), acc);
                total = Vector512<ulong>.Zero;
            }
        }
        return acc;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>
/// The AVX2 path: a block of 8 keys is two 256-bit halves of 4 keys; popcount per byte with the vpshufb nibble
/// table, byte counts summed per key with vpsadbw, one FMA per segment. The scan keeps a running minimum in
/// vectors (distance and block index per lane, one pair per half: two independent compare/select chains), so no
/// distance leaves the registers until the 8 lane bests are merged at the end.
/// </summary>
public sealed partial class DistanceKernel
{
    private unsafe NearestMatch NearestAvx2(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count)
    {
        int stride = Layout.WordsPerKey * BlockRows;
        int full = count / BlockRows, tail = count % BlockRows;
        Chunk[] chunks = _chunks;
        var best0 = Vector256.Create(double.PositiveInfinity);
        var best1 = best0;
        var at0 = Vector256<double>.Zero; // block index (exact in a double) where each lane's best was first seen
        var at1 = at0;
        var block = Vector256<double>.Zero;
        var one = Vector256.Create(1.0);
        fixed (ulong* words = table.Words)
        fixed (ulong* q = query)
        {
            ulong* p = words + (long)(firstRow / BlockRows) * stride;
            int b = 0;
            for (; _singleChunkSegments && b + 1 < full; b += 2, p += 2 * stride)
            {
                // Two blocks per pass over the chunks: twice the independent work per chunk's bookkeeping.
                BlockPairAvx2(p, stride, q, chunks, out var d0, out var d1, out var e0, out var e1);
                KeepAvx2(d0, d1, block, ref best0, ref best1, ref at0, ref at1);
                block += one;
                KeepAvx2(e0, e1, block, ref best0, ref best1, ref at0, ref at1);
                block += one;
            }
            for (; b < full; b++, p += stride)
            {
                BlockAvx2(p, q, chunks, out var d0, out var d1);
                KeepAvx2(d0, d1, block, ref best0, ref best1, ref at0, ref at1);
                block += one;
            }
            if (tail > 0)
            {
                // The last block is partly padding: lanes at or past the range's end score +infinity and never win.
                BlockAvx2(p, q, chunks, out var d0, out var d1);
                var lane = Vector256.Create(0.0, 1, 2, 3);
                var end = Vector256.Create((double)tail);
                var infinity = Vector256.Create(double.PositiveInfinity);
                d0 = Avx.BlendVariable(d0, infinity, Avx.CompareGreaterThanOrEqual(lane, end));
                d1 = Avx.BlendVariable(d1, infinity, Avx.CompareGreaterThanOrEqual(lane + Vector256.Create(4.0), end));
                KeepAvx2(d0, d1, block, ref best0, ref best1, ref at0, ref at1);
            }
        }
        Span<double> distances = stackalloc double[BlockRows];
        Span<int> rows = stackalloc int[BlockRows];
        best0.CopyTo(distances);
        best1.CopyTo(distances[4..]);
        for (int i = 0; i < 4; i++)
        {
            rows[i] = firstRow + (int)at0.GetElement(i) * BlockRows + i;
            rows[i + 4] = firstRow + (int)at1.GetElement(i) * BlockRows + i + 4;
        }
        return MergeLanes(distances, rows);
    }

    /// <summary>One block's step of the running minimum: lanes whose distance is smaller take it and the block index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KeepAvx2(Vector256<double> low, Vector256<double> high, Vector256<double> block,
        ref Vector256<double> best0, ref Vector256<double> best1, ref Vector256<double> at0, ref Vector256<double> at1)
    {
        var less0 = Avx.CompareLessThan(low, best0);
        var less1 = Avx.CompareLessThan(high, best1);
        best0 = Avx.BlendVariable(best0, low, less0);
        best1 = Avx.BlendVariable(best1, high, less1);
        at0 = Avx.BlendVariable(at0, block, less0);
        at1 = Avx.BlendVariable(at1, block, less1);
    }

    private unsafe void DistancesAvx2(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count, Span<double> destination)
    {
        int stride = Layout.WordsPerKey * BlockRows;
        Chunk[] chunks = _chunks;
        fixed (ulong* words = table.Words)
        fixed (ulong* q = query)
        fixed (double* d = destination)
        {
            ulong* p = words + (long)(firstRow / BlockRows) * stride;
            int r = 0;
            for (; r + BlockRows <= count; r += BlockRows, p += stride)
            {
                BlockAvx2(p, q, chunks, out var d0, out var d1);
                d0.Store(d + r);
                d1.Store(d + r + 4);
            }
            if (r < count)
            {
                BlockAvx2(p, q, chunks, out var d0, out var d1);
                double* lanes = stackalloc double[BlockRows];
                d0.Store(lanes);
                d1.Store(lanes + 4);
                for (int i = 0; r + i < count; i++) d[r + i] = lanes[i];
            }
        }
    }

    /// <summary>Distances of the 8 keys of the block at <paramref name="block"/>: rows 0-3 in low, 4-7 in high.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void BlockAvx2(ulong* block, ulong* query, Chunk[] chunks, out Vector256<double> low, out Vector256<double> high)
    {
        // A segment's total is kept biased by 2^52 (as a double's bits, 2^52 + count for count < 2^52), so the
        // conversion to double is one subtraction; the bias is added where the segment's first chunk starts it.
        var magic = Vector256.Create(0x4330000000000000UL);
        var acc0 = Vector256<double>.Zero;
        var acc1 = acc0;
        var total0 = magic;
        var total1 = magic;
        for (int c = 0; c < chunks.Length; c++)
        {
            Chunk chunk = chunks[c];
            ulong* k = block + chunk.WordOffset * BlockRows;
            ulong* qw = query + chunk.WordOffset;
            var qv = Vector256.Create(qw[0]);
            var bytes0 = PopBytesAvx2(Vector256.Load(k) ^ qv);
            var bytes1 = PopBytesAvx2(Vector256.Load(k + 4) ^ qv);
            for (int j = 1; j < chunk.Words; j++)
            {
                k += BlockRows;
                qv = Vector256.Create(qw[j]);
                bytes0 += PopBytesAvx2(Vector256.Load(k) ^ qv);
                bytes1 += PopBytesAvx2(Vector256.Load(k + 4) ^ qv);
            }
            var sum0 = Avx2.SumAbsoluteDifferences(bytes0, Vector256<byte>.Zero).AsUInt64();
            var sum1 = Avx2.SumAbsoluteDifferences(bytes1, Vector256<byte>.Zero).AsUInt64();
            if (chunk.StartsSegment)
            {
                total0 = magic + sum0;
                total1 = magic + sum1;
            }
            else
            {
                total0 += sum0;
                total1 += sum1;
            }
            if (chunk.EndsSegment)
            {
                var coefficient = Vector256.Create(chunk.Coefficient);
                acc0 = Fma.MultiplyAdd(total0.AsDouble() - magic.AsDouble(), coefficient, acc0);
                acc1 = Fma.MultiplyAdd(total1.AsDouble() - magic.AsDouble(), coefficient, acc1);
            }
        }
        low = acc0;
        high = acc1;
    }

    /// <summary>
    /// Two consecutive blocks (<paramref name="stride"/> words apart) in one pass over the chunks, for layouts whose
    /// segments are each one chunk (at most 31 words: every layout Mbi builds); same arithmetic as <see cref="BlockAvx2"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void BlockPairAvx2(ulong* block, int stride, ulong* query, Chunk[] chunks,
        out Vector256<double> low, out Vector256<double> high, out Vector256<double> nextLow, out Vector256<double> nextHigh)
    {
        var acc0 = Vector256<double>.Zero;
        var acc1 = acc0;
        var acc2 = acc0;
        var acc3 = acc0;
        for (int c = 0; c < chunks.Length; c++)
        {
            Chunk chunk = chunks[c];
            ulong* k = block + chunk.WordOffset * BlockRows;
            ulong* qw = query + chunk.WordOffset;
            var qv = Vector256.Create(qw[0]);
            var bytes0 = PopBytesAvx2(Vector256.Load(k) ^ qv);
            var bytes1 = PopBytesAvx2(Vector256.Load(k + 4) ^ qv);
            var bytes2 = PopBytesAvx2(Vector256.Load(k + stride) ^ qv);
            var bytes3 = PopBytesAvx2(Vector256.Load(k + stride + 4) ^ qv);
            for (int j = 1; j < chunk.Words; j++)
            {
                k += BlockRows;
                qv = Vector256.Create(qw[j]);
                bytes0 += PopBytesAvx2(Vector256.Load(k) ^ qv);
                bytes1 += PopBytesAvx2(Vector256.Load(k + 4) ^ qv);
                bytes2 += PopBytesAvx2(Vector256.Load(k + stride) ^ qv);
                bytes3 += PopBytesAvx2(Vector256.Load(k + stride + 4) ^ qv);
            }
            // Every segment is one chunk here, so its count goes straight to its FMA (biased by 2^52, converted by
            // one subtraction): no running totals, which keeps the pass within AVX2's 16 vector registers.
            var coefficient = Vector256.Create(chunk.Coefficient);
            acc0 = Fma.MultiplyAdd(ToDouble(Avx2.SumAbsoluteDifferences(bytes0, Vector256<byte>.Zero)), coefficient, acc0);
            acc1 = Fma.MultiplyAdd(ToDouble(Avx2.SumAbsoluteDifferences(bytes1, Vector256<byte>.Zero)), coefficient, acc1);
            acc2 = Fma.MultiplyAdd(ToDouble(Avx2.SumAbsoluteDifferences(bytes2, Vector256<byte>.Zero)), coefficient, acc2);
            acc3 = Fma.MultiplyAdd(ToDouble(Avx2.SumAbsoluteDifferences(bytes3, Vector256<byte>.Zero)), coefficient, acc3);
        }
        low = acc0;
        high = acc1;
        nextLow = acc2;
        nextHigh = acc3;
    }

    /// <summary>Exact ulong-to-double for counts below 2^52: add them to the bits of 2^52, subtract 2^52.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ToDouble(Vector256<ushort> sums)
    {
        var magic = Vector256.Create(0x4330000000000000UL);
        return (sums.AsUInt64() + magic).AsDouble() - magic.AsDouble();
    }

    /// <summary>Per-byte popcounts of <paramref name="x"/>: the vpshufb nibble table on the low and the high nibbles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> PopBytesAvx2(Vector256<ulong> x)
    {
        var nibble = Vector256.Create((byte)0x0F);
        var counts = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        var bytes = x.AsByte();
        return Avx2.Shuffle(counts, bytes & nibble) + Avx2.Shuffle(counts, Avx2.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & nibble);
    }
}

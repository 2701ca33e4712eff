using System.Diagnostics;
using System.Numerics;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>The best key of a scan: its row in the table scanned and its distance (Row = -1 if nothing was scanned).</summary>
internal readonly record struct NearestMatch(int Row, double Distance);

/// <summary>
/// Weighted popcount distances between a packed query and the packed keys of a <see cref="KeyTable"/>:
/// D = sum over segments of coefficient x popcount(q XOR k), coefficient = weight(component) x bit weight / (a+b+c).
/// It runs <see cref="BestPath"/> (the widest path the machine runs, or the one MBI_KERNEL names; <see cref="DistanceKernelPath"/>): AVX-512 scores a block of 8
/// keys per step (nibble-table popcount with vpshufb, vpsadbw, one FMA per segment); AVX2 does the same on two
/// halves of 4 keys; the portable <c>Vector&lt;T&gt;</c> path uses a SWAR popcount on any SIMD width; the scalar
/// path is a POPCNT loop. Every path gives bit-identical doubles (same FMA order per segment), and none allocates.
/// </summary>
public sealed partial class DistanceKernel
{
    private const int BlockRows = KeyTable.BlockRows;
    /// <summary>Byte counters of the vpshufb paths hold up to 31 words of 8 bits each (31 x 8 = 248 &lt; 256).</summary>
    private const int MaxChunkWords = 31;
    private readonly double[] _coefficients;
    private readonly int[] _segmentOffsets;
    private readonly int[] _segmentWords;
    private readonly KeyComponent[] _segmentComponents;
    private readonly Chunk[] _chunks;
    private readonly bool _singleChunkSegments;
    private readonly DistanceKernelPath _path;

    /// <summary>
    /// A run of 1 to <see cref="MaxChunkWords"/> words of one segment. The SIMD paths walk the chunks in order, add
    /// each chunk's counts into the segment's total and, at a segment's last chunk, do the segment's one FMA, so a
    /// segment of any length keeps the scalar path's order (one FMA per segment, in segment order). An empty segment
    /// has no chunk: the scalar path's FMA for it, fma(0, c, acc) with c &gt;= 0 and acc &gt;= +0, returns acc exactly.
    /// </summary>
    private readonly record struct Chunk(int WordOffset, int Words, double Coefficient, bool StartsSegment, bool EndsSegment);

    /// <param name="allowSimd">False forces the scalar path (tests, comparisons).</param>
    public DistanceKernel(KeyLayout layout, DistanceWeights weights, bool allowSimd = true)
        : this(layout, weights, allowSimd ? BestPath : DistanceKernelPath.Scalar)
    {
    }

    /// <summary>A kernel on a chosen path; a path this machine cannot run is refused.</summary>
    public DistanceKernel(KeyLayout layout, DistanceWeights weights, DistanceKernelPath path)
    {
        if (!IsSupported(path))
            throw new Mbi.Core.Errors.BadInputException(
                $"distance kernel path {path} is not supported on this machine (widest here: {WidestPath}); use {WidestPath} or Scalar.");
        Layout = layout;
        Weights = weights;
        var segments = layout.Segments;
        _coefficients = new double[segments.Length];
        _segmentOffsets = new int[segments.Length];
        _segmentWords = new int[segments.Length];
        _segmentComponents = new KeyComponent[segments.Length];
        for (int s = 0; s < segments.Length; s++)
        {
            // FromComponentCounts needs each component in one segment of bit weight 1 (both layouts are so).
            if (segments[s].BitWeight != 1 || Array.IndexOf(_segmentComponents, segments[s].Component, 0, s) >= 0)
                throw new ArgumentException("every key component must be one segment of bit weight 1", nameof(layout));
            _segmentComponents[s] = segments[s].Component;
            _coefficients[s] = weights.Of(segments[s].Component) * segments[s].BitWeight / weights.Sum;
            _segmentOffsets[s] = segments[s].WordOffset;
            _segmentWords[s] = segments[s].WordCount;
        }
        var chunks = new List<Chunk>();
        for (int s = 0; s < segments.Length; s++)
        {
            int first = _segmentOffsets[s], words = _segmentWords[s];
            for (int i = 0; i < words; i += MaxChunkWords)
            {
                int n = Math.Min(MaxChunkWords, words - i);
                chunks.Add(new Chunk(first + i, n, _coefficients[s], i == 0, i + n == words));
            }
        }
        _chunks = [.. chunks];
        _singleChunkSegments = chunks.TrueForAll(c => c.StartsSegment && c.EndsSegment);
        _path = path;
    }

    /// <summary>The packed key layout the kernel reads.</summary>
    public KeyLayout Layout { get; }
    /// <summary>The weights a, b, c of Eq. 1.</summary>
    public DistanceWeights Weights { get; }
    /// <summary>The path this kernel runs.</summary>
    public DistanceKernelPath Path => _path;

    /// <summary>True when a SIMD path (AVX-512, AVX2 or Vector&lt;T&gt;) runs.</summary>
    public bool UsesSimd => _path != DistanceKernelPath.Scalar;

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
    /// The distance of a key whose XOR with the query has <paramref name="patch"/>, <paramref name="hidden"/> and
    /// <paramref name="location"/> set bits in the three components, in the scan's own arithmetic (one FMA per segment, in
    /// segment order), so it is bit-identical to <see cref="Distance"/> of such a key. Arrays that sum their integer ADC
    /// codes per component rank rows with it, so ideal arrays break ties exactly as the digital search does (summing
    /// weight x code per split and dividing by a+b+c afterwards rounds tied distances 1 ulp apart).
    /// </summary>
    public double FromComponentCounts(long patch, long hidden, long location)
    {
        double acc = 0;
        for (int s = 0; s < _coefficients.Length; s++)
        {
            long count = _segmentComponents[s] switch
            {
                KeyComponent.Patch => patch,
                KeyComponent.Hidden => hidden,
                _ => location,
            };
            acc = Math.FusedMultiplyAdd(count, _coefficients[s], acc);
        }
        return acc;
    }

    /// <summary>
    /// The nearest of rows [firstRow, firstRow + count) of <paramref name="table"/>; firstRow must start a
    /// block (a multiple of 8). Ties go to the lowest row.
    /// </summary>
    internal NearestMatch Nearest(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count)
    {
        Debug.Assert(firstRow % BlockRows == 0 && firstRow + count <= table.Rows && query.Length >= Layout.WordsPerKey);
        if (count <= 0) return new NearestMatch(-1, double.PositiveInfinity);
        return _path switch
        {
            DistanceKernelPath.Avx512 => NearestAvx512(table, query, firstRow, count),
            DistanceKernelPath.Avx2 => NearestAvx2(table, query, firstRow, count),
            DistanceKernelPath.Vector => NearestVector(table, query, firstRow, count),
            _ => NearestScalar(table, query, firstRow, count),
        };
    }

    /// <summary>Distances of rows [firstRow, firstRow + count) into <paramref name="destination"/>.</summary>
    internal void Distances(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count, Span<double> destination)
    {
        Debug.Assert(firstRow % BlockRows == 0 && firstRow + count <= table.Rows && destination.Length >= count
            && query.Length >= Layout.WordsPerKey);
        if (count <= 0) return;
        switch (_path)
        {
            case DistanceKernelPath.Avx512: DistancesAvx512(table, query, firstRow, count, destination); break;
            case DistanceKernelPath.Avx2: DistancesAvx2(table, query, firstRow, count, destination); break;
            case DistanceKernelPath.Vector: DistancesVector(table, query, firstRow, count, destination); break;
            default:
                for (int i = 0; i < count; i++) destination[i] = RowScalar(table.Words, firstRow + i, query);
                break;
        }
    }

    /// <summary>
    /// Picks the nearest of per-lane bests: lane i of a SIMD scan holds the smallest distance it saw and the first
    /// row that had it, so the overall nearest is the smallest distance, the lowest row among equal ones.
    /// </summary>
    private static NearestMatch MergeLanes(ReadOnlySpan<double> distances, ReadOnlySpan<int> rows)
    {
        int best = -1;
        double min = double.PositiveInfinity;
        for (int i = 0; i < distances.Length; i++)
        {
            double d = distances[i];
            if (d < min || (d == min && rows[i] < best && d < double.PositiveInfinity)) { min = d; best = rows[i]; }
        }
        return new NearestMatch(best, min);
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
}

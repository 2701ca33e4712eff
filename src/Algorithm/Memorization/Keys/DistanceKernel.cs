using System.Diagnostics;
using System.Numerics;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>The best key of a scan: its row in the table scanned and its distance (Row = -1 if nothing was scanned).</summary>
internal readonly record struct NearestMatch(int Row, double Distance);

/// <summary>
/// Weighted popcount distances between a packed query and the packed keys of a <see cref="KeyTable"/>:
/// D = sum over segments of coefficient x popcount(q XOR k), coefficient = weight(component) x bit weight / (a+b+c).
/// It picks the widest path the machine runs (<see cref="DistanceKernelPath"/>): AVX-512 scores a block of 8
/// keys per step (nibble-table popcount with vpshufb, vpsadbw, one FMA per segment); AVX2 does the same on two
/// halves of 4 keys; the portable <c>Vector&lt;T&gt;</c> path uses a SWAR popcount on any SIMD width; the scalar
/// path is a POPCNT loop. Every path gives bit-identical doubles (same FMA order per segment), and none allocates.
/// </summary>
public sealed partial class DistanceKernel
{
    private const int BlockRows = KeyTable.BlockRows;
    private readonly double[] _coefficients;
    private readonly int[] _segmentOffsets;
    private readonly int[] _segmentWords;
    private readonly DistanceKernelPath _path;

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
                $"distance kernel path {path} is not supported on this machine (best here: {BestPath}); use {BestPath} or Scalar.");
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
            DistanceKernelPath.Scalar => NearestScalar(table, query, firstRow, count),
            _ => NearestBlocks(table, query, firstRow, count),
        };
    }

    /// <summary>Distances of rows [firstRow, firstRow + count) into <paramref name="destination"/>.</summary>
    internal void Distances(KeyTable table, ReadOnlySpan<ulong> query, int firstRow, int count, Span<double> destination)
    {
        Debug.Assert(firstRow % BlockRows == 0 && firstRow + count <= table.Rows && destination.Length >= count);
        if (_path != DistanceKernelPath.Scalar)
        {
            Span<double> lanes = stackalloc double[BlockRows];
            for (int b = 0; b * BlockRows < count; b++)
            {
                Block(table.Words, (firstRow / BlockRows + b) * Layout.WordsPerKey * BlockRows, query, lanes);
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
}

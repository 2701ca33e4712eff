using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using Mbi.Core.Progress;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Memorization;

/// <summary>What distillation did: the table and how its rows were chosen.</summary>
internal sealed record DistillResult(LookupTable Table, int Images, long RowsRecorded, long DistinctKeys, long RowsKept);

/// <summary>
/// Distillation (paper Sec. II-B): runs the quantized RAM over training images, glimpse by glimpse, and
/// records key = (patch levels, previous hidden bits, location) -> value = (next hidden bits, next location,
/// class of the next hidden state). Rows are chosen by (1) de-duplication: the network is deterministic, so a
/// repeated key carries the same value and is stored once; (2) if more distinct keys remain than the row
/// budget, a uniform random sample of them (seeded). Rows are stored in a seeded random order, so the first
/// n rows of a table are themselves a uniform sample (how smaller tables are made for Fig. 4(a)).
/// </summary>
internal static class Distiller
{
    private static readonly ulong SampleStream = SeededRandom.StreamId("distill-sample");

    /// <param name="shifts">
    /// Translations (dx, dy) in pixels applied to every image besides the original (zero fill): augmentation
    /// that records the RAM's own steps on shifted digits, so the table covers more of the test distribution.
    /// </param>
    public static DistillResult Distill(IGlimpseStepModel model, MnistImages images, int maxRows, ulong seed,
        string modelName, IProgress<ProgressUpdate>? progress = null, IReadOnlyList<(int Dx, int Dy)>? shifts = null)
    {
        (int Dx, int Dy)[] variants = [(0, 0), .. shifts ?? []];
        if (maxRows < 1) throw BadInputException.For("max_rows", maxRows, ">= 1", "300000");
        var spec = model.Spec;
        if (images.Side != spec.ImageSize)
            throw new BadInputException($"the model's spec wants {spec.ImageSize}x{spec.ImageSize} images; the dataset has {images.Side}x{images.Side}.");
        int e = spec.PatchElements + spec.HiddenBits + 2, h = spec.HiddenBits;
        long capacity = (long)images.Count * variants.Length * spec.Glimpses;
        if (capacity * e > Array.MaxLength)
            throw BadInputException.For("images x shifts", $"{images.Count} x {variants.Length}", $"at most {Array.MaxLength / e / spec.Glimpses} image variants", "fewer --shift-pixels");
        var keys = new byte[capacity * e];
        var nextHidden = new byte[capacity * h];
        var nextLocation = new byte[capacity * 2];
        var classes = new byte[capacity];
        var initial = new byte[h];
        model.InitialState(initial, out int x0, out int y0);

        var hidden = new byte[h];
        var next = new byte[h];
        var patch = new byte[spec.PatchElements];
        long row = 0;
        var shifted = new float[images.PixelsPerImage];
        for (int i = 0; i < images.Count; i++)
        foreach (var (dx, dy) in variants)
        {
            ReadOnlySpan<float> image = images.Image(i);
            if (dx != 0 || dy != 0)
            {
                Shift(image, shifted, images.Side, dx, dy);
                image = shifted;
            }
            initial.CopyTo(hidden, 0);
            int x = x0, y = y0;
            for (int t = 0; t < spec.Glimpses; t++)
            {
                model.Sensor.Sense(image, x, y, patch);
                Span<byte> key = keys.AsSpan((int)(row * e), e);
                patch.CopyTo(key);
                hidden.CopyTo(key[spec.PatchElements..]);
                key[e - 2] = (byte)x;
                key[e - 1] = (byte)y;
                model.Step(patch, hidden, x, y, next, out int nx, out int ny, out int stepClass);
                next.CopyTo(nextHidden, (int)(row * h));
                nextLocation[2 * row] = (byte)nx;
                nextLocation[2 * row + 1] = (byte)ny;
                classes[row] = (byte)stepClass;
                row++;
                (hidden, next) = (next, hidden);
                (x, y) = (nx, ny);
            }
            if ((i & 255) == 0 && dx == 0 && dy == 0) progress?.Report(new ProgressUpdate("distill", i, images.Count, $"{row} rows"));
        }
        progress?.Report(new ProgressUpdate("distill", images.Count, images.Count, $"{row} rows"));

        int[] distinct = Deduplicate(keys, e, (int)row);
        new SeededRandom(seed, SampleStream, 0).Shuffle<int>(distinct);
        int kept = Math.Min(maxRows, distinct.Length);
        var outKeys = new byte[(long)kept * e];
        var outHidden = new byte[(long)kept * h];
        var outLocation = new byte[2 * kept];
        var outClasses = new byte[kept];
        for (int r = 0; r < kept; r++)
        {
            int src = distinct[r];
            keys.AsSpan(src * e, e).CopyTo(outKeys.AsSpan(r * e));
            nextHidden.AsSpan(src * h, h).CopyTo(outHidden.AsSpan(r * h));
            outLocation[2 * r] = nextLocation[2 * src];
            outLocation[2 * r + 1] = nextLocation[2 * src + 1];
            outClasses[r] = classes[src];
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string sampling = kept < distinct.Length ? $"uniform random sample, seed {seed}" : "all";
        string provenance = string.Format(inv,
            "distilled from {0}: {1} training images{7} x {2} glimpses = {3} rows; {4} distinct keys after de-duplication; {5} kept ({6}); stored in seeded random order",
            modelName, images.Count, spec.Glimpses, row, distinct.Length, kept, sampling,
            variants.Length == 1 ? "" : $" x {variants.Length} variants (original + shifts {string.Join(" ", variants.Skip(1).Select(v => $"({v.Dx},{v.Dy})"))})");
        var table = new LookupTable(spec, kept, outKeys, outHidden, outLocation, outClasses, initial, x0, y0,
            DistanceWeights.Unweighted, KeyMetric.Manhattan, provenance);
        return new DistillResult(table, images.Count, row, distinct.Length, kept);
    }

    /// <summary>The image moved by (dx, dy) pixels, zeros shifted in.</summary>
    internal static void Shift(ReadOnlySpan<float> image, Span<float> destination, int side, int dx, int dy)
    {
        destination.Clear();
        for (int y = 0; y < side; y++)
        {
            int sy = y - dy;
            if ((uint)sy >= (uint)side) continue;
            for (int x = 0; x < side; x++)
            {
                int sx = x - dx;
                if ((uint)sx < (uint)side) destination[y * side + x] = image[sy * side + sx];
            }
        }
    }

    /// <summary>Indices of the first occurrence of every distinct key, in order.</summary>
    private static int[] Deduplicate(byte[] keys, int stride, int rows)
    {
        var seen = new HashSet<int>(rows, new RowComparer(keys, stride));
        var first = new List<int>(rows);
        for (int r = 0; r < rows; r++)
            if (seen.Add(r)) first.Add(r);
        return [.. first];
    }

    private sealed class RowComparer(byte[] keys, int stride) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b) => keys.AsSpan(a * stride, stride).SequenceEqual(keys.AsSpan(b * stride, stride));

        public int GetHashCode(int row)
        {
            var hash = new HashCode();
            hash.AddBytes(keys.AsSpan(row * stride, stride));
            return hash.ToHashCode();
        }
    }
}

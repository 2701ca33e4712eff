using Mbi.Core.Errors;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// The retina of the recurrent attention model: <see cref="Scales"/> square patches centred on one
/// location, the first <see cref="PatchSize"/> x <see cref="PatchPool"/> pixels wide, each next one <see cref="ScaleFactor"/>
/// times wider, every one average-pooled down to PatchSize x PatchSize and concatenated (scale-major,
/// then row, then column). Pixels beyond the image count as zero. PatchPool 1 (the paper's) reads the first patch
/// pixel for pixel; PatchPool 2 makes every patch twice as wide at the same number of elements (the same key bits).
/// CoarseGain G multiplies every later patch's averages by G and clips them to 1 (1, the paper's, leaves them as they are).
/// <para>
/// Geometry: location l in [-1, 1] maps to the centre pixel c = floor((l + 1) / 2 * ImageSize),
/// clamped to the last pixel; a patch w pixels wide covers [c - w/2, c - w/2 + w) (integer division).
/// So l = 0 on a 28-pixel image is pixel 14, and a 3-wide patch there covers pixels 13..15.
/// </para>
/// </summary>
internal sealed class GlimpseSensor
{
    public GlimpseSensor(int patchSize, int scales, int scaleFactor, int imageSize, int patchPool = 1, int coarseGain = 1)
    {
        if (patchPool < 1 || patchPool > 8) throw BadInputException.For("patch_pool", patchPool, "between 1 and 8", "2");
        if (coarseGain < 1 || coarseGain > 8) throw BadInputException.For("coarse_gain", coarseGain, "between 1 and 8", "2");
        if (patchSize < 1 || patchSize > imageSize) throw BadInputException.For("patch_size", patchSize, $"between 1 and {imageSize}", "8");
        if (scales < 1 || scales > 8) throw BadInputException.For("scales", scales, "between 1 and 8", "2");
        if (scaleFactor < 1 || scaleFactor > 8) throw BadInputException.For("scale_factor", scaleFactor, "between 1 and 8", "2");
        (PatchSize, Scales, ScaleFactor, ImageSize, PatchPool) = (patchSize, scales, scaleFactor, imageSize, patchPool);
        CoarseGain = coarseGain;
    }

    public int PatchSize { get; }
    public int Scales { get; }
    public int ScaleFactor { get; }
    public int ImageSize { get; }
    /// <summary>Pixels per element of the first patch along each axis (1 = pixel for pixel).</summary>
    public int PatchPool { get; }
    /// <summary>Gain on every patch after the first, applied to its averages before they are clipped to 1 (1 = none).</summary>
    public int CoarseGain { get; }
    public int PatchElements => PatchSize * PatchSize * Scales;

    /// <summary>The centre pixel (row or column) of location coordinate <paramref name="l"/> in [-1, 1].</summary>
    public int CentrePixel(float l)
    {
        int c = (int)MathF.Floor((l + 1f) * 0.5f * ImageSize);
        return Math.Clamp(c, 0, ImageSize - 1);
    }

    /// <summary>
    /// Writes the pooled glimpse at (x = column, y = row) location into <paramref name="patch"/>
    /// (<see cref="PatchElements"/> values, each the mean of its pooling block, zero padding outside).
    /// </summary>
    /// <param name="shiftX">Translate the image this many pixels right first (training augmentation; 0 otherwise).</param>
    /// <param name="shiftY">Translate the image this many pixels down first.</param>
    public void Extract(ReadOnlySpan<float> image, float x, float y, Span<float> patch, int shiftX = 0, int shiftY = 0)
    {
        System.Diagnostics.Debug.Assert(image.Length == ImageSize * ImageSize && patch.Length >= PatchElements);
        int cx = CentrePixel(x) - shiftX, cy = CentrePixel(y) - shiftY;
        int g = PatchSize, n = ImageSize;
        int factor = PatchPool;
        for (int scale = 0; scale < Scales; scale++, factor *= ScaleFactor)
        {
            int width = g * factor;
            int top = cy - width / 2, left = cx - width / 2;
            float inverseArea = 1f / (factor * factor);
            float gain = scale == 0 ? 1f : CoarseGain;
            Span<float> outScale = patch.Slice(scale * g * g, g * g);
            for (int r = 0; r < g; r++)
            {
                for (int c = 0; c < g; c++)
                {
                    int row0 = top + r * factor, col0 = left + c * factor;
                    int rowStart = Math.Max(row0, 0), rowEnd = Math.Min(row0 + factor, n);
                    int colStart = Math.Max(col0, 0), colEnd = Math.Min(col0 + factor, n);
                    float sum = 0f;
                    for (int row = rowStart; row < rowEnd; row++)
                        for (int col = colStart; col < colEnd; col++)
                            sum += image[row * n + col];
                    outScale[r * g + c] = gain == 1f ? sum * inverseArea : MathF.Min(1f, sum * inverseArea * gain);
                }
            }
        }
    }
}

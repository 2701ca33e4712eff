namespace Mbi.Algorithm.Ram;

/// <summary>
/// Training augmentation: an image rotated by an angle and scaled about its centre, resampled bilinearly (zero outside
/// the frame). The map is inverse: every output pixel reads the source point that the rotation and scaling bring to it.
/// </summary>
internal static class AffineWarp
{
    /// <summary>Writes <paramref name="source"/> (size x size) rotated by <paramref name="radians"/> (counter-clockwise as
    /// displayed, y down) and scaled by <paramref name="scale"/> about the image centre into <paramref name="destination"/>.</summary>
    public static void Apply(ReadOnlySpan<float> source, int size, double radians, double scale, Span<float> destination)
    {
        System.Diagnostics.Debug.Assert(source.Length == size * size && destination.Length >= size * size && scale > 0);
        double centre = (size - 1) / 2.0;
        double cos = Math.Cos(radians) / scale, sin = Math.Sin(radians) / scale;
        for (int r = 0; r < size; r++)
        {
            double dy = r - centre;
            for (int c = 0; c < size; c++)
            {
                double dx = c - centre;
                // inverse rotation: R(-theta) / scale applied to the output offset
                double sx = centre + cos * dx - sin * dy;
                double sy = centre + sin * dx + cos * dy;
                destination[r * size + c] = Sample(source, size, sx, sy);
            }
        }
    }

    /// <summary>The image at (x, y) in pixels, bilinear, zero outside the frame.</summary>
    internal static float Sample(ReadOnlySpan<float> image, int size, double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        double v = 0;
        v += (1 - fx) * (1 - fy) * At(image, size, x0, y0);
        v += fx * (1 - fy) * At(image, size, x0 + 1, y0);
        v += (1 - fx) * fy * At(image, size, x0, y0 + 1);
        v += fx * fy * At(image, size, x0 + 1, y0 + 1);
        return (float)v;
    }

    private static float At(ReadOnlySpan<float> image, int size, int x, int y) =>
        x < 0 || y < 0 || x >= size || y >= size ? 0f : image[y * size + x];
}

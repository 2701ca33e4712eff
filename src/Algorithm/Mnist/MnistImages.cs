using Mbi.Core.Errors;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Mnist;

/// <summary>
/// A set of square grey images with labels, stored flat: image i is
/// <c>Pixels[i*PixelsPerImage .. (i+1)*PixelsPerImage)</c>, row-major, pixels scaled to [0, 1].
/// </summary>
public sealed class MnistImages
{
    private readonly float[] _pixels;
    private readonly byte[] _labels;

    internal MnistImages(float[] pixels, byte[] labels, int side)
    {
        if (side <= 0 || pixels.Length != labels.Length * side * side)
            throw new ArgumentException($"{pixels.Length} pixels do not make {labels.Length} images of {side}x{side}");
        (_pixels, _labels, Side) = (pixels, labels, side);
    }

    /// <summary>Side of every image in pixels.</summary>
    public int Side { get; }
    /// <summary>Pixels per image, Side^2.</summary>
    public int PixelsPerImage => Side * Side;
    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;
    /// <summary>Every image's pixels in [0, 1], image after image.</summary>
    public ReadOnlySpan<float> Pixels => _pixels;
    /// <summary>Every image's label.</summary>
    public ReadOnlySpan<byte> Labels => _labels;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Image(int index) => _pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>The label of image <paramref name="index"/>.</summary>
    public int Label(int index) => _labels[index];

    /// <summary>Builds from raw IDX bytes (0..255) by scaling to [0, 1].</summary>
    public static MnistImages FromBytes(ReadOnlySpan<byte> pixelBytes, byte[] labels, int side)
    {
        var pixels = new float[pixelBytes.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = pixelBytes[i] * (1f / 255f);
        return new MnistImages(pixels, labels, side);
    }

    /// <summary>The images at <paramref name="indices"/>, in that order (a copy).</summary>
    public MnistImages Subset(ReadOnlySpan<int> indices)
    {
        var pixels = new float[indices.Length * PixelsPerImage];
        var labels = new byte[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * PixelsPerImage));
            labels[i] = _labels[indices[i]];
        }
        return new MnistImages(pixels, labels, Side);
    }

    /// <summary>The first <paramref name="count"/> images (a copy), for quick runs and tests.</summary>
    public MnistImages Take(int count)
    {
        if (count <= 0 || count > Count)
            throw BadInputException.For("count", count, $"between 1 and {Count}");
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = i;
        return Subset(indices);
    }

    /// <summary>
    /// Carves a validation split out of this (training) set: a seeded permutation, the first
    /// <paramref name="validationCount"/> images become validation, the rest training. Same seed, same split.
    /// </summary>
    public (MnistImages Train, MnistImages Validation) SplitValidation(int validationCount, ulong seed)
    {
        if (validationCount < 0 || validationCount >= Count)
            throw BadInputException.For("validation_count", validationCount, $"between 0 and {Count - 1}", "5000");
        int[] order = new int[Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new SeededRandom(seed, SeededRandom.StreamId("mnist-validation-split"), 0).Shuffle<int>(order);
        int[] validation = order[..validationCount];
        int[] train = order[validationCount..];
        Array.Sort(validation);
        Array.Sort(train);
        return (Subset(train), Subset(validation));
    }
}

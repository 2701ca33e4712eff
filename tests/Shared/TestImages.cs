using Mbi.Algorithm.Mnist;
using Mbi.Core.Randomness;

namespace Mbi.Tests;

/// <summary>Synthetic 28 x 28 digits-like images for the passes' tests (tests/Shared: compiled into the Algorithm and CoSim tests).</summary>
internal static class TestImages
{
    private const int Side = 28, Border = 3;

    /// <summary>
    /// <paramref name="count"/> random sparse images with a blank border of 3 pixels, so translating them by up to 2 pixels
    /// loses nothing, labelled 0, 1, ..., 9, 0, ...
    /// </summary>
    public static MnistImages Bordered(int count, ulong seed)
    {
        var rng = new SeededRandom(seed, 7, 0);
        var pixels = new float[count * Side * Side];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
            for (int r = Border; r < Side - Border; r++)
                for (int c = Border; c < Side - Border; c++)
                    pixels[(i * Side + r) * Side + c] = rng.NextDouble() < 0.3 ? (float)rng.NextDouble() : 0f;
        }
        return new MnistImages(pixels, labels, Side);
    }

    /// <summary>The images translated by (dx, dy) pixels (x right, y down), zeros shifted in.</summary>
    public static MnistImages Translated(MnistImages images, int dx, int dy)
    {
        int side = images.Side;
        var pixels = new float[images.Count * side * side];
        for (int i = 0; i < images.Count; i++)
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                {
                    int r0 = r - dy, c0 = c - dx;
                    if (r0 >= 0 && r0 < side && c0 >= 0 && c0 < side) pixels[(i * side + r) * side + c] = images.Image(i)[r0 * side + c0];
                }
        return new MnistImages(pixels, images.Labels.ToArray(), side);
    }
}

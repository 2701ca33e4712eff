using Mbi.Core.Errors;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// The contract between the recurrent attention model and memorization-based inference: the shape of
/// one glimpse step's key (quantized patch, 1-bit hidden state, quantized location) and how the sensor
/// makes the patch. A LUT stores this spec so lookup-only inference needs no network.
/// </summary>
public sealed record GlimpseKeySpec
{
    /// <summary>A key spec; every value is checked against its range (a message names the parameter).</summary>
    public GlimpseKeySpec(int patchSize, int scales, int scaleFactor, int patchBits, int hiddenBits,
        int locationLevels, int glimpses, int imageSize = 28, int classes = 10, int patchPool = 1, int coarseGain = 1)
    {
        Check(nameof(patchPool), patchPool, 1, 8);
        Check(nameof(coarseGain), coarseGain, 1, 8);
        Check(nameof(patchSize), patchSize, 1, imageSize);
        Check(nameof(scales), scales, 1, 8);
        Check(nameof(scaleFactor), scaleFactor, 1, 8);
        Check(nameof(patchBits), patchBits, 1, 8);
        Check(nameof(hiddenBits), hiddenBits, 1, 1 << 16);
        Check(nameof(locationLevels), locationLevels, 2, 256);
        Check(nameof(glimpses), glimpses, 1, 64);
        Check(nameof(imageSize), imageSize, 1, 4096);
        Check(nameof(classes), classes, 2, 1000);
        (PatchSize, Scales, ScaleFactor, PatchBits, HiddenBits, LocationLevels, Glimpses, ImageSize, Classes) =
            (patchSize, scales, scaleFactor, patchBits, hiddenBits, locationLevels, glimpses, imageSize, classes);
        PatchPool = patchPool;
        CoarseGain = coarseGain;
    }

    /// <summary>Side of every patch after pooling (g).</summary>
    public int PatchSize { get; }
    /// <summary>Number of patches per glimpse (k), each <see cref="ScaleFactor"/> times wider than the last.</summary>
    public int Scales { get; }
    /// <summary>Width ratio between successive patch scales.</summary>
    public int ScaleFactor { get; }
    /// <summary>Pixels per element of the first patch along each axis (1 = pixel for pixel; no key bit depends on it).</summary>
    public int PatchPool { get; }
    /// <summary>Every patch after the first has its averages multiplied by this (clipped to 1) before quantizing (1 = as they are; no key bit depends on it).</summary>
    public int CoarseGain { get; }
    /// <summary>
    /// The words a table identity and a query fit hash for how the sensor reads the patch: none for the paper's sensor (so
    /// every earlier table keeps its identity), the pool when it is not 1, then a tag ("GAIN" in ASCII) and the gain when
    /// that is not 1.
    /// </summary>
    internal int[] SensorIdentityWords() =>
        [.. PatchPool != 1 ? [PatchPool] : Array.Empty<int>(), .. CoarseGain != 1 ? [CoarseGainTag, CoarseGain] : Array.Empty<int>()];

    private const int CoarseGainTag = 0x4E494147;

    /// <summary>Bits per quantized patch element (levels 0 .. 2^bits - 1).</summary>
    public int PatchBits { get; }
    /// <summary>Length of the binary hidden state.</summary>
    public int HiddenBits { get; }
    /// <summary>Grid points per axis of the quantized location (index 0 is -1, the last is +1).</summary>
    public int LocationLevels { get; }
    /// <summary>Glimpses per image (lookups per image in MBI).</summary>
    public int Glimpses { get; }
    /// <summary>Side of the square input image in pixels (28 for MNIST).</summary>
    public int ImageSize { get; }
    /// <summary>Number of classes (10 for MNIST).</summary>
    public int Classes { get; }

    /// <summary>Quantized patch elements per glimpse: PatchSize^2 x Scales.</summary>
    public int PatchElements => PatchSize * PatchSize * Scales;
    /// <summary>Levels of one patch element, 2^PatchBits.</summary>
    public int PatchLevels => 1 << PatchBits;

    private static void Check(string name, int value, int min, int max)
    {
        if (value < min || value > max)
            throw BadInputException.For(name, value, $"between {min} and {max}");
    }
}

using Mbi.Algorithm.Memorization;
using Mbi.Core.Errors;

namespace Mbi.CoSim.Energy;

/// <summary>
/// What the glimpse sensor computes for one glimpse (Mbi.Algorithm's GlimpseSensor and QuantizedGlimpseSensor): it reads
/// <see cref="Pixels"/> pixel bytes out of the image buffer, adds each into the accumulator of the key element whose
/// pooling block holds it (one <see cref="AccumulatorBits"/>-bit add and register clock per pixel), and turns each of the
/// <see cref="Elements"/> sums into its <see cref="CodeBits"/>-bit code with <see cref="ComparesPerElement"/>
/// compares against constant thresholds (the mean's rounding round(mean x (2^bits - 1)) is a compare of the sum with
/// area x 255 x (j - 1/2) / (2^bits - 1), j = 1 .. 2^bits - 1: no division), the code latched.
/// </summary>
internal sealed record GlimpseSensorCost
{
    /// <summary>Bits of one stored pixel (MNIST's bytes).</summary>
    public const int PixelBits = 8;

    /// <summary>The narrowest accumulator priced: the logic model's 16-bit add.</summary>
    public const int MinAccumulatorBits = 16;

    public GlimpseSensorCost(long pixels, int elements, int comparesPerElement, int accumulatorBits, int codeBits)
    {
        if (pixels < 1) throw BadInputException.For("sensor pixels per glimpse", pixels, ">= 1", "160");
        if (elements < 1) throw BadInputException.For("sensor elements per glimpse", elements, ">= 1", "32");
        if (comparesPerElement < 1) throw BadInputException.For("sensor compares per element", comparesPerElement, ">= 1", "3");
        if (accumulatorBits < MinAccumulatorBits) throw BadInputException.For("sensor accumulator bits", accumulatorBits, $">= {MinAccumulatorBits}", "16");
        if (codeBits < 1) throw BadInputException.For("sensor code bits", codeBits, ">= 1", "2");
        (Pixels, Elements, ComparesPerElement, AccumulatorBits, CodeBits) = (pixels, elements, comparesPerElement, accumulatorBits, codeBits);
    }

    /// <summary>Pixels read per glimpse: the sum over scales of each patch's window, min(w, image side)^2.</summary>
    public long Pixels { get; }
    /// <summary>Key patch elements per glimpse (PatchSize^2 x Scales).</summary>
    public int Elements { get; }
    /// <summary>Threshold compares per element: 2^PatchBits - 1.</summary>
    public int ComparesPerElement { get; }
    /// <summary>Width of an element's accumulator: enough for the sum of its largest pooling block's 8-bit pixels, at least 16.</summary>
    public int AccumulatorBits { get; }
    /// <summary>Bits of an element's code (PatchBits).</summary>
    public int CodeBits { get; }

    /// <summary>
    /// The sensor of <paramref name="spec"/>: scale k's patch is w_k = PatchSize x PatchPool x ScaleFactor^k pixels wide, pooled
    /// by blocks of b_k = PatchPool x ScaleFactor^k pixels per side into PatchSize x PatchSize elements. Pixels read per glimpse:
    /// sum_k min(w_k, ImageSize)^2 (a window wider than the image can read no more than the image; a glimpse hanging off the
    /// image reads zeros there, which need no read, so for it the count is an upper bound). A coarse gain G costs nothing here:
    /// G x mean >= t is mean >= t / G, so it only moves the compares' constants (and the clip to 1 is the top compare's).
    /// </summary>
    public static GlimpseSensorCost Of(GlimpseKeySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        long pixels = 0, largestBlock = 1, block = spec.PatchPool;
        for (int k = 0; k < spec.Scales; k++)
        {
            long width = Math.Min((long)spec.PatchSize * block, spec.ImageSize);
            pixels += width * width;
            largestBlock = Math.Min(block, spec.ImageSize);
            block = Math.Min(block * spec.ScaleFactor, spec.ImageSize); // beyond the image side every block is clipped alike
        }
        return new GlimpseSensorCost(pixels, spec.PatchElements, spec.PatchLevels - 1, AccumulatorBitsFor(largestBlock * largestBlock), spec.PatchBits);
    }

    /// <summary>Bits that hold the sum of <paramref name="blockPixels"/> pixels of <see cref="PixelBits"/> bits (its largest value,
    /// n x 255, in binary), at least <see cref="MinAccumulatorBits"/>.</summary>
    public static int AccumulatorBitsFor(long blockPixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockPixels, 1);
        ulong largest = (ulong)blockPixels * ((1UL << PixelBits) - 1);
        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(largest);
        return Math.Max(MinAccumulatorBits, bits);
    }
}

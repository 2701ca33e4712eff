namespace Mbi.Algorithm.Memorization;

/// <summary>
/// The glimpse sensor with quantization: pixels to patch levels. This is the only sensor work MBI
/// does at inference; it has no learned parameters, so it can be rebuilt from a <see cref="GlimpseKeySpec"/>.
/// </summary>
public interface IQuantizedSensor
{
    /// <summary>The key spec the sensor quantizes to.</summary>
    GlimpseKeySpec Spec { get; }

    /// <summary>
    /// Extracts the glimpse centred at grid location (locationX, locationY) of an ImageSize^2 image with
    /// pixels in [0, 1], pools each scale to PatchSize^2, and writes PatchElements levels in [0, PatchLevels).
    /// </summary>
    void Sense(ReadOnlySpan<float> image, int locationX, int locationY, Span<byte> patchLevels);
}

/// <summary>
/// A trained, quantized recurrent attention model seen as a step function — what distillation records
/// and what mixed MBI falls back to. Key = (patch levels, previous hidden bits, location);
/// value = (next hidden bits, next location; at the last step, the class).
/// </summary>
public interface IGlimpseStepModel
{
    /// <summary>The key spec of the model's steps.</summary>
    GlimpseKeySpec Spec { get; }

    /// <summary>The model's own quantized glimpse sensor.</summary>
    IQuantizedSensor Sensor { get; }

    /// <summary>Hidden bits (0/1 per element) and grid location before the first glimpse.</summary>
    void InitialState(Span<byte> hiddenBits, out int locationX, out int locationY);

    /// <summary>
    /// One deterministic step of the quantized network (the location policy's mean, no sampling).
    /// <paramref name="stepClass"/> is the class the classifier gives if this step is the last one: what the
    /// table stores as the value's class.
    /// </summary>
    void Step(ReadOnlySpan<byte> patchLevels, ReadOnlySpan<byte> hiddenBits, int locationX, int locationY,
        Span<byte> nextHiddenBits, out int nextLocationX, out int nextLocationY, out int stepClass);
}

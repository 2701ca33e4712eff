using Mbi.Algorithm.Memorization;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// The MBI sensor: the glimpse at a grid location, pooled, each element rounded to 2^PatchBits levels.
/// Built from a <see cref="GlimpseKeySpec"/> alone (no learned parameters), so lookup-only inference
/// needs no model. It produces exactly the patch the quantized RAM sees during training.
/// </summary>
public sealed class QuantizedGlimpseSensor : IQuantizedSensor
{
    private readonly GlimpseSensor _sensor;
    private readonly LocationGrid _grid;
    private readonly int _offsetX, _offsetY;
    [ThreadStatic] private static float[]? t_pooled;

    /// <summary>The sensor of <paramref name="spec"/> (it has no learned parameters).</summary>
    public QuantizedGlimpseSensor(GlimpseKeySpec spec) : this(spec, 0, 0) { }

    /// <summary>
    /// The sensor of <paramref name="spec"/> reading the image translated by (<paramref name="offsetX"/>, <paramref name="offsetY"/>)
    /// whole pixels (x right, y down): one pass of <see cref="EvaluationPasses"/>, an address offset of the image buffer.
    /// </summary>
    public QuantizedGlimpseSensor(GlimpseKeySpec spec, int offsetX, int offsetY)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        (_offsetX, _offsetY) = (offsetX, offsetY);
        _sensor = new GlimpseSensor(spec.PatchSize, spec.Scales, spec.ScaleFactor, spec.ImageSize, spec.PatchPool, spec.CoarseGain);
        _grid = new LocationGrid(spec.LocationLevels);
    }

    /// <summary>The key spec it quantizes to.</summary>
    public GlimpseKeySpec Spec { get; }

    /// <summary>Writes the quantized patch levels of the glimpse at grid location (<paramref name="locationX"/>, <paramref name="locationY"/>).</summary>
    public void Sense(ReadOnlySpan<float> image, int locationX, int locationY, Span<byte> patchLevels)
    {
        int pixels = Spec.ImageSize * Spec.ImageSize;
        if (image.Length != pixels)
            throw new ArgumentException($"image has {image.Length} pixels; the spec wants {Spec.ImageSize}x{Spec.ImageSize} = {pixels}", nameof(image));
        if (patchLevels.Length < Spec.PatchElements)
            throw new ArgumentException($"patchLevels holds {patchLevels.Length}; the spec needs {Spec.PatchElements}", nameof(patchLevels));
        if ((uint)locationX >= (uint)Spec.LocationLevels || (uint)locationY >= (uint)Spec.LocationLevels)
            throw new ArgumentOutOfRangeException(nameof(locationX), $"location ({locationX}, {locationY}) is outside the {Spec.LocationLevels}-point grid");

        float[] pooled = t_pooled is { } buffer && buffer.Length >= Spec.PatchElements ? buffer : (t_pooled = new float[Spec.PatchElements]);
        _sensor.Extract(image, _grid.Value(locationX), _grid.Value(locationY), pooled, _offsetX, _offsetY);
        for (int i = 0; i < Spec.PatchElements; i++)
            patchLevels[i] = (byte)Quantizer.Level(pooled[i], Spec.PatchBits);
    }
}

namespace Mbi.Algorithm.Memorization;

/// <summary>How <see cref="ImageCheck.Quantize"/> chooses the int8 weights' scale.</summary>
public enum ImageCheckScale
{
    /// <summary>One scale per class (per output): max |w| of that class's 784 weights maps to 127.</summary>
    PerClass,
    /// <summary>One scale for all 7,840 weights.</summary>
    PerTensor,
}

/// <summary>
/// The image check in fixed point, as the hardware computes it (docs/mbi/learned-gate/image-check, "fixed-point check"):
/// post-training quantization of the float check, deterministic. Weights q[p, c] = round(w[p, c] / s_c) in [-127, 127]
/// (symmetric, round half away from zero; s_c = max |w| / 127 of the class, or of all weights); pixels are the MNIST
/// bytes x[p] in 0..255 (the float pixel x 255, rounded); biases B_c = round(b_c x 255 / s_c) as int32, on the
/// accumulator's scale; each logit is the exact integer sum acc_c = B_c + sum_p x[p] q[p, c] in an int32 accumulator,
/// then scaled once: z_c = acc_c x s_c / 255. No overflow: every partial sum is within |B_c| + 784 x 255 x 127
/// = |B_c| + 25,389,840 (<see cref="ProductSumBound"/>), and the constructor refuses biases that would take that past
/// int.MaxValue, so the int32 sum is exact for any image.
/// </summary>
public sealed partial class ImageCheck
{
    /// <summary>The largest magnitude of an int8 weight (symmetric: -128 is not used).</summary>
    public const int WeightLimit = 127;
    /// <summary>The largest pixel byte.</summary>
    public const int PixelLimit = 255;

    private readonly sbyte[]? _quantized;
    private readonly int[] _quantizedBias = [];
    private readonly float[] _scales = [];

    private ImageCheck(int inputs, int classes, sbyte[] weights, int[] bias, float[] scales)
    {
        if (FixedPointProblem(inputs, classes, weights, bias, scales) is { } problem) throw new ArgumentException(problem);
        (Inputs, Classes, _quantized, _quantizedBias, _scales) = (inputs, classes, weights, bias, scales);
    }

    /// <summary>A fixed-point check: int8 weights (inputs x classes, row-major), int32 biases on the accumulator's scale, one weight scale per class.</summary>
    public static ImageCheck FixedPoint(int inputs, int classes, sbyte[] weights, int[] bias, float[] scales) =>
        new(inputs, classes, weights, bias, scales);

    /// <summary>Bits per weight: 32 (float32) or 8 (int8, fixed point).</summary>
    public int WeightBits => _quantized is null ? 32 : 8;
    /// <summary>The int8 weights, inputs x classes, row-major (empty for a float32 check).</summary>
    public ReadOnlySpan<sbyte> QuantizedWeights => _quantized;
    /// <summary>The int32 biases on the accumulator's scale (empty for a float32 check).</summary>
    public ReadOnlySpan<int> QuantizedBias => _quantizedBias;
    /// <summary>Per class, the weight scale s_c: weight = q x s_c, logit = accumulator x s_c / 255 (empty for a float32 check).</summary>
    public ReadOnlySpan<float> Scales => _scales;

    /// <summary>
    /// Bytes the check's parameters take: float32, 4 per weight and bias; fixed point, 1 per weight, 4 per int32 bias and
    /// 4 per float32 scale.
    /// </summary>
    public long StorageBytes => _quantized is null ? 4L * (_weights.Length + _bias.Length)
        : _quantized.Length + 4L * _quantizedBias.Length + 4L * _scales.Length;

    /// <summary>The largest |sum of products| over <paramref name="inputs"/> pixels: inputs x 255 x 127 (25,389,840 for 784).</summary>
    public static long ProductSumBound(int inputs) => (long)inputs * PixelLimit * WeightLimit;

    /// <summary>
    /// Why these fixed-point parameters are not a check (sizes, weights outside [-127, 127], scales not finite and &gt; 0,
    /// a bias that could overflow the int32 accumulator), or null when they are.
    /// </summary>
    public static string? FixedPointProblem(int inputs, int classes, sbyte[]? weights, int[]? bias, float[]? scales)
    {
        if (inputs < 1 || classes < 2) return $"{inputs} inputs, {classes} classes";
        if (weights is null || bias is null || scales is null || weights.Length != (long)inputs * classes || bias.Length != classes || scales.Length != classes)
            return $"{weights?.Length ?? 0} int8 weights, {bias?.Length ?? 0} int32 biases and {scales?.Length ?? 0} scales for {inputs} x {classes}";
        if (Array.IndexOf(weights, sbyte.MinValue) is int at and >= 0) return $"int8 weight {at} is -128; symmetric weights are in [-127, 127]";
        for (int c = 0; c < classes; c++)
        {
            if (!(scales[c] > 0 && float.IsFinite(scales[c]))) return $"scale {c} is {scales[c]}; it must be finite and > 0";
            if (Math.Abs((long)bias[c]) + ProductSumBound(inputs) > int.MaxValue)
                return $"int32 bias {c} is {bias[c]}; with {inputs} products of up to 255 x 127 its accumulator could pass {int.MaxValue}";
        }
        return null;
    }

    /// <summary>
    /// The fixed-point check of this float check (post-training quantization, deterministic): weights to int8 with
    /// <paramref name="scale"/>, biases to int32 on each logit's accumulator scale.
    /// </summary>
    public ImageCheck Quantize(ImageCheckScale scale)
    {
        if (_quantized is not null) throw new InvalidOperationException("the check is already fixed point");
        var classMax = new double[Classes];
        for (int k = 0; k < _weights.Length; k++) classMax[k % Classes] = Math.Max(classMax[k % Classes], Math.Abs(_weights[k]));
        double tensorMax = classMax.Max();
        var scales = new float[Classes];
        for (int c = 0; c < Classes; c++)
        {
            double max = scale == ImageCheckScale.PerClass ? classMax[c] : tensorMax;
            scales[c] = max > 0 ? (float)(max / WeightLimit) : 1f; // all-zero weights: any scale gives q = 0
        }
        var q = new sbyte[_weights.Length];
        for (int p = 0; p < Inputs; p++)
            for (int c = 0; c < Classes; c++)
            {
                double v = Math.Round(_weights[p * Classes + c] / (double)scales[c], MidpointRounding.AwayFromZero);
                q[p * Classes + c] = (sbyte)Math.Clamp(v, -WeightLimit, WeightLimit); // |w| <= max: only a float rounding can reach 127 + tiny
            }
        var bias = new int[Classes];
        for (int c = 0; c < Classes; c++)
        {
            double b = Math.Round(_bias[c] * (double)PixelLimit / scales[c], MidpointRounding.AwayFromZero);
            if (Math.Abs(b) + ProductSumBound(Inputs) > int.MaxValue)
                throw new Mbi.Core.Errors.MbiException($"the image check's bias {c} ({_bias[c]}) is {b} on its accumulator's scale; it does not fit an int32 accumulator beside {Inputs} products; keep the float32 check.");
            bias[c] = (int)b;
        }
        return new ImageCheck(Inputs, Classes, q, bias, scales);
    }

    /// <summary>The pixel byte of a float pixel in [0, 1] (MNIST's x / 255 gives back x exactly).</summary>
    public static int PixelByte(float pixel)
    {
        if (!(pixel >= 0 && pixel <= 1)) throw new ArgumentException($"a pixel of {pixel}; the fixed-point check reads pixels in [0, 1] (bytes 0..255)", nameof(pixel));
        return (int)MathF.Round(pixel * PixelLimit, MidpointRounding.AwayFromZero);
    }

    /// <summary>The int32 accumulators of one image: acc_c = B_c + sum_p x[p] q[p, c], exact (no overflow: <see cref="FixedPointProblem"/>).</summary>
    public void Accumulators(ReadOnlySpan<float> image, Span<int> accumulators)
    {
        if (_quantized is null) throw new InvalidOperationException("a float32 check has no integer accumulators");
        if (image.Length != Inputs) throw new ArgumentException($"an image of {image.Length} pixels; the check reads {Inputs}", nameof(image));
        for (int c = 0; c < Classes; c++) accumulators[c] = _quantizedBias[c];
        for (int p = 0; p < Inputs; p++)
        {
            int x = PixelByte(image[p]);
            if (x == 0) continue;
            int row = p * Classes;
            for (int c = 0; c < Classes; c++) accumulators[c] += x * _quantized[row + c];
        }
    }

    private void FixedPointLogits(ReadOnlySpan<float> image, Span<double> logits)
    {
        Span<int> acc = stackalloc int[Classes];
        Accumulators(image, acc);
        for (int c = 0; c < Classes; c++) logits[c] = acc[c] * ((double)_scales[c] / PixelLimit);
    }
}

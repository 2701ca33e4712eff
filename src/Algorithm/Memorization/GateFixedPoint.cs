namespace Mbi.Algorithm.Memorization;

/// <summary>
/// The learned gate's logistic regression in fixed point, as the energy model prices it (8-bit multiplies; docs/mbi/learned-gate/
/// fixed-point): post-training quantization of the fitted regression, deterministic, from its fit set alone.
/// <list type="bullet">
/// <item>The standardisation is folded into raw-feature weights w_j = beta_j / sd_j (0 for a constant feature) and a bias
/// b = beta_0 - sum_j w_j mean_j.</item>
/// <item>Each feature is an 8-bit code on its own scale: s_j = m_j / L with m_j its largest |value| on the fit set and
/// L = 255 for a feature of one sign there (codes 0..255, or -255..0) or 127 for one of both signs (-127..127);
/// code q_j = round(x_j / s_j) clamped to that range (a value past the fit set's saturates). A 0/1 flag becomes 0 or 255.</item>
/// <item>Weights share one scale S: S = max_j |w_j s_j| / 127, q_w,j = round(w_j s_j / S) in [-127, 127], so every product
/// q_j q_w,j is on the scale S and they add exactly.</item>
/// <item>The weights' rounding moves every score by sum_j (w_j - q_w,j S / s_j) x_j; its value at the fit set's mean features
/// is folded into the bias (bias correction), which is B = round((b + sum_j (w_j - q_w,j S / s_j) mean_j) / S), an integer
/// on the accumulator's scale.</item>
/// <item>The score is -(B + sum_j q_j q_w,j) x S (the negated log-odds, as the float gate's), summed exactly in a 64-bit
/// integer; <see cref="AccumulatorBits"/> says how wide a hardware accumulator must be for any input.</item>
/// </list>
/// Rounding is half away from zero.
/// </summary>
public sealed class GateFixedPoint
{
    /// <summary>Bits of a feature code and of a weight.</summary>
    public const int Bits = 8;
    /// <summary>The largest |code| of a feature of one sign on the fit set.</summary>
    public const int OneSignedLimit = 255;
    /// <summary>The largest |code| of a feature of both signs on the fit set.</summary>
    public const int SignedLimit = 127;
    /// <summary>The largest |weight| (symmetric int8: -128 is not used).</summary>
    public const int WeightLimit = 127;

    private readonly double[] _scales;
    private readonly int[] _codeMin;
    private readonly int[] _codeMax;
    private readonly sbyte[] _weights;

    private GateFixedPoint(double[] scales, int[] codeMin, int[] codeMax, sbyte[] weights, long bias, double productScale)
    {
        if (Problem(scales, codeMin, codeMax, weights, bias, productScale) is { } problem) throw new ArgumentException(problem);
        (_scales, _codeMin, _codeMax, _weights, Bias, ProductScale) = (scales, codeMin, codeMax, weights, bias, productScale);
    }

    /// <summary>A gate in fixed point from its parameters (as a gate file holds them); refused when <see cref="Problem"/> names one.</summary>
    public static GateFixedPoint From(double[] scales, int[] codeMin, int[] codeMax, sbyte[] weights, long bias, double productScale) =>
        new(scales, codeMin, codeMax, weights, bias, productScale);

    /// <summary>Features (and weights).</summary>
    public int Count => _weights.Length;
    /// <summary>Per feature, the value of one code step s_j (the feature's units).</summary>
    public ReadOnlySpan<double> Scales => _scales;
    /// <summary>Per feature, the smallest code (0, -255 or -127).</summary>
    public ReadOnlySpan<int> CodeMin => _codeMin;
    /// <summary>Per feature, the largest code (0, 255 or 127).</summary>
    public ReadOnlySpan<int> CodeMax => _codeMax;
    /// <summary>Per feature, its int8 weight.</summary>
    public ReadOnlySpan<sbyte> Weights => _weights;
    /// <summary>The bias on the accumulator's scale (bias-corrected).</summary>
    public long Bias { get; }
    /// <summary>S: the log-odds of one accumulator step.</summary>
    public double ProductScale { get; }

    /// <summary>The largest |accumulator| any input can give: |B| + sum_j max(|code min|, |code max|) x |weight|.</summary>
    public long AccumulatorBound
    {
        get
        {
            long bound = Math.Abs(Bias);
            for (int j = 0; j < _weights.Length; j++) bound += Math.Max(Math.Abs(_codeMin[j]), Math.Abs(_codeMax[j])) * (long)Math.Abs(_weights[j]);
            return bound;
        }
    }

    /// <summary>Bits of a two's-complement accumulator that holds every partial sum for any input (sign included).</summary>
    public int AccumulatorBits => BitsFor(AccumulatorBound);

    private static int BitsFor(long bound) => 1 + (bound == 0 ? 0 : 64 - (int)ulong.LeadingZeroCount((ulong)bound));

    /// <summary>
    /// Quantizes <paramref name="model"/> with the ranges and means of its fit set <paramref name="features"/> (row-major, one row of
    /// the model's feature count per fit image, the rows it was fitted on).
    /// </summary>
    internal static GateFixedPoint Quantize(RidgeLogisticRegression model, ReadOnlySpan<double> features)
    {
        int p = model.Means.Length;
        if (p == 0 || features.Length == 0 || features.Length % p != 0)
            throw new ArgumentException($"{features.Length} feature values are not rows of {p}", nameof(features));
        int n = features.Length / p;
        var lo = new double[p];
        var hi = new double[p];
        Array.Fill(lo, double.PositiveInfinity);
        Array.Fill(hi, double.NegativeInfinity);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++)
            {
                double v = features[i * p + j];
                if (v < lo[j]) lo[j] = v;
                if (v > hi[j]) hi[j] = v;
            }
        var scales = new double[p];
        var codeMin = new int[p];
        var codeMax = new int[p];
        var w = new double[p];
        double b = model.Beta[0], largest = 0;
        for (int j = 0; j < p; j++)
        {
            bool oneSigned = lo[j] >= 0 || hi[j] <= 0;
            int limit = oneSigned ? OneSignedLimit : SignedLimit;
            double m = Math.Max(Math.Abs(lo[j]), Math.Abs(hi[j]));
            scales[j] = m > 0 ? m / limit : 1;
            codeMin[j] = lo[j] >= 0 ? 0 : -limit;
            codeMax[j] = hi[j] <= 0 ? 0 : limit;
            w[j] = model.Deviations[j] > 0 ? model.Beta[j + 1] / model.Deviations[j] : 0;
            b -= w[j] * model.Means[j];
            largest = Math.Max(largest, Math.Abs(w[j] * scales[j]));
        }
        // No weight at all (every feature constant): one accumulator step is the bias's own size, or 1.
        double productScale = largest > 0 ? largest / WeightLimit : Math.Max(Math.Abs(b), 1);
        var weights = new sbyte[p];
        double shift = 0;
        for (int j = 0; j < p; j++)
        {
            weights[j] = (sbyte)Math.Round(w[j] * scales[j] / productScale, MidpointRounding.AwayFromZero);
            shift += (w[j] - weights[j] * productScale / scales[j]) * model.Means[j];
        }
        double scaledBias = Math.Round((b + shift) / productScale, MidpointRounding.AwayFromZero);
        // A bias far larger than every term (a gate that barely reads its features) would not fit a 32-bit accumulator.
        if (!(Math.Abs(scaledBias) <= int.MaxValue) || Problem(scales, codeMin, codeMax, weights, (long)scaledBias, productScale) is not null)
            throw new Mbi.Core.Errors.MbiException($"the learned gate's bias is {scaledBias:G6} steps of its largest term's scale; it does not fit a 32-bit " +
                "accumulator beside its 8-bit products; keep the regression in double (--gate-bits 64).");
        return new GateFixedPoint(scales, codeMin, codeMax, weights, (long)scaledBias, productScale);
    }

    /// <summary>Feature <paramref name="j"/>'s code for <paramref name="value"/>: round(value / s_j) clamped to its range.</summary>
    public int Code(int j, double value) =>
        (int)Math.Clamp(Math.Round(value / _scales[j], MidpointRounding.AwayFromZero), _codeMin[j], _codeMax[j]);

    /// <summary>The exact integer accumulator B + sum_j q_j q_w,j for raw features <paramref name="x"/>.</summary>
    public long Accumulate(ReadOnlySpan<double> x)
    {
        if (x.Length != _weights.Length) throw new ArgumentException($"{x.Length} features for a gate of {_weights.Length}", nameof(x));
        long acc = Bias;
        for (int j = 0; j < x.Length; j++) acc += (long)Code(j, x[j]) * _weights[j];
        return acc;
    }

    /// <summary>The gate's score for raw features <paramref name="x"/>: -accumulator x S (negated log-odds).</summary>
    public double Score(ReadOnlySpan<double> x) => -Accumulate(x) * ProductScale;

    /// <summary>
    /// Why these parameters are not a fixed-point gate (sizes; a scale or S not finite and &gt; 0; a code range other than
    /// 0..255, -255..0 or -127..127 (or 0..0); a weight outside [-127, 127]; an accumulator wider than 32 bits), or null when they are.
    /// </summary>
    public static string? Problem(double[]? scales, int[]? codeMin, int[]? codeMax, sbyte[]? weights, long bias, double productScale)
    {
        if (scales is null || codeMin is null || codeMax is null || weights is null || weights.Length == 0
            || scales.Length != weights.Length || codeMin.Length != weights.Length || codeMax.Length != weights.Length)
            return $"{scales?.Length ?? 0} scales, {codeMin?.Length ?? 0} code minima, {codeMax?.Length ?? 0} code maxima and {weights?.Length ?? 0} weights (one of each per feature, at least one)";
        if (!(productScale > 0 && double.IsFinite(productScale))) return $"product scale {productScale}; it must be finite and > 0";
        long bound = Math.Abs(bias);
        for (int j = 0; j < weights.Length; j++)
        {
            if (!(scales[j] > 0 && double.IsFinite(scales[j]))) return $"feature {j + 1}'s scale is {scales[j]}; it must be finite and > 0";
            bool valid = (codeMin[j], codeMax[j]) is (0, OneSignedLimit) or (-OneSignedLimit, 0) or (-SignedLimit, SignedLimit) or (0, 0);
            if (!valid) return $"feature {j + 1}'s codes run {codeMin[j]}..{codeMax[j]}; they run 0..255, -255..0 or -127..127";
            if (weights[j] == sbyte.MinValue) return $"feature {j + 1}'s weight is -128; symmetric weights are in [-127, 127]";
            bound += Math.Max(Math.Abs(codeMin[j]), Math.Abs(codeMax[j])) * (long)Math.Abs(weights[j]);
        }
        if (bound > int.MaxValue) return $"bias {bias}: with these weights the accumulator could pass {int.MaxValue} (32 bits)";
        return null;
    }
}

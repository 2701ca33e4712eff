using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using Mbi.Core.Progress;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Memorization;

/// <summary>
/// The learned gate's image check (docs/mbi/learned-gate/image-check): a linear classifier on the raw pixels (784 inputs,
/// 10 classes, 7,840 multiply-adds per image), trained on the training split only. It gives the gate evidence that the
/// lookup chain does not have: the chain's errors come from a neighbour's state handed on, and its own final state agrees
/// with its class (a readout of it agrees 99.9 %), whereas this classifier reads the image itself (92 % alone). The gate
/// reads three numbers from its logits z, none needing an exponential: z[lookups' class] - max z, [argmax z = lookups'
/// class], and max z minus the second largest. Training: softmax cross-entropy by minibatch SGD (batch 100, 15 epochs,
/// rate 0.5 x 0.8^epoch, L2 1e-5), the image order drawn from the seed, one thread: the same seed gives the same weights.
/// Weights are stored as float32 (inputs x classes, row-major, then the biases); logits are summed in double. Or, after
/// <see cref="Quantize"/>, in fixed point as the hardware computes them (ImageCheck.FixedPoint.cs): int8 weights, the
/// pixels as unsigned bytes, exact int32 sums, one scale per logit (<see cref="WeightBits"/> tells which).
/// </summary>
public sealed partial class ImageCheck
{
    /// <summary>Features the check adds to the learned gate.</summary>
    public const int FeatureCount = 3;
    /// <summary>Their names, in order.</summary>
    public static readonly IReadOnlyList<string> FeatureNames = ["chk_zcls-zmax", "[chk=cls]", "chk_z1-z2"];
    /// <summary>How the gate file names this kind of check.</summary>
    public const string Kind = "linear classifier on the raw pixels";

    private const int Epochs = 15, Batch = 100;
    private const double Rate = 0.5, RateDecay = 0.8, L2 = 1e-5;
    private readonly float[] _weights = [];
    private readonly float[] _bias = [];

    /// <summary>A check with the given weights (<paramref name="inputs"/> x <paramref name="classes"/>, row-major) and biases.</summary>
    public ImageCheck(int inputs, int classes, float[] weights, float[] bias)
    {
        if (inputs < 1 || classes < 2) throw new ArgumentException($"{inputs} inputs, {classes} classes");
        if (weights.Length != inputs * classes || bias.Length != classes)
            throw new ArgumentException($"{weights.Length} weights and {bias.Length} biases for {inputs} x {classes}");
        (Inputs, Classes, _weights, _bias) = (inputs, classes, weights, bias);
    }

    /// <summary>Pixels read per image.</summary>
    public int Inputs { get; }
    /// <summary>Classes scored.</summary>
    public int Classes { get; }
    /// <summary>Multiply-adds per image (inputs x classes).</summary>
    public long MultiplyAdds => (long)Inputs * Classes;
    /// <summary>The float32 weights, inputs x classes, row-major (empty for a fixed-point check: <see cref="QuantizedWeights"/>).</summary>
    public ReadOnlySpan<float> Weights => _weights;
    /// <summary>The float32 biases, one per class (empty for a fixed-point check: <see cref="QuantizedBias"/>).</summary>
    public ReadOnlySpan<float> Bias => _bias;

    /// <summary>Trains the check on <paramref name="train"/> (never the validation or test images).</summary>
    public static ImageCheck Train(MnistImages train, ulong seed, IProgress<ProgressUpdate>? progress = null)
    {
        if (train.Count < 1) throw new BadInputException("the image check needs training images; none were given.");
        int inputs = train.Side * train.Side, classes = 10;
        var w = new double[inputs * classes];
        var b = new double[classes];
        var gw = new double[w.Length];
        var gb = new double[classes];
        var z = new double[classes];
        var order = Enumerable.Range(0, train.Count).ToArray();
        var rng = new SeededRandom(seed, SeededRandom.StreamId("image-check"), 0);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            rng.Shuffle<int>(order);
            double rate = Rate * Math.Pow(RateDecay, epoch);
            for (int start = 0; start < order.Length; start += Batch)
            {
                int size = Math.Min(Batch, order.Length - start);
                Array.Clear(gw);
                Array.Clear(gb);
                for (int k = start; k < start + size; k++)
                {
                    var image = train.Image(order[k]);
                    LogitsOf(image, w, b, classes, z);
                    Softmax(z);
                    z[train.Labels[order[k]]] -= 1;
                    for (int c = 0; c < classes; c++) gb[c] += z[c];
                    for (int p = 0; p < inputs; p++)
                    {
                        float v = image[p];
                        if (v == 0) continue;
                        for (int c = 0; c < classes; c++) gw[p * classes + c] += z[c] * v;
                    }
                }
                for (int k = 0; k < w.Length; k++) w[k] -= rate * (gw[k] / size + L2 * w[k]);
                for (int c = 0; c < classes; c++) b[c] -= rate * (gb[c] / size + L2 * b[c]);
            }
            progress?.Report(new ProgressUpdate("image check", epoch + 1, Epochs));
        }
        return new ImageCheck(inputs, classes, [.. w.Select(v => (float)v)], [.. b.Select(v => (float)v)]);
    }

    /// <summary>The logits of one image into <paramref name="logits"/> (<see cref="Classes"/> long).</summary>
    public void Logits(ReadOnlySpan<float> image, Span<double> logits)
    {
        if (image.Length != Inputs) throw new ArgumentException($"an image of {image.Length} pixels; the check reads {Inputs}", nameof(image));
        if (_quantized is not null)
        {
            FixedPointLogits(image, logits);
            return;
        }
        for (int c = 0; c < Classes; c++) logits[c] = _bias[c];
        for (int p = 0; p < Inputs; p++)
        {
            float v = image[p];
            if (v == 0) continue;
            for (int c = 0; c < Classes; c++) logits[c] += (double)_weights[p * Classes + c] * v;
        }
    }

    /// <summary>The check's class of every image (argmax of the logits, ties to the lower class).</summary>
    public int[] Classify(MnistImages images)
    {
        var z = new double[Classes];
        var classes = new int[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            Logits(images.Image(i), z);
            classes[i] = Argmax(z);
        }
        return classes;
    }

    /// <summary>The gate's three features of one image whose lookups gave <paramref name="lookupClass"/>.</summary>
    public void Features(ReadOnlySpan<float> image, int lookupClass, Span<double> destination)
    {
        Span<double> z = stackalloc double[Classes];
        Logits(image, z);
        int best = Argmax(z);
        double second = double.NegativeInfinity;
        for (int c = 0; c < Classes; c++) if (c != best && z[c] > second) second = z[c];
        destination[0] = z[lookupClass] - z[best];
        destination[1] = best == lookupClass ? 1 : 0;
        destination[2] = z[best] - second;
    }

    private static void LogitsOf(ReadOnlySpan<float> image, double[] w, double[] b, int classes, double[] z)
    {
        for (int c = 0; c < classes; c++) z[c] = b[c];
        for (int p = 0; p < image.Length; p++)
        {
            float v = image[p];
            if (v == 0) continue;
            for (int c = 0; c < classes; c++) z[c] += w[p * classes + c] * v;
        }
    }

    private static void Softmax(double[] z)
    {
        double max = z.Max(), sum = 0;
        for (int c = 0; c < z.Length; c++) sum += z[c] = Math.Exp(z[c] - max);
        for (int c = 0; c < z.Length; c++) z[c] /= sum;
    }

    private static int Argmax(ReadOnlySpan<double> z)
    {
        int best = 0;
        for (int c = 1; c < z.Length; c++) if (z[c] > z[best]) best = c;
        return best;
    }
}

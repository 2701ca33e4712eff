using System.Numerics.Tensors;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Numerics;

namespace Mbi.Algorithm.Ram;

/// <summary>The transposed weights the backward pass multiplies by (dx = dy·Wᵀ), refreshed once per update and shared read-only by every worker.</summary>
internal sealed class RamTransposes
{
    private readonly RamLayout _layout;

    public RamTransposes(RamLayout layout)
    {
        _layout = layout;
        U = new float[layout.U.Length]; V = new float[layout.V.Length];
        W3 = new float[layout.W3.Length]; W4 = new float[layout.W4.Length]; WC = new float[layout.WC.Length];
        WK = new float[layout.WK.Length];
        Extra = layout.Extra.Select(e => new float[e.Length]).ToArray();
    }

    public float[] U { get; }
    public float[] V { get; }
    public float[] W3 { get; }
    public float[] W4 { get; }
    public float[] WC { get; }
    /// <summary>The classifier's hidden layer (empty without one).</summary>
    public float[] WK { get; }
    public float[][] Extra { get; }

    public void Update(ReadOnlySpan<float> w)
    {
        Transpose(w, _layout.U, U); Transpose(w, _layout.V, V);
        Transpose(w, _layout.W3, W3); Transpose(w, _layout.W4, W4); Transpose(w, _layout.WC, WC);
        if (WK.Length > 0) Transpose(w, _layout.WK, WK);
        for (int j = 0; j < Extra.Length; j++) Transpose(w, _layout.Extra[j], Extra[j]);
    }

    private static void Transpose(ReadOnlySpan<float> w, ParameterSlice slice, float[] into) =>
        Gemm.Transpose(slice.Of(w), slice.Rows, slice.Cols, into);
}

/// <summary>What one block's forward pass scored: summed cross-entropy, correct count, summed baseline squared error.</summary>
internal readonly record struct BlockLoss(double CrossEntropy, int Correct, double BaselineSquaredError, int Rows);

internal sealed partial class RamNetwork
{
    private readonly float[] _softStudent;
    private readonly float[] _dHidden, _dPrevious, _dPre, _dActivation, _dFeatures, _dGlimpseHidden, _dLocationHidden, _dMean, _dBaseline, _dLogits;

    private void AllocateBackward(out float[] dHidden, out float[] dPrevious, out float[] dPre, out float[] dActivation,
        out float[] dFeatures, out float[] dGlimpseHidden, out float[] dLocationHidden, out float[] dMean, out float[] dBaseline, out float[] dLogits)
    {
        int cap = Capacity, h = _config.Hidden;
        dHidden = new float[cap * h]; dPrevious = new float[cap * h]; dPre = new float[cap * _coreStride]; dActivation = new float[cap * _coreStride];
        dFeatures = new float[cap * _config.GlimpseFeatures];
        dGlimpseHidden = new float[cap * _config.GlimpseHidden];
        dLocationHidden = new float[cap * _config.LocationHidden];
        dMean = new float[cap * 2]; dBaseline = new float[cap]; dLogits = new float[cap * _config.Classes];
    }

    /// <summary>
    /// Backpropagates the hybrid loss of the last <see cref="Forward"/> and adds its gradient, times
    /// <paramref name="scale"/> (1 / batch size), into <paramref name="gradient"/>:
    /// cross-entropy of the classifier; REINFORCE -sum_t log pi(l_{t+1} | h_t) (R - b_t) with reward R = 1
    /// for a correct class, weighted by <paramref name="reinforceWeight"/>; and sum_t (b_t - R)^2 for the baseline.
    /// The location and baseline heads see h_t detached (their gradients stop at h_t), as is usual for RAM.
    /// With <paramref name="distillation"/>, the classifier's loss is (1 - a) CE + a T^2 KL(q || softmax(z / T))
    /// against the teacher's distribution q of each image (indexed like <paramref name="images"/>); the reward stays the label's.
    /// The cross-entropy returned is always the label's. With <paramref name="gradedReward"/> R is the classifier's
    /// probability of the label instead of 1 / 0 (the baseline regresses on the same R).
    /// </summary>
    public BlockLoss Backward(ReadOnlySpan<float> w, RamTransposes wt, MnistImages images, ReadOnlySpan<int> indices,
        float scale, float reinforceWeight, float[] gradient, Distillation? distillation = null, bool gradedReward = false)
    {
        var c = _config;
        var l = _layout;
        int rows = indices.Length, h = c.Hidden, classes = c.Classes;
        double crossEntropy = 0, baselineError = 0;
        int correct = 0;

        // Classifier.
        Span<float> dLogits = _dLogits.AsSpan(0, rows * classes);
        for (int i = 0; i < rows; i++)
        {
            int label = images.Label(indices[i]);
            Span<float> d = dLogits.Slice(i * classes, classes);
            _probabilities.AsSpan(i * classes, classes).CopyTo(d);
            crossEntropy -= Math.Log(Math.Max(d[label], 1e-30f));
            d[label] -= 1f;
            if (distillation is { } kd) Distil(kd, _logits.AsSpan(i * classes, classes), indices[i], d);
            TensorPrimitives.Multiply(d, scale, d);
            if (_predictions[i] == label) correct++;
        }
        // Classifier: logits = x·Wc + bc, where x is the hidden layer k = ReLU(input·Wk + bk) when there is one, else the input.
        ReadOnlySpan<float> input = ClassifierInput(_steps - 1, rows);
        Span<float> dh = _dHidden.AsSpan(0, rows * h);
        // With the core-features head the classifier's input gradient is the first core layer's (its width, in _dActivation).
        bool coreFeaturesHead = c.HeadInput == HeadInput.CoreFeatures;
        int inputWidth = c.HeadInputWidth;
        Span<float> dInput = coreFeaturesHead ? _dActivation.AsSpan(0, rows * inputWidth) : dh;
        int k = c.HeadHidden;
        ReadOnlySpan<float> head = _head.AsSpan(0, rows * k);
        WeightGradient(k > 0 ? head : input, dLogits, rows, l.WC, gradient);
        Gemm.AddColumnSums(dLogits, rows, classes, l.BC.Of(gradient));
        if (k > 0)
        {
            Span<float> dHead = _dHead.AsSpan(0, rows * k);
            Gemm.Multiply(rows, k, classes, dLogits, classes, 1, wt.WC, k, dHead, k, accumulate: false);
            ReluGate(head, dHead);
            WeightGradient(input, dHead, rows, l.WK, gradient);
            Gemm.AddColumnSums(dHead, rows, k, l.BK.Of(gradient));
            Gemm.Multiply(rows, inputWidth, k, dHead, k, 1, wt.WK, inputWidth, dInput, inputWidth, accumulate: false);
        }
        else
            Gemm.Multiply(rows, inputWidth, classes, dLogits, classes, 1, wt.WC, inputWidth, dInput, inputWidth, accumulate: false);
        // With the pre-activation head the last step's gradient enters below its quantizer: no straight-through gate.
        bool preActivationHead = c.HeadInput == HeadInput.PreActivation;

        for (int t = _steps - 1; t >= 0; t--)
        {
            ReadOnlySpan<float> ht = Hidden(t, rows);
            if (t < _steps - 1)
                baselineError += PolicyAndBaseline(t, rows, ht, images, indices, scale, reinforceWeight, gradient, gradedReward);

            // Core layers, last to first. The core-features head reads layer 0 at the last step: the layers above it feed nothing there.
            Span<float> dz = _dPre.AsSpan(0, rows * h);
            int top = _layers - 1;
            if (t == _steps - 1 && coreFeaturesHead)
            {
                dz = _dPre.AsSpan(0, rows * inputWidth);
                Gate(CoreSlice(_corePre, t, 0, rows), dInput, dz, LayerBits(0));
                top = 0;
            }
            else if (t == _steps - 1 && preActivationHead) dh.CopyTo(dz);
            else Gate(CoreSlice(_corePre, t, _layers - 1, rows), dh, dz, LayerBits(_layers - 1));
            // A flipped bit is 1 - q(pre): its straight-through derivative changes sign; a looked-up state has none.
            if (_signed && t < _steps - 1) TensorPrimitives.Multiply(dz, Block(_flipSign, t, rows, h), dz);
            for (int j = top; j >= 1; j--)
            {
                int wOut = c.CoreLayerWidth(j), wIn = c.CoreLayerWidth(j - 1);
                WeightGradient(CoreSlice(_core, t, j - 1, rows), dz, rows, l.Extra[j - 1], gradient);
                Gemm.AddColumnSums(dz, rows, wOut, l.ExtraBias[j - 1].Of(gradient));
                Span<float> da = _dActivation.AsSpan(0, rows * wIn);
                Gemm.Multiply(rows, wIn, wOut, dz, wOut, 1, wt.Extra[j - 1], wIn, da, wIn, accumulate: false);
                dz = _dPre.AsSpan(0, rows * wIn);
                Gate(CoreSlice(_corePre, t, j - 1, rows), da, dz, LayerBits(j - 1));
            }
            int w0 = c.CoreLayerWidth(0);
            Gemm.AddColumnSums(dz, rows, w0, l.BH.Of(gradient));
            ReadOnlySpan<float> g = Block(_features, t, rows, c.GlimpseFeatures);
            WeightGradient(g, dz, rows, l.V, gradient);
            Span<float> dPrevious = _dPrevious.AsSpan(0, rows * h);
            if (t > 0)
            {
                WeightGradient(_lastReplaced && t == _steps - 1 ? _lastPrevious.AsSpan(0, rows * h) : Hidden(t - 1, rows), dz, rows, l.U, gradient);
                Gemm.Multiply(rows, h, w0, dz, w0, 1, wt.U, h, dPrevious, h, accumulate: false);
            }

            // Glimpse network.
            Span<float> dg = _dFeatures.AsSpan(0, rows * c.GlimpseFeatures);
            Gemm.Multiply(rows, c.GlimpseFeatures, w0, dz, w0, 1, wt.V, c.GlimpseFeatures, dg, c.GlimpseFeatures, accumulate: false);
            ReluGate(g, dg);
            ReadOnlySpan<float> hg = Block(_glimpseHidden, t, rows, c.GlimpseHidden);
            ReadOnlySpan<float> hl = Block(_locationHidden, t, rows, c.LocationHidden);
            WeightGradient(hg, dg, rows, l.W3, gradient);
            WeightGradient(hl, dg, rows, l.W4, gradient);
            Gemm.AddColumnSums(dg, rows, c.GlimpseFeatures, l.B3.Of(gradient));

            Span<float> dhg = _dGlimpseHidden.AsSpan(0, rows * c.GlimpseHidden);
            Gemm.Multiply(rows, c.GlimpseHidden, c.GlimpseFeatures, dg, c.GlimpseFeatures, 1, wt.W3, c.GlimpseHidden, dhg, c.GlimpseHidden, accumulate: false);
            ReluGate(hg, dhg);
            WeightGradient(Block(_patch, t, rows, c.PatchElements), dhg, rows, l.W1, gradient);
            Gemm.AddColumnSums(dhg, rows, c.GlimpseHidden, l.B1.Of(gradient));

            Span<float> dhl = _dLocationHidden.AsSpan(0, rows * c.LocationHidden);
            Gemm.Multiply(rows, c.LocationHidden, c.GlimpseFeatures, dg, c.GlimpseFeatures, 1, wt.W4, c.LocationHidden, dhl, c.LocationHidden, accumulate: false);
            ReluGate(hl, dhl);
            WeightGradient(Block(_location, t, rows, 2), dhl, rows, l.W2, gradient);
            Gemm.AddColumnSums(dhl, rows, c.LocationHidden, l.B2.Of(gradient));

            if (t > 0) dPrevious.CopyTo(dh);
        }
        return new BlockLoss(crossEntropy, correct, baselineError, rows);
    }

    /// <summary>d = (1 - a) d + a T (softmax(z / T) - q): the soft-target gradient on the logits z of one image.</summary>
    private void Distil(Distillation kd, ReadOnlySpan<float> logits, int image, Span<float> d)
    {
        Span<float> soft = _softStudent.AsSpan(0, logits.Length);
        TensorPrimitives.Multiply(logits, 1f / kd.Temperature, soft);
        TensorPrimitives.SoftMax(soft, soft);
        TensorPrimitives.Subtract(soft, kd.Targets.Of(image), soft);
        TensorPrimitives.Multiply(d, 1f - kd.Weight, d);
        TensorPrimitives.MultiplyAdd(soft, kd.Weight * kd.Temperature, d, d);
    }

    /// <summary>REINFORCE on the location mean and MSE on the baseline of step t; returns the summed squared baseline error.</summary>
    private double PolicyAndBaseline(int t, int rows, ReadOnlySpan<float> ht, MnistImages images, ReadOnlySpan<int> indices,
        float scale, float reinforceWeight, float[] gradient, bool gradedReward)
    {
        ReadOnlySpan<float> mean = Block(_mean, t, rows, 2);
        ReadOnlySpan<float> draw = Block(_draw, t, rows, 2);
        ReadOnlySpan<float> baseline = Block(_baseline, t, rows, 1);
        Span<float> dMean = _dMean.AsSpan(0, rows * 2);
        Span<float> dBaseline = _dBaseline.AsSpan(0, rows);
        float inverseVariance = 1f / (_config.PolicySigma * _config.PolicySigma);
        double squaredError = 0;
        for (int i = 0; i < rows; i++)
        {
            int label = images.Label(indices[i]);
            float reward = gradedReward ? _probabilities[i * _config.Classes + label] : _predictions[i] == label ? 1f : 0f;
            float advantage = reward - baseline[i];
            for (int d = 0; d < 2; d++)
            {
                float mu = mean[2 * i + d];
                // d/dmu of -log N(draw; mu, sigma) * advantage, through tanh.
                float dmu = -advantage * (draw[2 * i + d] - mu) * inverseVariance;
                dMean[2 * i + d] = reinforceWeight * scale * dmu * (1f - mu * mu);
            }
            dBaseline[i] = 2f * scale * (baseline[i] - reward);
            squaredError += (double)(baseline[i] - reward) * (baseline[i] - reward);
        }
        WeightGradient(ht, dMean, rows, _layout.WL, gradient);
        Gemm.AddColumnSums(dMean, rows, 2, _layout.BL.Of(gradient));
        WeightGradient(ht, dBaseline, rows, _layout.WB, gradient);
        Gemm.AddColumnSums(dBaseline, rows, 1, _layout.BB.Of(gradient));
        return squaredError;
    }

    /// <summary>dW += xᵀ·dy for a weight stored inputs x outputs.</summary>
    private static void WeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, ParameterSlice weight, Span<float> gradient) =>
        Gemm.Multiply(weight.Rows, weight.Cols, rows, x, 1, weight.Rows, dy, weight.Cols, gradient.Slice(weight.Offset, weight.Length), weight.Cols, accumulate: true);

    private void Gate(ReadOnlySpan<float> pre, ReadOnlySpan<float> dPost, Span<float> dPre, int bits)
    {
        for (int i = 0; i < pre.Length; i++)
            dPre[i] = dPost[i] * Quantizer.StraightThrough(pre[i], bits, TriangleGradient);
    }

    private static void ReluGate(ReadOnlySpan<float> post, Span<float> d)
    {
        for (int i = 0; i < d.Length; i++)
            if (post[i] <= 0f) d[i] = 0f;
    }
}

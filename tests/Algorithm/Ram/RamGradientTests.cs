using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Ram;

/// <summary>
/// Every layer's analytic gradient against central finite differences of the loss it belongs to.
/// The network runs in float32, so the loss is evaluated in float and differenced with step 3e-3
/// (a loss of ~2 carries ~2e-7 rounding, i.e. ~1e-4 noise on a derivative); each slice is compared as a
/// vector, |g_num - g| / (|g_num| + |g|). Cross-entropy: below 1e-2 (measured 1e-5..3e-3; the worst are
/// ReLU kinks crossed by the step); a dropped ReLU gate gives ~0.2. Policy and baseline heads are smooth
/// and their loss is summed in double: below 1e-3 (measured &lt; 1e-4); a dropped tanh derivative gives ~2e-2.
/// </summary>
[TestFixture]
public sealed class RamGradientTests
{
    private const float Step = 1e-3f;
    private const double CrossEntropyTolerance = 1e-2, HeadTolerance = 1e-3;

    internal static MnistImages Synthetic(int count, int side, ulong seed)
    {
        var rng = new SeededRandom(seed, 99, 0);
        var pixels = new float[count * side * side];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 3);
            // A bright bar whose position depends on the class, plus noise, so the classes are learnable.
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                    pixels[(i * side + r) * side + c] = (c / 3 == labels[i] ? 0.8f : 0f) + 0.2f * (float)rng.NextDouble();
        }
        return new MnistImages(pixels, labels, side);
    }

    private static readonly RamConfig Tiny = new()
    {
        PatchSize = 3, Scales = 2, ScaleFactor = 2, Glimpses = 3, GlimpseHidden = 7, LocationHidden = 5, GlimpseFeatures = 9,
        Hidden = 6, ExtraCoreLayers = 1, ImageSize = 9, Classes = 3, PolicySigma = 0.2f,
    };

    private static (RamModel Model, MnistImages Images, int[] Indices) Setup(RamConfig? config = null)
    {
        var model = RamModel.Initialize(config ?? Tiny, 5);
        // Bigger weights than the initialiser's so every layer matters; Wl = 0 keeps every location at tanh(bl),
        // so the cross-entropy has no path through the (detached) location.
        // (Seed 7: with seed 6 one h_l unit sits within 1e-3 of its ReLU kink and b2 is off by 4%.)
        var rng = new SeededRandom(7, 0, 0);
        float[] w = model.Parameters;
        for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() - 0.5) * 1.2f;
        model.Layout.WL.Of(w).Clear();
        return (model, Synthetic(5, 9, 3), [0, 1, 2, 3, 4]);
    }

    private static double CrossEntropy(RamNetwork network, RamModel model, MnistImages images, int[] indices)
    {
        network.Forward(model.Parameters, images, indices, LocationPolicy.Mean);
        double sum = 0;
        for (int i = 0; i < indices.Length; i++)
            sum -= Math.Log(network.Probabilities[i * Tiny.Classes + images.Label(indices[i])]);
        return sum / indices.Length;
    }

    private static float[] Analytic(RamNetwork network, RamModel model, MnistImages images, int[] indices, LocationPolicy policy, bool gradedReward = false)
    {
        var gradient = new float[model.Layout.Count];
        var transposes = new RamTransposes(model.Layout);
        transposes.Update(model.Parameters);
        network.Forward(model.Parameters, images, indices, policy);
        network.Backward(model.Parameters, transposes, images, indices, 1f / indices.Length, 1f, gradient, gradedReward: gradedReward);
        return gradient;
    }

    private static double RelativeError(ReadOnlySpan<double> numeric, ReadOnlySpan<float> analytic)
    {
        double diff = 0, a = 0, b = 0;
        for (int i = 0; i < numeric.Length; i++)
        {
            diff += (numeric[i] - analytic[i]) * (numeric[i] - analytic[i]);
            a += numeric[i] * numeric[i]; b += (double)analytic[i] * analytic[i];
        }
        return Math.Sqrt(diff) / (Math.Sqrt(a) + Math.Sqrt(b) + 1e-12);
    }

    private static double[] Numeric(RamModel model, ParameterSlice slice, Func<double> loss)
    {
        float[] w = model.Parameters;
        var result = new double[slice.Length];
        for (int i = 0; i < slice.Length; i++)
        {
            float saved = w[slice.Offset + i];
            w[slice.Offset + i] = saved + Step; double up = loss();
            w[slice.Offset + i] = saved - Step; double down = loss();
            w[slice.Offset + i] = saved;
            result[i] = (up - down) / (2 * Step);
        }
        return result;
    }

    [TestCase("W1")] [TestCase("b1")] [TestCase("W2")] [TestCase("b2")] [TestCase("W3")] [TestCase("W4")] [TestCase("b3")]
    [TestCase("V")] [TestCase("U")] [TestCase("bh")] [TestCase("E1")] [TestCase("be1")] [TestCase("Wc")] [TestCase("bc")]
    public void When_CrossEntropyGradientIsDifferenced_Expect_BackpropagationToAgree(string name) =>
        AssertCrossEntropyGradientAgrees(Tiny, name);

    /// <summary>One slice's cross-entropy gradient, analytic against central differences, on <paramref name="config"/>.</summary>
    private static void AssertCrossEntropyGradientAgrees(RamConfig config, string name)
    {
        var (model, images, indices) = Setup(config);
        var network = new RamNetwork(config, indices.Length);
        var slice = model.Layout.All.Single(s => s.Name == name);
        float[] analytic = Analytic(network, model, images, indices, LocationPolicy.Mean);
        double[] numeric = Numeric(model, slice, () => CrossEntropy(network, model, images, indices));
        double error = RelativeError(numeric, analytic.AsSpan(slice.Offset, slice.Length));
        Assert.That(numeric.Max(Math.Abs), Is.GreaterThan(1e-4), $"{name} must influence the loss for the check to mean anything");
        Assert.That(error, Is.LessThan(CrossEntropyTolerance), $"{name}: relative error {error:E2}");
    }

    /// <summary>
    /// A classifier with a hidden ReLU layer reading h_T (0) or the last step's pre-activation (1, which skips the last
    /// step's activation): every layer of every step differenced (the fixture is full precision, so no quantizer hides a path).
    /// </summary>
    [TestCase("Wk", 0)] [TestCase("bk", 0)] [TestCase("Wc", 0)] [TestCase("bc", 0)] [TestCase("E1", 0)] [TestCase("U", 0)]
    [TestCase("Wk", 1)] [TestCase("bk", 1)] [TestCase("Wc", 1)] [TestCase("bc", 1)] [TestCase("E1", 1)] [TestCase("be1", 1)]
    [TestCase("U", 1)] [TestCase("V", 1)] [TestCase("bh", 1)] [TestCase("W3", 1)] [TestCase("W1", 1)]
    public void When_ClassifierHiddenLayerIsDifferenced_Expect_BackpropagationToAgree(string name, int headInput) =>
        AssertCrossEntropyGradientAgrees(Tiny with { HeadHidden = 4, HeadInput = (HeadInput)headInput }, name);

    /// <summary>
    /// A core wider than the hidden state (--core-width / --widen-core): the full-precision layer has 11 units, the state 6, and
    /// two extra layers make the middle one 11 x 11, so every differently shaped product of the backward is differenced.
    /// </summary>
    [TestCase("U", 1)] [TestCase("V", 1)] [TestCase("bh", 1)] [TestCase("E1", 1)] [TestCase("be1", 1)] [TestCase("W3", 1)]
    [TestCase("U", 2)] [TestCase("V", 2)] [TestCase("bh", 2)] [TestCase("E1", 2)] [TestCase("E2", 2)] [TestCase("be2", 2)] [TestCase("W1", 2)]
    public void When_CoreIsWiderThanTheHiddenState_Expect_BackpropagationToAgree(string name, int extraLayers) =>
        AssertCrossEntropyGradientAgrees(Tiny with { CoreWidth = 11, ExtraCoreLayers = extraLayers, HeadHidden = 4, HeadInput = HeadInput.PreActivation }, name);

    /// <summary>
    /// The classifier on the first core layer's activation at the last step (head input core-features): its gradient enters the
    /// last step below every layer above the first, which then gets none there; with a hidden head layer and without.
    /// </summary>
    [TestCase("Wk", 4, 1)] [TestCase("bk", 4, 1)] [TestCase("Wc", 4, 1)] [TestCase("U", 4, 1)] [TestCase("V", 4, 1)] [TestCase("bh", 4, 1)]
    [TestCase("E1", 4, 1)] [TestCase("be1", 4, 1)] [TestCase("W1", 4, 1)]
    [TestCase("Wc", 0, 1)] [TestCase("bc", 0, 1)] [TestCase("U", 0, 1)] [TestCase("E1", 0, 1)]
    [TestCase("Wk", 4, 2)] [TestCase("U", 4, 2)] [TestCase("E2", 4, 2)] [TestCase("be2", 4, 2)] [TestCase("W3", 4, 2)]
    public void When_ClassifierReadsTheFirstCoreLayer_Expect_BackpropagationToAgree(string name, int headHidden, int extraLayers) =>
        AssertCrossEntropyGradientAgrees(Tiny with { CoreWidth = 11, ExtraCoreLayers = extraLayers, HeadHidden = headHidden, HeadInput = HeadInput.CoreFeatures }, name);

    /// <summary>
    /// Soft targets for the five synthetic images: fixed, uneven distributions (not the labels), so the
    /// distillation term pulls the logits somewhere the cross-entropy does not.
    /// </summary>
    private static SoftTargets Targets(float temperature)
    {
        var q = new float[5 * Tiny.Classes];
        var rng = new SeededRandom(12, 0, 0);
        for (int i = 0; i < 5; i++)
        {
            float sum = 0;
            for (int k = 0; k < Tiny.Classes; k++) sum += q[i * Tiny.Classes + k] = 0.1f + (float)rng.NextDouble();
            for (int k = 0; k < Tiny.Classes; k++) q[i * Tiny.Classes + k] /= sum;
        }
        return new SoftTargets(q, Tiny.Classes, temperature);
    }

    [TestCase("W1", 0.7f, 4f)] [TestCase("V", 0.7f, 4f)] [TestCase("U", 0.7f, 4f)] [TestCase("E1", 0.7f, 4f)]
    [TestCase("Wc", 0.7f, 4f)] [TestCase("bc", 0.7f, 4f)] [TestCase("Wc", 1f, 2f)] [TestCase("W3", 0.3f, 0.5f)]
    public void When_DistillationLossIsDifferenced_Expect_BackpropagationToAgree(string name, float weight, float temperature)
    {
        // (1 - a) CE(label) + a T^2 KL(q || softmax(z / T)), with the same tolerance as the cross-entropy alone:
        // the term is as smooth in the logits as the cross-entropy, so only the same ReLU kinks limit the match.
        var (model, images, indices) = Setup();
        var network = new RamNetwork(Tiny, indices.Length);
        var targets = Targets(temperature);
        var gradient = new float[model.Layout.Count];
        var transposes = new RamTransposes(model.Layout);
        transposes.Update(model.Parameters);
        network.Forward(model.Parameters, images, indices, LocationPolicy.Mean);
        network.Backward(model.Parameters, transposes, images, indices, 1f / indices.Length, 1f, gradient, new Distillation(targets, weight));

        double Loss()
        {
            network.Forward(model.Parameters, images, indices, LocationPolicy.Mean);
            double sum = 0;
            int classes = Tiny.Classes;
            for (int i = 0; i < indices.Length; i++)
            {
                ReadOnlySpan<float> z = network.Logits.Slice(i * classes, classes);
                double max = double.MinValue, logSum = 0;
                for (int k = 0; k < classes; k++) max = Math.Max(max, z[k] / temperature);
                for (int k = 0; k < classes; k++) logSum += Math.Exp(z[k] / temperature - max);
                double kl = 0;
                for (int k = 0; k < classes; k++)
                {
                    double q = targets.Of(indices[i])[k], logP = z[k] / temperature - max - Math.Log(logSum);
                    kl += q * (Math.Log(q) - logP);
                }
                sum += (1 - weight) * -Math.Log(network.Probabilities[i * classes + images.Label(indices[i])]) + weight * temperature * temperature * kl;
            }
            return sum / indices.Length;
        }

        var slice = model.Layout.All.Single(s => s.Name == name);
        double[] numeric = Numeric(model, slice, Loss);
        double error = RelativeError(numeric, gradient.AsSpan(slice.Offset, slice.Length));
        Assert.That(numeric.Max(Math.Abs), Is.GreaterThan(1e-4), $"{name} must influence the loss for the check to mean anything");
        Assert.That(error, Is.LessThan(CrossEntropyTolerance), $"{name}: relative error {error:E2}");
    }

    [Test]
    public void When_DistillationIsLeftOut_Expect_SoftTargetsToChangeNothing()
    {
        // Weight 0 must give exactly the labels' gradient (the distillation path multiplies by 1 - 0 and adds 0 x ...).
        var (model, images, indices) = Setup();
        var network = new RamNetwork(Tiny, indices.Length);
        float[] plain = Analytic(network, model, images, indices, LocationPolicy.Mean);
        var withZero = new float[model.Layout.Count];
        var transposes = new RamTransposes(model.Layout);
        transposes.Update(model.Parameters);
        network.Forward(model.Parameters, images, indices, LocationPolicy.Mean);
        network.Backward(model.Parameters, transposes, images, indices, 1f / indices.Length, 1f, withZero, new Distillation(Targets(4f), 0f));
        Assert.That(withZero, Is.EqualTo(plain));
    }

    [TestCase("Wb", false)] [TestCase("bb", false)] [TestCase("Wl", false)] [TestCase("bl", false)]
    [TestCase("Wb", true)] [TestCase("bb", true)] [TestCase("Wl", true)] [TestCase("bl", true)]
    public void When_PolicyAndBaselineGradientsAreDifferenced_Expect_BackpropagationToAgree(string name, bool graded)
    {
        // With hidden states, draws, rewards and (for the policy) baselines held at their forward values,
        // the baseline loss is sum_t (b_t - R)^2 and the REINFORCE surrogate is
        // sum_t (R - b_t) (draw - tanh(h Wl + bl))^2 / (2 sigma^2): the functions whose gradients the heads get.
        // R is 1 / 0 for a right / wrong class, or (graded) the classifier's probability of the label.
        var (model, images, indices) = Setup();
        float[] w = model.Parameters;
        var rng = new SeededRandom(8, 0, 0);
        foreach (var s in new[] { model.Layout.WL, model.Layout.BL })
            for (int i = 0; i < s.Length; i++) w[s.Offset + i] = (float)(rng.NextDouble() - 0.5) * 3f; // large enough that tanh bends
        var network = new RamNetwork(Tiny, indices.Length);
        var policy = new LocationPolicy(true, 11, 0);
        float[] analytic = Analytic(network, model, images, indices, policy, graded);
        int rows = indices.Length, h = Tiny.Hidden;
        var hidden = new List<float[]>(); var draws = new List<float[]>(); var baselines = new List<float[]>();
        for (int t = 0; t < Tiny.Glimpses - 1; t++)
        {
            hidden.Add(network.Hidden(t, rows).ToArray());
            draws.Add(network.DrawBuffer(t, rows).ToArray());
            baselines.Add(network.BaselineBuffer(t, rows).ToArray());
        }
        var reward = new double[rows];
        for (int i = 0; i < rows; i++)
            reward[i] = graded ? network.Probabilities[i * Tiny.Classes + images.Label(indices[i])] : network.Predictions[i] == images.Label(indices[i]) ? 1 : 0;
        if (graded) Assert.That(reward.Count(r => r is > 0.01 and < 0.99), Is.GreaterThan(2), "graded rewards strictly between 0 and 1");
        double sigma2 = Tiny.PolicySigma * Tiny.PolicySigma;
        var l = model.Layout;

        double Loss()
        {
            double total = 0;
            for (int t = 0; t < Tiny.Glimpses - 1; t++)
                for (int i = 0; i < rows; i++)
                {
                    double b = w[l.BB.Offset];
                    for (int k = 0; k < h; k++) b += hidden[t][i * h + k] * w[l.WB.Offset + k];
                    if (name is "Wb" or "bb") { total += (b - reward[i]) * (b - reward[i]); continue; }
                    double advantage = reward[i] - baselines[t][i];
                    for (int d = 0; d < 2; d++)
                    {
                        double z = w[l.BL.Offset + d];
                        for (int k = 0; k < h; k++) z += hidden[t][i * h + k] * w[l.WL.Offset + k * 2 + d];
                        double diff = draws[t][2 * i + d] - Math.Tanh(z);
                        total += advantage * diff * diff / (2 * sigma2);
                    }
                }
            return total / rows;
        }

        var slice = l.All.Single(s => s.Name == name);
        double[] numeric = Numeric(model, slice, Loss);
        double error = RelativeError(numeric, analytic.AsSpan(slice.Offset, slice.Length));
        Assert.That(numeric.Max(Math.Abs), Is.GreaterThan(1e-4));
                Assert.That(error, Is.LessThan(HeadTolerance), $"{name}: relative error {error:E2}");
    }

    /// <summary>
    /// Flipping every fed hidden bit (p = 1) is a reparametrisation: with each column of U and Wb summing to zero and
    /// Wl = 0, the network that reads 1 - h_t behaves exactly as the unflipped network with U and Wb negated. So the
    /// straight-through gradients of every weight upstream of the flips (which reach them through the flipped bits'
    /// sign) must equal the unflipped mirror's; a flip whose derivative kept its sign would reverse them.
    /// Tolerance 1e-4 relative: the two forwards sum the same terms in another order (float rounding only).
    /// </summary>
    [TestCase("W1")] [TestCase("b1")] [TestCase("W3")] [TestCase("V")] [TestCase("bh")] [TestCase("E1")] [TestCase("be1")] [TestCase("Wc")]
    public void When_EveryFedHiddenBitIsFlipped_Expect_TheGradientsOfTheMirroredNetwork(string name)
    {
        var config = Tiny with { HiddenBits = 1 };
        var (model, images, indices) = Setup(config);
        float[] w = model.Parameters;
        foreach (var slice in new[] { model.Layout.U, model.Layout.WB })
            for (int c = 0; c < slice.Cols; c++)
            {
                double mean = 0;
                for (int r = 0; r < slice.Rows; r++) mean += w[slice.Offset + r * slice.Cols + c];
                mean /= slice.Rows;
                for (int r = 0; r < slice.Rows; r++) w[slice.Offset + r * slice.Cols + c] -= (float)mean;
            }
        var mirror = new RamModel(config, (float[])w.Clone());
        foreach (var slice in new[] { mirror.Layout.U, mirror.Layout.WB })
            for (int i = 0; i < slice.Length; i++) mirror.Parameters[slice.Offset + i] = -mirror.Parameters[slice.Offset + i];

        var network = new RamNetwork(config, indices.Length);
        float[] flipped = Analytic(network, model, images, indices, new LocationPolicy(true, 3, 0, 0, HiddenFlip: 1f));
        int[] flippedClasses = network.Predictions.ToArray();
        float[] plain = Analytic(network, mirror, images, indices, new LocationPolicy(true, 3, 0));
        Assert.That(network.Predictions.ToArray(), Is.EqualTo(flippedClasses), "the two forwards must be the same network");
        var p = model.Layout.All.Single(x => x.Name == name);
        double error = RelativeError(plain.AsSpan(p.Offset, p.Length).ToArray().Select(v => (double)v).ToArray(), flipped.AsSpan(p.Offset, p.Length));
        Assert.That(plain.AsSpan(p.Offset, p.Length).ToArray().Max(Math.Abs), Is.GreaterThan(1e-4f), $"{name} must have a gradient for the check to mean anything");
        Assert.That(error, Is.LessThan(1e-4), $"{name}: relative error {error:E2}");
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Mbi.Algorithm.Memorization;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

/// <summary>
/// The learned gate's regression in fixed point (<see cref="GateFixedPoint"/>, `tune-mixed --gate-bits 8`): its integer sum,
/// how far its score can be from the float gate's (a bound derived from the rounding steps, not a tolerance picked to pass),
/// the bias correction's effect on the fit set's mean, the accumulator's width, and the version-4 gate file.
/// </summary>
[TestFixture]
public sealed class GateFixedPointTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("mbi-gatefx-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void When_AHandMadeRegressionIsQuantized_Expect_ItsScalesCodeRangesAndTheLargestTermAt127()
    {
        // Feature 0 in {0, 2} (one sign: codes 0..255, step 2/255); feature 1 in {-1, 0.5} (both signs: -127..127, step 1/127);
        // feature 2 constant 0 (codes 0..0). Folded weights w = beta / sd: 2, -2, 0; w s = 4/255 and -2/127, so S = (2/127) / 127
        // and feature 1's weight is exactly -127, feature 0's round(126.50...) = 127.
        var model = new RidgeLogisticRegression([1, -0.25, 0], [1, 0.75, 0], [0.7, 2, -1.5, 0], 0);
        double[] rows = [0, -1, 0, 2, 0.5, 0, 2, -1, 0, 0, 0.5, 0];
        var fx = GateFixedPoint.Quantize(model, rows);
        Assert.That(fx.Scales.ToArray(), Is.EqualTo(new[] { 2.0 / 255, 1.0 / 127, 1.0 }));
        Assert.That(fx.CodeMin.ToArray(), Is.EqualTo(new[] { 0, -127, 0 }));
        Assert.That(fx.CodeMax.ToArray(), Is.EqualTo(new[] { 255, 127, 0 }));
        Assert.That(fx.ProductScale, Is.EqualTo(2.0 / 127 / 127).Within(1e-18));
        Assert.That(fx.Weights.ToArray(), Is.EqualTo(new sbyte[] { 127, -127, 0 }));
        // b = 0.7 - 2 x 1 - (-2)(-0.25) = -1.8; feature 0's weight rounds up by 127 x 255 / 16129 - 2 = 1/127, which the bias
        // absorbs at feature 0's mean 1: B = round((-1.8 - 1/127) / S) = round(-14516.1 - 63.5) = -14580.
        Assert.That(fx.Bias, Is.EqualTo(-14580));
        // Codes round half away from zero and saturate at the range the fit set gave.
        Assert.That((fx.Code(0, 1.5), fx.Code(0, -3), fx.Code(0, 9), fx.Code(1, -0.6), fx.Code(1, 2), fx.Code(2, 7)), Is.EqualTo((191, 0, 255, -76, 127, 0)));
        // The sum is exact: bias + 191 x 127 + (-76) x (-127) + 0.
        Assert.That(fx.Accumulate([1.5, -0.6, 7]), Is.EqualTo(-14580 + 191 * 127 + 76 * 127));
        Assert.That(fx.Score([1.5, -0.6, 7]), Is.EqualTo(-(-14580 + 191 * 127 + 76 * 127) * fx.ProductScale));
        // Bound: |B| + 255 x 127 + 127 x 127 = 14580 + 48514 = 63094 -> 16 magnitude bits + sign = 17.
        Assert.That(fx.AccumulatorBound, Is.EqualTo(14580 + 255 * 127 + 127 * 127));
        Assert.That(fx.AccumulatorBits, Is.EqualTo(17));
    }

    [Test]
    public void When_AFittedGateIsQuantized_Expect_EveryScoreWithinItsRoundingBoundAndTheFitSetMeanNearlyUnmoved()
    {
        var (run, images, lut) = GateRuns.Synthetic(0.6);
        var floatGate = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree");
        var gate = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree", regressionBits: 8);
        Assert.That((floatGate.RegressionBits, gate.RegressionBits), Is.EqualTo((64, 8)));
        var fx = gate.FixedPoint!;
        Assert.That(gate.Coefficients, Is.EqualTo(floatGate.Coefficients), "the same fit, then quantized");
        double[] exact = floatGate.Scores(run), quantized = gate.Scores(run);
        Assert.That(quantized, Is.Not.EqualTo(exact), "the fixed-point gate scores with its integers");
        // With x = s q + e (|e| <= s/2 inside the range), q_w S / s = w + d (|d| <= S / (2 s)) and S B = b - sum d mean + r
        // (|r| <= S/2), the score's error is r + sum_j [d_j (x_j - mean_j) - e_j (w_j + d_j)], and |x_j - mean_j| <= 2 L_j s_j.
        int p = gate.FeatureNames.Count;
        double S = fx.ProductScale, bound = S / 2, meanBound = S / 2;
        var w = new double[p];
        for (int j = 0; j < p; j++)
        {
            w[j] = gate.Deviations[j] > 0 ? gate.Coefficients[j] / gate.Deviations[j] : 0;
            double L = Math.Max(Math.Abs(fx.CodeMin[j]), Math.Abs(fx.CodeMax[j]));
            bound += L * S + fx.Scales[j] * Math.Abs(w[j]) / 2 + S / 4;
            meanBound += fx.Scales[j] * Math.Abs(w[j]) / 2 + S / 4; // on the fit set sum_i (x_ij - mean_j) = 0: the d term vanishes
        }
        for (int i = 0; i < exact.Length; i++) Assert.That(Math.Abs(quantized[i] - exact[i]), Is.LessThanOrEqualTo(bound), $"image {i}");
        double meanError = quantized.Zip(exact, (a, b) => a - b).Average();
        Assert.That(Math.Abs(meanError), Is.LessThanOrEqualTo(meanBound), "bias-corrected: the fit set's mean score moves by the codes' rounding only");
        Assert.That(fx.Weights.ToArray().Max(v => Math.Abs((int)v)), Is.EqualTo(GateFixedPoint.WeightLimit), "the largest term uses the whole int8 range");
        var again = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree", regressionBits: 8);
        Assert.That(LearnedGateFile.ToBytes(again), Is.EqualTo(LearnedGateFile.ToBytes(gate)), "deterministic");
        long maxAccumulator = 0;
        var features = new double[p];
        for (int i = 0; i < exact.Length; i++)
        {
            LearnedGate.Features(run.Trace.AsSpan(i * 5, 5), run.MaxDistance[i], run.Agreement[i], run.Predicted[i], 5, 10, features);
            Assert.That(fx.Score(features), Is.EqualTo(quantized[i]));
            maxAccumulator = Math.Max(maxAccumulator, Math.Abs(fx.Accumulate(features)));
        }
        Assert.That(maxAccumulator, Is.LessThanOrEqualTo(fx.AccumulatorBound));
    }

    [Test]
    public void When_TheBiasDwarfsEveryTerm_Expect_OneMessageThatSaysToKeepTheRegressionInDouble()
    {
        // One feature in [0, 1] with weight 1e-6 and an intercept of 100: the bias is about 1.3e10 steps of S, past 32 bits.
        var model = new RidgeLogisticRegression([0.5], [0.5], [100, 5e-7], 0);
        var e = Assert.Throws<MbiException>(() => GateFixedPoint.Quantize(model, [0.0, 1.0]));
        Assert.That(e!.Message, Does.Contain("32-bit accumulator").And.Contain("--gate-bits 64"));
    }

    [TestCase(new[] { 1.0 }, new[] { 0 }, new[] { 255 }, new sbyte[] { -128 }, 0L, 1.0, "-128")]
    [TestCase(new[] { 0.0 }, new[] { 0 }, new[] { 255 }, new sbyte[] { 1 }, 0L, 1.0, "scale is 0")]
    [TestCase(new[] { 1.0 }, new[] { -100 }, new[] { 100 }, new sbyte[] { 1 }, 0L, 1.0, "codes run -100..100")]
    [TestCase(new[] { 1.0 }, new[] { 0 }, new[] { 255 }, new sbyte[] { 1 }, 0L, double.NaN, "product scale NaN")]
    [TestCase(new[] { 1.0 }, new[] { 0 }, new[] { 255 }, new sbyte[] { 127 }, 2147483000L, 1.0, "could pass")]
    [TestCase(new[] { 1.0, 1.0 }, new[] { 0 }, new[] { 255 }, new sbyte[] { 1 }, 0L, 1.0, "2 scales, 1 code minima")]
    public void When_FixedPointValuesAreBad_Expect_Refused(double[] scales, int[] codeMin, int[] codeMax, sbyte[] weights, long bias, double productScale, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => GateFixedPoint.From(scales, codeMin, codeMax, weights, bias, productScale));
        Assert.That(e!.Message, Does.Contain(problem));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void When_AFixedPointGateIsSavedAndRead_Expect_Version4TheSameBytesAndBitIdenticalScores(bool int8Check)
    {
        var (run, images, lut) = GateRuns.Synthetic(0.6);
        var check = int8Check ? ImageCheck.Train(images, 1).Quantize(ImageCheckScale.PerClass) : null;
        var gate = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree", check: check, images: check is null ? null : images, regressionBits: 8);
        string path = Path.Combine(_dir, "gate.json");
        LearnedGateFile.Write(path, gate);
        string text = File.ReadAllText(path);
        Assert.That(text, Does.Contain("\"version\": 4").And.Contain("\"regression_fixed_point\"").And.Contain("\"product_scale\""));
        Assert.That(text.Contains("\"weights_int8\": [", StringComparison.Ordinal), Is.True);
        var read = LearnedGateFile.Read(path);
        Assert.That(LearnedGateFile.ToBytes(read), Is.EqualTo(File.ReadAllBytes(path)));
        Assert.That(read.Scores(run, images), Is.EqualTo(gate.Scores(run, images)), "exact: integers and doubles round-trip through JSON");
        Assert.That(read.Check?.WeightBits, Is.EqualTo(int8Check ? 8 : null));
        // The float gate of the same fit is still written as before (version 1 or 3): the flag adds a version, it changes none.
        var floatGate = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree", check: check, images: check is null ? null : images);
        Assert.That(Encoding.UTF8.GetString(LearnedGateFile.ToBytes(floatGate)), Does.Contain(int8Check ? "\"version\": 3" : "\"version\": 1").And.Not.Contain("regression_fixed_point"));
    }

    [TestCase("bits", "16", "bits 16")]
    [TestCase("weights_int8", "-128", "-128")]
    [TestCase("code_max", "100", "codes run")]
    [TestCase("feature_scales", "0", "scale is 0")]
    [TestCase("version", "1", "version 1 with a regression_fixed_point")]
    [TestCase("drop", "", "version 4 without its regression_fixed_point")]
    public void When_Version4FieldsAreWrong_Expect_TheFileRefused(string field, string value, string problem)
    {
        var (run, images, lut) = GateRuns.Synthetic(0.6);
        var gate = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree", regressionBits: 8);
        var doc = JsonNode.Parse(Encoding.UTF8.GetString(LearnedGateFile.ToBytes(gate)))!.AsObject();
        var fp = doc["regression_fixed_point"]!.AsObject();
        if (field == "drop") doc.Remove("regression_fixed_point");
        else if (field == "version") doc["version"] = JsonNode.Parse(value);
        else if (fp[field] is JsonArray array) array[0] = JsonNode.Parse(value);
        else fp[field] = JsonNode.Parse(value);
        string path = Path.Combine(_dir, "gate.json");
        File.WriteAllText(path, GateRuns.Resigned(doc.ToJsonString()));
        var e = Assert.Throws<FileFormatException>(() => LearnedGateFile.Read(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain(problem));
    }
}

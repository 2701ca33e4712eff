using System.Text;
using System.Text.Json.Nodes;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

/// <summary>The image check in fixed point (ImageCheck.FixedPoint.cs) and its gate file (version 3).</summary>
[TestFixture]
public sealed class ImageCheckFixedPointTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("mbi-int8-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void When_AHandMadeFixedPointCheck_Expect_ItsIntegerSumsAndLogitsExactly()
    {
        // 3 pixels x 2 classes; pixel bytes 0, 3, 255.
        var check = ImageCheck.FixedPoint(3, 2, [1, -2, 127, 0, -127, 5], [10, -7], [0.5f, 0.25f]);
        float[] image = [0f, 3 / 255f, 255 / 255f];
        var acc = new int[2];
        check.Accumulators(image, acc);
        // by hand: 10 + 0 x 1 + 3 x 127 + 255 x (-127) = -31,994; -7 + 0 x (-2) + 3 x 0 + 255 x 5 = 1,268
        Assert.That(acc, Is.EqualTo(new[] { -31_994, 1_268 }));
        var z = new double[2];
        check.Logits(image, z);
        Assert.That(z, Is.EqualTo(new[] { -31_994 * (0.5 / 255), 1_268 * (0.25 / 255) }), "the scale applied once per logit: acc x s / 255");
        Assert.That((check.WeightBits, check.StorageBytes), Is.EqualTo((8, 6 + 2 * 4 + 2 * 4L)));
        var f = new double[3];
        check.Features(image, 0, f);
        Assert.That(f, Is.EqualTo(new[] { z[0] - z[1], 0, z[1] - z[0] }));
    }

    [Test]
    public void When_AHandMadeFloatCheckIsQuantized_Expect_TheHandWorkedInt8WeightsBiasesAndScales()
    {
        var check = new ImageCheck(2, 2, [0.5f, -0.12f, -0.3f, 0.2f], [0.1f, -0.05f]);
        var perClass = check.Quantize(ImageCheckScale.PerClass);
        // class 0: s = 0.5 / 127, so 0.5 -> 127, -0.3 -> -76.2 -> -76; class 1: s = 0.2 / 127, -0.12 -> -76.2 -> -76, 0.2 -> 127
        Assert.That(perClass.QuantizedWeights.ToArray(), Is.EqualTo(new sbyte[] { 127, -76, -76, 127 }));
        Assert.That(perClass.Scales[0], Is.EqualTo((float)(0.5f / 127.0)));
        Assert.That(perClass.Scales[1], Is.EqualTo((float)(0.2f / 127.0)));
        // biases on the accumulator's scale b x 255 / s: 0.1 x 255 x 127 / 0.5 = 6,477; -0.05 x 255 x 127 / 0.2 = -8,096.25 -> -8,096
        Assert.That(perClass.QuantizedBias.ToArray(), Is.EqualTo(new[] { 6_477, -8_096 }));
        var perTensor = check.Quantize(ImageCheckScale.PerTensor);
        // one s = 0.5 / 127: -0.12 -> -30.48 -> -30, 0.2 -> 50.8 -> 51; class 1's bias -0.05 x 255 x 127 / 0.5 = -3,238.5 -> -3,239 (away from zero)
        Assert.That(perTensor.QuantizedWeights.ToArray(), Is.EqualTo(new sbyte[] { 127, -30, -76, 51 }));
        Assert.That(perTensor.QuantizedBias[1], Is.AnyOf(-3_238, -3_239), "a half in real numbers; float32 inputs decide which side");
        Assert.That(check.Weights.Length, Is.EqualTo(4));
        Assert.That(perClass.Weights.Length, Is.Zero, "a fixed-point check holds no float weights");
        Assert.Throws<InvalidOperationException>(() => perClass.Quantize(ImageCheckScale.PerClass));
    }

    [Test]
    public void When_ATrainedCheckIsQuantized_Expect_EachWeightWithinHalfAStepEachClassReaching127AndTheSameBytesTwice()
    {
        var images = Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(300, 28, 3);
        var check = ImageCheck.Train(images, 5);
        var q = check.Quantize(ImageCheckScale.PerClass);
        for (int c = 0; c < 10; c++)
        {
            double s = q.Scales[c];
            int largest = 0;
            for (int p = 0; p < 784; p++)
            {
                int k = p * 10 + c;
                largest = Math.Max(largest, Math.Abs((int)q.QuantizedWeights[k]));
                // round to nearest: within half a step, plus float32's rounding of w / s (relative 1e-6 of 127 steps)
                Assert.That(Math.Abs(check.Weights[k] - q.QuantizedWeights[k] * s), Is.LessThanOrEqualTo(s * (0.5 + 1e-4)));
            }
            Assert.That(largest, Is.EqualTo(127), $"class {c}'s largest weight maps to 127");
            Assert.That(Math.Abs(check.Bias[c] - q.QuantizedBias[c] * s / 255), Is.LessThanOrEqualTo(s / 255 * (0.5 + 1e-4)));
        }
        var again = check.Quantize(ImageCheckScale.PerClass);
        Assert.That(again.QuantizedWeights.ToArray(), Is.EqualTo(q.QuantizedWeights.ToArray()));
        Assert.That(again.QuantizedBias.ToArray(), Is.EqualTo(q.QuantizedBias.ToArray()));
        // learnable bars: the int8 check still classifies every image as the float one does
        Assert.That(q.Classify(images), Is.EqualTo(check.Classify(images)));
    }

    [Test]
    public void When_EveryPixelIs255AndEveryWeightPlusOrMinus127_Expect_TheInt32SumsExactAtTheBound()
    {
        Assert.That(ImageCheck.ProductSumBound(784), Is.EqualTo(784L * 255 * 127).And.EqualTo(25_389_840L));
        int room = (int)(int.MaxValue - ImageCheck.ProductSumBound(784));
        var weights = new sbyte[784 * 2];
        for (int p = 0; p < 784; p++) (weights[2 * p], weights[2 * p + 1]) = (127, -127);
        var check = ImageCheck.FixedPoint(784, 2, weights, [room, -room], [1f, 1f]);
        var acc = new int[2];
        check.Accumulators(Enumerable.Repeat(1f, 784).ToArray(), acc);
        Assert.That(acc, Is.EqualTo(new[] { int.MaxValue, -int.MaxValue }), "the worst image reaches the int32 limit, not past it");
        Assert.That(ImageCheck.FixedPointProblem(784, 2, weights, [room + 1, 0], [1f, 1f]), Does.Contain("bias 0").And.Contain("could pass"));
        Assert.Throws<ArgumentException>(() => ImageCheck.FixedPoint(784, 2, weights, [0, -room - 1], [1f, 1f]));
    }

    [Test]
    public void When_MnistBytesAreScaledToFloats_Expect_EveryByteBackExactly()
    {
        var bytes = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var images = MnistImages.FromBytes(bytes, [0], 16);
        for (int b = 0; b < 256; b++) Assert.That(ImageCheck.PixelByte(images.Pixels[b]), Is.EqualTo(b));
        Assert.Throws<ArgumentException>(() => ImageCheck.PixelByte(-0.01f));
        Assert.Throws<ArgumentException>(() => ImageCheck.PixelByte(float.NaN));
        Assert.Throws<ArgumentException>(() => ImageCheck.PixelByte(1.01f));
    }

    [TestCase(new sbyte[] { -128, 0 }, new[] { 0, 0 }, new[] { 1f, 1f }, "-128")]
    [TestCase(new sbyte[] { 1, 0 }, new[] { 0, 0 }, new[] { 0f, 1f }, "scale 0")]
    [TestCase(new sbyte[] { 1, 0 }, new[] { 0, 0 }, new[] { 1f, float.NaN }, "scale 1")]
    [TestCase(new sbyte[] { 1, 0, 0 }, new[] { 0, 0 }, new[] { 1f, 1f }, "3 int8 weights")]
    public void When_FixedPointValuesAreBad_Expect_Refused(sbyte[] weights, int[] bias, float[] scales, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => ImageCheck.FixedPoint(1, 2, weights, bias, scales));
        Assert.That(e!.Message, Does.Contain(problem));
    }

    [Test]
    public void When_AGateReadsAFixedPointCheck_Expect_Version3AndAnExactRoundTrip()
    {
        var (run, images, lut) = GateRuns.Synthetic(0.6);
        var check = ImageCheck.Train(images, 1).Quantize(ImageCheckScale.PerClass);
        var gate = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree", check: check, images: images);
        string path = Path.Combine(_dir, "gate.json");
        LearnedGateFile.Write(path, gate);
        string text = File.ReadAllText(path);
        Assert.That(text, Does.Contain("\"version\": 3").And.Contain("\"weight_bits\": 8").And.Contain("\"weights_int8\"").And.Contain("\"bias_int32\"")
            .And.Contain("\"scales\"").And.Not.Contain("\"weights\":").And.Not.Contain("\"bias\":"));
        var read = LearnedGateFile.Read(path);
        Assert.That(read.Check!.WeightBits, Is.EqualTo(8));
        Assert.That(LearnedGateFile.ToBytes(read), Is.EqualTo(File.ReadAllBytes(path)));
        Assert.That(read.Scores(run, images), Is.EqualTo(gate.Scores(run, images)), "exact: integers and float32 scales round-trip through JSON");
        Assert.That(gate.Scores(run, images), Is.Not.EqualTo(LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree",
            check: ImageCheck.Train(images, 1), images: images).Scores(run, images)), "the int8 check's features are its own, not the float check's");
    }

    [Test]
    public void When_Session13sVersion2GateIsReadAndWritten_Expect_ItsBytesUnchanged()
    {
        // A gate file written by session 13's Mbi (float32 check, tune-mixed's defaults): this Mbi writes the same bytes.
        string path = TestAssets.RepositoryFile("docs/mbi/learned-gate/image-check/cf187k-s1-gate.json");
        var gate = LearnedGateFile.Read(path);
        Assert.That(gate.Check!.WeightBits, Is.EqualTo(32));
        Assert.That(LearnedGateFile.ToBytes(gate), Is.EqualTo(File.ReadAllBytes(path)));
    }

    [TestCase("weight_bits", "16", "weight_bits 16")]
    [TestCase("weights_int8", "-128", "-128")]
    [TestCase("scales", "0", "scale 0")]
    [TestCase("bias_int32", "2147483647", "could pass")]
    [TestCase("version", "2", "float32, no fixed-point fields")]
    public void When_Version3FieldsAreWrong_Expect_TheFileRefused(string field, string value, string problem)
    {
        var (run, images, lut) = GateRuns.Synthetic(0.6);
        var gate = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree",
            check: ImageCheck.Train(images, 1).Quantize(ImageCheckScale.PerClass), images: images);
        var doc = JsonNode.Parse(Encoding.UTF8.GetString(LearnedGateFile.ToBytes(gate)))!.AsObject();
        var check = doc["image_check"]!.AsObject();
        JsonNode parsed = JsonNode.Parse(value)!;
        if (field == "version") doc["version"] = parsed;
        else if (check[field] is JsonArray array) array[0] = parsed;
        else check[field] = parsed;
        string path = Path.Combine(_dir, "gate.json");
        File.WriteAllText(path, GateRuns.Resigned(doc.ToJsonString()));
        var e = Assert.Throws<FileFormatException>(() => LearnedGateFile.Read(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain("image_check").And.Contain(problem));
    }
}

using System.Text;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Search;
using Mbi.Core.Errors;
using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

[TestFixture]
public sealed class ImageCheckTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("mbi-check-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void When_TrainedOnLearnableImages_Expect_TheClassesLearnedAndTheSameWeightsFromTheSameSeed()
    {
        var images = Mbi.Algorithm.Tests.Ram.RamGradientTests.Synthetic(300, 28, 3); // a bright bar per class (3 classes), noise
        var check = ImageCheck.Train(images, 5);
        Assert.That((check.Inputs, check.Classes, check.MultiplyAdds), Is.EqualTo((784, 10, 7840L)));
        int[] classes = check.Classify(images);
        Assert.That(classes.Where((c, i) => c == images.Labels[i]).Count(), Is.EqualTo(images.Count), "a bar per class is linearly separable");
        var again = ImageCheck.Train(images, 5);
        Assert.That(again.Weights.ToArray(), Is.EqualTo(check.Weights.ToArray()));
        Assert.That(again.Bias.ToArray(), Is.EqualTo(check.Bias.ToArray()));
        Assert.That(ImageCheck.Train(images, 6).Weights.ToArray(), Is.Not.EqualTo(check.Weights.ToArray()), "the seed draws the order");
    }

    [Test]
    public void When_FeaturesOfAHandMadeCheck_Expect_TheLookupClassMarginAgreementAndTopTwoMargin()
    {
        // Two pixels, three classes: logits = bias + w^T x.
        var check = new ImageCheck(2, 3, [1f, 0f, 0f, 0f, 2f, 0.5f], [0f, 0f, 1f]);
        float[] image = [1f, 1f];            // logits 1, 2, 1.5
        Span<double> f = stackalloc double[3];
        check.Features(image, 0, f);
        Assert.That(f.ToArray(), Is.EqualTo(new[] { 1 - 2.0, 0, 2 - 1.5 }));
        check.Features(image, 1, f);
        Assert.That(f.ToArray(), Is.EqualTo(new[] { 0.0, 1, 0.5 }));
        var wrong = new double[3];
        Assert.Throws<ArgumentException>(() => check.Features([1f, 1f, 1f], 0, wrong));
    }

    [Test]
    public void When_GateReadsACheck_Expect_ThreeMoreFeaturesVersion2FileAndExactRoundTrip()
    {
        var (run, images, lut) = Run();
        var check = ImageCheck.Train(images, 1);
        var gate = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree", check: check, images: images);
        Assert.That(gate.FeatureNames.Count, Is.EqualTo(LearnedGate.FeatureCount(lut.Spec.Glimpses, 10) + 3));
        Assert.That(gate.FeatureNames.TakeLast(3), Is.EqualTo(ImageCheck.FeatureNames));
        Assert.Throws<ArgumentException>(() => gate.Scores(run), "a gate with a check needs the images");
        Assert.Throws<ArgumentException>(() => LearnedGate.Fit(run, images.Labels, 5, 10, 1, "x", "tree", check: check));
        string path = Path.Combine(_dir, "gate.json");
        LearnedGateFile.Write(path, gate);
        string text = File.ReadAllText(path);
        Assert.That(text, Does.Contain("\"version\": 2").And.Contain("\"image_check\""));
        var read = LearnedGateFile.Read(path);
        Assert.That(LearnedGateFile.ToBytes(read), Is.EqualTo(File.ReadAllBytes(path)));
        Assert.That(read.Scores(run, images), Is.EqualTo(gate.Scores(run, images)), "exact: float weights round-trip through JSON");
        Assert.DoesNotThrow(() => LearnedGateFile.CheckFits(path, read, lut, 5));
        // Without a check the file is version 1 with no image_check: the bytes of every earlier gate file.
        var plain = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree");
        string plainText = Encoding.UTF8.GetString(LearnedGateFile.ToBytes(plain));
        Assert.That(plainText, Does.Contain("\"version\": 1").And.Not.Contain("image_check"));
    }

    [TestCase("\"inputs\": 784", "\"inputs\": 783", "image_check")]
    [TestCase("\"version\": 2", "\"version\": 1", "version 1 with an image_check")]
    public void When_CheckFieldsAreWrong_Expect_TheFileRefused(string find, string replace, string problem)
    {
        var (run, images, lut) = Run();
        var gate = LearnedGate.Fit(run, images.Labels, 5, 10, 1, TableIdentity.Sha256(lut), "tree", check: ImageCheck.Train(images, 1), images: images);
        string path = Path.Combine(_dir, "gate.json");
        File.WriteAllText(path, GateRuns.Resigned(Encoding.UTF8.GetString(LearnedGateFile.ToBytes(gate)).Replace(find, replace)));
        var e = Assert.Throws<FileFormatException>(() => LearnedGateFile.Read(path));
        Assert.That(e!.Message, Does.StartWith(path).And.Contain(problem));
    }

    private static (MbiRun Run, MnistImages Images, LookupTable Lut) Run() => GateRuns.Synthetic(0.6);
}

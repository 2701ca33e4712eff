using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Mnist;

[TestFixture]
public sealed class MnistDatasetTests
{
    [Test]
    public void When_RealMnistIsRead_Expect_KnownCountsAndFirstLabels()
    {
        var data = TestAssets.RealMnist();
        Assert.That(data.Train.Count, Is.EqualTo(60_000));
        Assert.That(data.Test.Count, Is.EqualTo(10_000));
        // The first training digit is a 5 and the first test digit a 7 (well known of MNIST).
        Assert.That(data.Train.Label(0), Is.EqualTo(5));
        Assert.That(data.Test.Label(0), Is.EqualTo(7));
        float max = 0; foreach (float p in data.Train.Image(0)) max = Math.Max(max, p);
        Assert.That(max, Is.EqualTo(1f), "pixels are scaled from 0..255 to 0..1");
    }

    [Test]
    public void When_ValidationIsSplitTwiceWithOneSeed_Expect_SameDisjointSplit()
    {
        var data = TestAssets.RealMnist();
        var (train1, val1) = data.Train.SplitValidation(5000, 7);
        var (train2, val2) = data.Train.SplitValidation(5000, 7);
        Assert.That(train1.Count, Is.EqualTo(55_000));
        Assert.That(val1.Count, Is.EqualTo(5000));
        Assert.That(val1.Labels.ToArray(), Is.EqualTo(val2.Labels.ToArray()));
        Assert.That(train1.Pixels.SequenceEqual(train2.Pixels), Is.True);
        var (_, val3) = data.Train.SplitValidation(5000, 8);
        Assert.That(val3.Pixels.SequenceEqual(val1.Pixels), Is.False, "another seed gives another split");
    }

    [Test]
    public void When_MnistOptionIsNotAFolder_Expect_BadInputNamingOption()
    {
        var e = Assert.Throws<BadInputException>(() => MnistDataset.Locate("/no/such/folder"));
        Assert.That(e!.Message, Does.Contain("--mnist was '/no/such/folder'").And.Contain("mbi data download"));
    }

    [Test]
    public void When_ValidationCountIsTooLarge_Expect_BadInput()
    {
        var tiny = new MnistImages(new float[4 * 4], [1, 2, 3, 4], 2);
        var e = Assert.Throws<BadInputException>(() => tiny.SplitValidation(4, 1));
        Assert.That(e!.Message, Does.Contain("validation_count was 4"));
    }

    [Test]
    public void When_SharedFilesAreChecked_Expect_AllHashesMatch()
    {
        var rows = MnistDownloader.Verify(TestAssets.Mnist());
        Assert.That(rows.All(r => r.Ok), Is.True, string.Join("; ", rows.Select(r => $"{r.File}: {r.Status}")));
    }
}

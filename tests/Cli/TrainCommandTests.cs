using System.Text.Json;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>`mbi train` end to end at a toy size (one epoch on 40 real MNIST images): what its options change.</summary>
/// <remarks>The validation split holds out 30,000 images so that any two splits leave different first 40 to train on.</remarks>
[TestFixture]
[NonParallelizable] // redirects the process-wide Console
public sealed class TrainCommandTests
{
    private string _root = "";

    [SetUp]
    public void MakeRoot() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), $"mbi-train-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Test]
    public void When_SplitSeedGiven_Expect_OnlyTheHeldOutImagesToFollowItAndTheMetricsToRecordIt()
    {
        string mnist = TestAssets.Mnist();
        (byte[] Model, JsonElement Metrics) Train(string name, params string[] extra)
        {
            string path = Path.Combine(_root, name + ".ram");
            var (exit, _, err) = InProcessCli.Run(["train", "--epochs", "1", "--batch", "8", "--train-limit", "40", "--validation", "30000",
                "--mnist", mnist, "--out", path, .. extra]);
            Assert.That(exit, Is.Zero, err);
            return (File.ReadAllBytes(path), JsonDocument.Parse(File.ReadAllText(path + ".metrics.json")).RootElement.Clone());
        }
        var byDefault = Train("default", "--seed", "2");
        var same = Train("same", "--seed", "2", "--split-seed", "2");
        var other = Train("other", "--seed", "2", "--split-seed", "1");
        Assert.That(same.Model, Is.EqualTo(byDefault.Model), "the split seed defaults to --seed");
        Assert.That(other.Model, Is.Not.EqualTo(byDefault.Model), "another split holds other images out (half of them here), so the first 40 left to train on differ");
        Assert.That(byDefault.Metrics.GetProperty("split_seed").GetUInt64(), Is.EqualTo(2));
        Assert.That(other.Metrics.GetProperty("split_seed").GetUInt64(), Is.EqualTo(1));
        Assert.That(other.Metrics.GetProperty("seed").GetUInt64(), Is.EqualTo(2));
    }
}

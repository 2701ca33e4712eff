using System.Text.Json;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// `mbi fit-queries` and `--query-fill` (issue #13 item 2) on real MNIST: the file the command writes is what the library
/// records from the split's training images, and `infer --query-fill` searches the tree the library builds from it.
/// </summary>
[TestFixture]
[NonParallelizable] // the CLI cases redirect the process-wide Console
public sealed class QueryFillCommandTests
{
    [OneTimeTearDown]
    public void DeleteTable() => SmallLut.Delete();

    [Test]
    public void When_FitQueriesRecordedAndUsed_Expect_TheLibrarysQueriesTreeAndClasses()
    {
        var (mnist, lut) = SmallLut.Get();
        string dir = Directory.CreateTempSubdirectory("mbi-fitq-cli-").FullName;
        try
        {
            string fitPath = Path.Combine(dir, "f.fitq");
            var (exit, stdout, stderr) = InProcessCli.Run("fit-queries", "--lut", lut, "--mnist", mnist, "--train-images", "40", "--out", fitPath, "--json");
            Assert.That(exit, Is.Zero, stderr);
            var json = JsonDocument.Parse(stdout).RootElement;
            var table = LutFile.Read(lut);
            var train = ValidationSplit.Load(mnist, ValidationSplit.DefaultImages, 1).Train.Take(40);
            var expected = FitQueryRecorder.Record(table, train, "library");
            var written = FitQueries.Read(fitPath);
            Assert.That(json.GetProperty("queries").GetInt32(), Is.EqualTo(expected.Count));
            Assert.That(written.Count, Is.EqualTo(40 * 4 * table.Spec.Glimpses));
            Assert.That(written.KeyFingerprint, Is.EqualTo(expected.KeyFingerprint));
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.That(written.Query(i).ToArray(), Is.EqualTo(expected.Query(i).ToArray()));
                Assert.That(written.Nearest(i).ToArray(), Is.EqualTo(expected.Nearest(i).ToArray()));
            }

            (exit, stdout, stderr) = InProcessCli.Run("infer", "--lut", lut, "--mnist", mnist, "--images", "200", "--branching", "8", "--leaf-size", "16",
                "--query-fill", fitPath, "--distance-budget", "224", "--seed", "1", "--json");
            Assert.That(exit, Is.Zero, stderr);
            json = JsonDocument.Parse(stdout).RootElement;
            var options = new KMeansTreeOptions { Branching = 8, LeafSize = 16, LeafCapacity = 32, Budget = 224, Seed = 1, QueryFill = written };
            var tree = (KMeansTree)SearchFactory.Build(table, SearchKind.Tree, options);
            var plain = (KMeansTree)SearchFactory.Build(table, SearchKind.Tree, options with { QueryFill = null, LeafCapacity = 0 });
            var test = MnistDataset.LoadTest(mnist).Take(200);
            var classifier = new MbiClassifier(table, new QuantizedGlimpseSensor(table.Spec), tree);
            int correct = 0;
            for (int i = 0; i < test.Count; i++) if (classifier.Classify(test.Image(i)).Class == test.Label(i)) correct++;
            Assert.That(json.GetProperty("lookup_only_accuracy").GetDouble(), Is.EqualTo(correct / (double)test.Count));
            var treeJson = json.GetProperty("tree");
            Assert.That(treeJson.GetProperty("stored_keys").GetInt64(), Is.EqualTo(tree.StoredKeys).And.GreaterThan(plain.StoredKeys), "the copies are counted");
            Assert.That(treeJson.GetProperty("query_fill").GetInt32(), Is.EqualTo(written.Count));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Test]
    public void When_FitQueriesRecordedInPartsAndGivenAsAList_Expect_TheTwelveDirectionRecordingsTree()
    {
        var (mnist, lut) = SmallLut.Get();
        string dir = Directory.CreateTempSubdirectory("mbi-fitq-cli-").FullName;
        try
        {
            string first = Path.Combine(dir, "d1-8.fitq"), second = Path.Combine(dir, "d9-12.fitq");
            var (exit, _, stderr) = InProcessCli.Run("fit-queries", "--lut", lut, "--mnist", mnist, "--train-images", "12", "--shift-directions", "8", "--out", first, "--json");
            Assert.That(exit, Is.Zero, stderr);
            (exit, var stdout, stderr) = InProcessCli.Run("fit-queries", "--lut", lut, "--mnist", mnist, "--train-images", "12", "--moves", "two-pixel",
                "--out", second, "--json");
            Assert.That(exit, Is.Zero, stderr);
            var json = JsonDocument.Parse(stdout).RootElement;
            Assert.That(json.GetProperty("moves").GetInt32(), Is.EqualTo(4));
            Assert.That(json.GetProperty("move_list")[0].GetString(), Is.EqualTo("(2,0)"));
            Assert.That(json.GetProperty("provenance").GetString(), Does.Contain("moved by two-pixel ((2,0) (-2,0) (0,2) (0,-2))"));

            var table = LutFile.Read(lut);
            var train = ValidationSplit.Load(mnist, ValidationSplit.DefaultImages, 1).Train.Take(12);
            var twelve = FitQueryRecorder.Record(table, train, "library", directions: 12);
            (exit, stdout, stderr) = InProcessCli.Run("infer", "--lut", lut, "--mnist", mnist, "--images", "100", "--branching", "8", "--leaf-size", "8",
                "--query-fill", first + "," + second, "--distance-budget", "224", "--seed", "1", "--json");
            Assert.That(exit, Is.Zero, stderr);
            json = JsonDocument.Parse(stdout).RootElement;
            var options = new KMeansTreeOptions { Branching = 8, LeafSize = 8, LeafCapacity = 32, Budget = 224, Seed = 1, QueryFill = twelve };
            var tree = (KMeansTree)SearchFactory.Build(table, SearchKind.Tree, options);
            var test = MnistDataset.LoadTest(mnist).Take(100);
            var classifier = new MbiClassifier(table, new QuantizedGlimpseSensor(table.Spec), tree);
            int correct = 0;
            for (int i = 0; i < test.Count; i++) if (classifier.Classify(test.Image(i)).Class == test.Label(i)) correct++;
            Assert.That(json.GetProperty("lookup_only_accuracy").GetDouble(), Is.EqualTo(correct / (double)test.Count));
            Assert.That(json.GetProperty("tree").GetProperty("stored_keys").GetInt64(), Is.EqualTo(tree.StoredKeys));
            Assert.That(json.GetProperty("tree").GetProperty("query_fill").GetInt32(), Is.EqualTo(twelve.Count));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Test]
    public void When_FitQueriesOfAnotherMetric_Expect_OneErrorLineNamingTheFix()
    {
        var (mnist, lut) = SmallLut.Get();
        string dir = Directory.CreateTempSubdirectory("mbi-fitq-cli-").FullName;
        try
        {
            string fitPath = Path.Combine(dir, "f.fitq");
            var (exit, _, stderr) = InProcessCli.Run("fit-queries", "--lut", lut, "--mnist", mnist, "--train-images", "5", "--out", fitPath, "--json");
            Assert.That(exit, Is.Zero, stderr);
            var (exit2, stdout2, stderr2) = InProcessCli.Run("infer", "--lut", lut, "--mnist", mnist, "--images", "10", "--leaf-size", "16",
                "--metric", "hamming", "--query-fill", fitPath, "--json");
            Assert.That(exit2, Is.Not.Zero);
            Assert.That(stdout2, Is.Empty);
            Assert.That(stderr2.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(stderr2, Does.StartWith("mbi: error: ").And.Contain("another table, metric or distance weights").And.Contain("mbi fit-queries"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}

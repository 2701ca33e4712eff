using System.Text.Json;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// `mbi eval --passes M` and `mbi infer --passes M` on real MNIST: what the commands print is what the library computes in
/// process (the summed softmax of <see cref="RamModel.Evaluate(MnistImages, Span{int}, Mbi.Core.Progress.IProgress{Mbi.Core.Progress.ProgressUpdate}?, string, int)"/>;
/// the vote of <see cref="MbiEvaluation.RunPasses"/>), and the reports say what the passes cost.
/// </summary>
[TestFixture]
[NonParallelizable] // the CLI cases redirect the process-wide Console
public sealed class PassesCommandTests
{
    [Test]
    public void When_EvalRunsThreePasses_Expect_TheSummedSoftmaxAccuracyAndThreeTimesTheMultiplyAdds()
    {
        string mnist = TestAssets.Mnist();
        string model = TestAssets.ShippedModel();
        var (exit, stdout, stderr) = InProcessCli.Run("eval", "--model", model, "--on", "validation", "--passes", "3", "--mnist", mnist, "--json");
        Assert.That(exit, Is.Zero, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;

        var ram = RamModel.Load(model);
        var validation = ValidationSplit.Load(mnist, ValidationSplit.DefaultImages, 1).Validation;
        Assert.That(json.GetProperty("validation_accuracy").GetDouble(), Is.EqualTo(ram.Evaluate(validation, Span<int>.Empty, passes: 3)));
        Assert.That(json.GetProperty("passes").GetInt32(), Is.EqualTo(3));
        Assert.That(json.GetProperty("multiply_adds_per_image").GetInt64(), Is.EqualTo(3 * RamFlops.ForwardMacs(ram.Config)));
        Assert.That(json.GetProperty("pass_offsets_pixels").EnumerateArray().Select(o => (o[0].GetInt32(), o[1].GetInt32())),
            Is.EqualTo(new[] { (0, 0), (1, 0), (-1, 0) }));
        Assert.That(ram.Evaluate(validation, Span<int>.Empty, passes: 3), Is.Not.EqualTo(ram.Evaluate(validation)), "three passes must change some classes");
    }

    [Test]
    public void When_EvalStopsConfidentImagesEarly_Expect_TheLibrarysAccuracyAndItsMeanPasses()
    {
        string mnist = TestAssets.Mnist();
        string model = TestAssets.ShippedModel();
        var (exit, stdout, stderr) = InProcessCli.Run("eval", "--model", model, "--on", "validation", "--passes", "3", "--stop-confidence", "0.98",
            "--mnist", mnist, "--json");
        Assert.That(exit, Is.Zero, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;

        var ram = RamModel.Load(model);
        var validation = ValidationSplit.Load(mnist, ValidationSplit.DefaultImages, 1).Validation;
        var run = ram.EvaluatePasses(validation, Span<int>.Empty, 3, 0.98);
        Assert.That(json.GetProperty("validation_accuracy").GetDouble(), Is.EqualTo(run.Accuracy));
        Assert.That(json.GetProperty("stop_confidence").GetDouble(), Is.EqualTo(0.98));
        Assert.That(json.GetProperty("images_stopped_after_first_pass").GetInt32(), Is.EqualTo(run.StoppedAfterFirstPass));
        Assert.That(json.GetProperty("mean_passes_per_image").GetDouble(), Is.EqualTo(run.MeanPasses));
        Assert.That(json.GetProperty("multiply_adds_per_image").GetDouble(), Is.EqualTo(run.MeanPasses * RamFlops.ForwardMacs(ram.Config)));
        Assert.That(run.MeanPasses, Is.InRange(1.05, 1.6), "most validation images are confident after one pass, not all");
    }

    private static (string Mnist, string Lut) SmallTable() => SmallLut.Get();

    [OneTimeTearDown]
    public void DeleteTable() => SmallLut.Delete();

    [Test]
    public void When_InferRunsThreePasses_Expect_TheVotedAccuracyAndThreeTimesTheLookups()
    {
        var (mnist, lut) = SmallTable();
        const int images = 200;
        var (exit, stdout, stderr) = InProcessCli.Run("infer", "--lut", lut, "--mnist", mnist, "--images", "200", "--branching", "8",
            "--distance-budget", "224", "--vote", "3", "--seed", "1", "--passes", "3", "--json");
        Assert.That(exit, Is.Zero, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;

        var table = LutFile.Read(lut);
        var search = SearchFactory.Build(table, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, LeafSize = 32, Budget = 224, Seed = 1 });
        var test = MnistDataset.LoadTest(mnist).Take(images);
        var runs = MbiEvaluation.RunPasses(table, search, 3, test, 3);
        Assert.That(json.GetProperty("lookup_only_accuracy").GetDouble(), Is.EqualTo(MbiEvaluation.VotedAccuracy(runs, test.Labels, 10)));
        Assert.That(json.GetProperty("lookups").GetInt64(), Is.EqualTo(3L * images * table.Spec.Glimpses));
        Assert.That(json.GetProperty("lookups_per_image").GetDouble(), Is.EqualTo(3.0 * table.Spec.Glimpses));
        Assert.That(json.GetProperty("pass_accuracies").EnumerateArray().Select(a => a.GetDouble()),
            Is.EqualTo(runs.Select(r => r.Accuracy(test.Labels))));
    }

    [Test]
    public void When_InferStopsPassesEarly_Expect_TheLibrarysClassesAndItsLookupCount()
    {
        var (mnist, lut) = SmallTable();
        var table = LutFile.Read(lut);
        var search = SearchFactory.Build(table, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, LeafSize = 32, Budget = 224, Seed = 1 });
        var test = MnistDataset.LoadTest(mnist).Take(200);
        // D = the median worst match distance of the first pass, so about half of the images stop.
        double d = MbiEvaluation.Run(new MbiClassifier(table, new QuantizedGlimpseSensor(table.Spec), search, 3), test).MaxDistance.Order().ElementAt(100);
        var stopping = MbiEvaluation.RunPassesStopping(table, search, 3, test, 5, d);

        var (exit, stdout, stderr) = InProcessCli.Run("infer", "--lut", lut, "--mnist", mnist, "--images", "200", "--branching", "8",
            "--distance-budget", "224", "--vote", "3", "--seed", "1", "--passes", "5", "--stop-distance", d.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.That(exit, Is.Zero, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.That(stopping.Continued.Length, Is.InRange(1, 199), "the fixture must stop some images and not others");
        Assert.That(json.GetProperty("lookup_only_accuracy").GetDouble(), Is.EqualTo(stopping.Accuracy(test.Labels)));
        Assert.That(json.GetProperty("lookups").GetInt64(), Is.EqualTo(stopping.Lookups));
        Assert.That(json.GetProperty("passes_per_image").GetDouble(), Is.EqualTo(stopping.MeanPasses));
        Assert.That(json.GetProperty("stop_distance").GetDouble(), Is.EqualTo(d));
    }

    [Test]
    public void When_InferStopsAtAVoteMargin_Expect_TheLibrarysClassesLookupsAndPasses()
    {
        var (mnist, lut) = SmallTable();
        var table = LutFile.Read(lut);
        var search = SearchFactory.Build(table, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, LeafSize = 32, Budget = 224, Seed = 1 });
        var test = MnistDataset.LoadTest(mnist).Take(200);
        // m = 1.2 x the median first-pass weight: confident images stop after one pass, agreeing ones after two, others run on.
        double m = 1.2 / (1 + MbiEvaluation.Run(new MbiClassifier(table, new QuantizedGlimpseSensor(table.Spec), search, 3), test).MaxDistance.Order().ElementAt(100));
        var stopping = MbiEvaluation.RunPassesStopping(table, search, 3, test, 5, null, null, m);

        var (exit, stdout, stderr) = InProcessCli.Run("infer", "--lut", lut, "--mnist", mnist, "--images", "200", "--branching", "8",
            "--distance-budget", "224", "--vote", "3", "--seed", "1", "--passes", "5", "--stop-margin", m.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.That(exit, Is.Zero, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.That(stopping.MeanPasses, Is.InRange(1.05, 4.95), "the fixture must stop some images early and run others on");
        Assert.That(json.GetProperty("lookup_only_accuracy").GetDouble(), Is.EqualTo(stopping.Accuracy(test.Labels)));
        Assert.That(json.GetProperty("lookups").GetInt64(), Is.EqualTo(stopping.Lookups));
        Assert.That(json.GetProperty("passes_per_image").GetDouble(), Is.EqualTo(stopping.MeanPasses));
        Assert.That(json.GetProperty("stop_margin").GetDouble(), Is.EqualTo(m));
    }

    [Test]
    public void When_InferRunsOnTheValidationSplit_Expect_TheHeldOutImagesNotTheTestSet()
    {
        // Stop rules and pass counts are chosen on validation: `infer --on validation` classifies the split's held-out
        // training images (split seed 1), never the test images.
        var (mnist, lut) = SmallTable();
        var table = LutFile.Read(lut);
        var search = SearchFactory.Build(table, SearchKind.Tree, new KMeansTreeOptions { Branching = 8, LeafSize = 32, Budget = 224, Seed = 1 });
        var held = ValidationSplit.Load(mnist, ValidationSplit.DefaultImages, 1).Validation.Take(150);
        var expected = MbiEvaluation.RunPassesStopping(table, search, 3, held, 3, null, null, 0.5);

        var (exit, stdout, stderr) = InProcessCli.Run("infer", "--lut", lut, "--mnist", mnist, "--on", "validation", "--images", "150", "--branching", "8",
            "--distance-budget", "224", "--vote", "3", "--seed", "1", "--passes", "3", "--stop-margin", "0.5", "--json");
        Assert.That(exit, Is.Zero, stderr);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.That(json.GetProperty("images_scored").GetString(), Is.EqualTo("validation"));
        Assert.That(json.GetProperty("images").GetInt32(), Is.EqualTo(150));
        Assert.That(json.GetProperty("lookup_only_accuracy").GetDouble(), Is.EqualTo(expected.Accuracy(held.Labels)));
        Assert.That(json.GetProperty("lookups").GetInt64(), Is.EqualTo(expected.Lookups));
        var onTest = MbiEvaluation.RunPassesStopping(table, search, 3, MnistDataset.LoadTest(mnist).Take(150), 3, null, null, 0.5);
        Assert.That(onTest.Lookups, Is.Not.EqualTo(expected.Lookups), "the fixture must tell the validation images from the test images");
    }
}

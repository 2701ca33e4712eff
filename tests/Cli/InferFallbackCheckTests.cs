using System.Globalization;
using System.Text.Json;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.Cli.Tests;

/// <summary>
/// `mbi infer --gate FILE --threshold T --fallback-check`: mixed MBI with no network. The images the learned gate does not
/// serve take the class of the gate file's image check, so infer's accuracy and share served must be exactly
/// <see cref="MbiEvaluation.Mixed(MbiRun, ReadOnlySpan{double}, ReadOnlySpan{int}, ReadOnlySpan{byte}, double)"/> with the
/// check's classes as the fallback, computed here in process on real MNIST (a small table distilled from the shipped model).
/// </summary>
[TestFixture]
[NonParallelizable] // the CLI cases redirect the process-wide Console
public sealed class InferFallbackCheckTests
{
    private const int Vote = 3, TestImages = 300;
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("mbi-infer-check-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void When_InferFallsBackToTheGatesImageCheck_Expect_MixedMbiWithTheChecksClassesAndNoNetworkRead()
    {
        var (mnist, lut, gatePath, gateNoCheck, table, search, gate, check) = Build();
        var sensor = new QuantizedGlimpseSensor(table.Spec);
        var test = MnistDataset.LoadTest(mnist).Take(TestImages);
        var run = MbiEvaluation.Run(new MbiClassifier(table, sensor, search, Vote), test, trace: true);
        double[] scores = gate.Scores(run, test);
        int[] checkClasses = check.Classify(test);
        double t = scores.OrderBy(s => s).ElementAt(TestImages * 3 / 4); // serves about three quarters
        var expected = MbiEvaluation.Mixed(run, scores, checkClasses, test.Labels, t);
        Assert.That(expected.MbiFraction, Is.InRange(0.5, 0.95), "the threshold serves some images and falls back on others");

        // --model names a file that does not exist: with --fallback-check no network is read.
        var root = InferGives(mnist, lut, gatePath, t, expected);
        Assert.That(root.GetProperty("lookup_only_accuracy").GetDouble(), Is.EqualTo(run.Accuracy(test.Labels)));
        var fc = root.GetProperty("fallback_check");
        Assert.That(fc.GetProperty("multiply_adds").GetInt64(), Is.EqualTo(7840));
        Assert.That(fc.GetProperty("accuracy").GetDouble(), Is.EqualTo(checkClasses.Where((c, i) => c == test.Label(i)).Count() / (double)TestImages));
        Assert.That(root.TryGetProperty("fallback_model", out _), Is.False);

        // A gate without an image check has nothing to fall back to: one line naming the file, before any lookup.
        var (exit, stdout, stderr) = Infer(mnist, lut, gateNoCheck, t);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
        Assert.That(stderr, Does.StartWith("mbi: error: --fallback-check was given with").And.Contain("nocheck.json").And.Contain("--gate-check linear"));
        Assert.That(stdout, Is.Empty);
    }

    [Test]
    public void When_TheGateIsInFixedPoint_Expect_InferScoresWithItsIntegerSumsNotTheFloatRegression()
    {
        var (mnist, lut, _, _, table, search, floatGate, check) = Build(fixedPointToo: true);
        string gatePath = Path.Combine(_dir, "gate-fx.json");
        var gate = LearnedGateFile.Read(gatePath);
        Assert.That(gate.FixedPoint, Is.Not.Null);
        var test = MnistDataset.LoadTest(mnist).Take(TestImages);
        var run = MbiEvaluation.Run(new MbiClassifier(table, new QuantizedGlimpseSensor(table.Spec), search, Vote), test, trace: true);
        double[] scores = gate.Scores(run, test), floats = floatGate.Scores(run, test);
        // T at an image the fixed-point score serves and the float score (fitted on the same images) does not, so infer's
        // share tells which regression it ran.
        int i = Enumerable.Range(0, TestImages).Where(k => scores[k] < floats[k]).MinBy(k => Math.Abs(scores[k] - scores.OrderBy(v => v).ElementAt(TestImages * 3 / 4)));
        double t = scores[i];
        int[] checkClasses = check.Classify(test);
        var expected = MbiEvaluation.Mixed(run, scores, checkClasses, test.Labels, t);
        Assert.That(expected.MbiFraction, Is.Not.EqualTo(MbiEvaluation.Mixed(run, floats, checkClasses, test.Labels, t).MbiFraction));
        var fx = InferGives(mnist, lut, gatePath, t, expected).GetProperty("gate_fixed_point");
        Assert.That(fx.GetProperty("bits").GetInt32(), Is.EqualTo(8));
        Assert.That(fx.GetProperty("accumulator_bits").GetInt32(), Is.EqualTo(gate.FixedPoint!.AccumulatorBits));
    }

    /// <summary>Runs infer at <paramref name="t"/>, checks it succeeds with exactly <paramref name="expected"/>'s accuracy and share, and returns its JSON.</summary>
    private JsonElement InferGives(string mnist, string lut, string gatePath, double t, MixedPoint expected)
    {
        var (exit, stdout, stderr) = Infer(mnist, lut, gatePath, t);
        Assert.That(exit, Is.Zero, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement.Clone();
        Assert.That(root.GetProperty("accuracy").GetDouble(), Is.EqualTo(expected.Accuracy));
        Assert.That(root.GetProperty("mbi_fraction").GetDouble(), Is.EqualTo(expected.MbiFraction));
        return root;
    }

    private (int Exit, string Out, string Err) Infer(string mnist, string lut, string gate, double t) =>
        InProcessCli.Run("infer", "--lut", lut, "--model", Path.Combine(_dir, "absent.ram"), "--mnist", mnist,
            "--images", TestImages.ToString(CultureInfo.InvariantCulture), "--branching", "8", "--distance-budget", "224", "--vote", "3", "--seed", "1",
            "--gate", gate, "--threshold", t.ToString("R", CultureInfo.InvariantCulture), "--fallback-check", "--json");

    /// <summary>A 4,000-row table of the shipped 96.19 % model from 1,500 training images, and two gates fitted on 400 others.</summary>
    private (string Mnist, string Lut, string Gate, string GateNoCheck, LookupTable Table, INearestKeySearch Search, LearnedGate LearnedGate, ImageCheck Check) Build(bool fixedPointToo = false)
    {
        string mnist = TestAssets.Mnist();
        var data = TestAssets.RealMnist();
        var ram = QuantizedRamStepModel.Load(Path.Combine(TestAssets.RepositoryRoot(), "models", "ram-mbi.ram"));
        var train = data.Train.Take(1500);
        string lut = Path.Combine(_dir, "t.lut");
        LutFile.Write(lut, Distiller.Distill(ram, train, 4000, 1, "ram-mbi.ram").Table);
        var table = LutFile.Read(lut);
        var treeOptions = new KMeansTreeOptions { Branching = 8, LeafSize = 32, Budget = 224, Seed = 1 };
        var search = SearchFactory.Build(table, SearchKind.Tree, treeOptions);
        var fit = data.Train.Subset(Enumerable.Range(1500, 400).ToArray());
        var fitRun = MbiEvaluation.Run(new MbiClassifier(table, new QuantizedGlimpseSensor(table.Spec), search, Vote), fit, trace: true);
        var check = ImageCheck.Train(train, 1);
        string sha = TableIdentity.Sha256(table);
        var gate = LearnedGate.Fit(fitRun, fit.Labels, Vote, 10, 1, sha, treeOptions.ToString(), check: check, images: fit);
        string gatePath = Path.Combine(_dir, "gate.json"), noCheck = Path.Combine(_dir, "nocheck.json");
        LearnedGateFile.Write(gatePath, gate);
        LearnedGateFile.Write(noCheck, LearnedGate.Fit(fitRun, fit.Labels, Vote, 10, 1, sha, treeOptions.ToString()));
        if (fixedPointToo)
            LearnedGateFile.Write(Path.Combine(_dir, "gate-fx.json"), LearnedGate.Fit(fitRun, fit.Labels, Vote, 10, 1, sha, treeOptions.ToString(), check: check, images: fit, regressionBits: 8));
        return (mnist, lut, gatePath, noCheck, table, search, gate, check);
    }
}

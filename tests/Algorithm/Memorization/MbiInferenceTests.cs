using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Core.Randomness;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Memorization;

[TestFixture]
public sealed class MbiInferenceTests
{
    private static readonly GlimpseKeySpec Spec = new(patchSize: 3, scales: 2, scaleFactor: 2, patchBits: 2, hiddenBits: 40,
        locationLevels: 7, glimpses: 4);

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("mbi-infer-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void When_LutHoldsEveryStepOfTheImages_Expect_LookupsReproduceTheModelWithoutCallingIt()
    {
        var model = new FakeStepModel(Spec);
        var images = Images(300, seed: 1);
        var distilled = Distiller.Distill(model, images, maxRows: 1_000_000, seed: 5, "fake");
        Assert.That(distilled.RowsRecorded, Is.EqualTo(300 * Spec.Glimpses));
        Assert.That(distilled.Table.Rows, Is.EqualTo(distilled.DistinctKeys).And.LessThanOrEqualTo(300 * Spec.Glimpses));
        int[] modelClasses = MbiEvaluation.RunModel(model, images);

        string path = Path.Combine(_dir, "t.lut");
        LutFile.Write(path, distilled.Table);
        int callsBefore = model.Calls;

        // Lookup-only: the table from disk, a sensor rebuilt from its spec, a tree. No model anywhere.
        var lut = LutFile.Read(path);
        var kernel = new DistanceKernel(lut.Layout, lut.Weights);
        var tree = KMeansTree.Build(kernel, lut.KeyElements, lut.Rows, new KMeansTreeOptions());
        var classifier = new MbiClassifier(lut, new QuantizedGlimpseSensor(lut.Spec), tree);
        var run = MbiEvaluation.Run(classifier, images);

        Assert.That(model.Calls, Is.EqualTo(callsBefore), "lookup-only inference never evaluates the network");
        Assert.That(run.Predicted, Is.EqualTo(modelClasses), "every key is stored, so every lookup is exact");
        Assert.That(run.MaxDistance, Is.All.EqualTo(0.0));
        Assert.That(run.AverageLevels, Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public void When_TableIsIncomplete_Expect_MixedMbiBetweenLookupOnlyAndModel()
    {
        var model = new FakeStepModel(Spec);
        var train = Images(400, seed: 2);
        var test = Images(200, seed: 3);
        var distilled = Distiller.Distill(model, train, maxRows: 500, seed: 5, "fake");
        var lut = distilled.Table;
        Assume.That(distilled.DistinctKeys, Is.GreaterThan(500), "the budget must bind for this test");
        Assert.That(lut.Rows, Is.EqualTo(500));
        var classifier = new MbiClassifier(lut, new QuantizedGlimpseSensor(Spec), new BruteForceSearch(lut.PackKeys(), new DistanceKernel(lut.Layout, lut.Weights)));
        var run = MbiEvaluation.Run(classifier, test);
        int[] modelClasses = MbiEvaluation.RunModel(model, test);
        var labels = modelClasses.Select(c => (byte)c).ToArray(); // score against the model: it is right by definition

        var none = MbiEvaluation.Mixed(run, modelClasses, labels, threshold: -1);
        var all = MbiEvaluation.Mixed(run, modelClasses, labels, threshold: double.PositiveInfinity);
        Assert.That(none.MbiFraction, Is.EqualTo(0.0));
        Assert.That(none.Accuracy, Is.EqualTo(1.0));
        Assert.That(all.MbiFraction, Is.EqualTo(1.0));
        Assert.That(all.Accuracy, Is.EqualTo(run.Accuracy(labels)));
        double median = run.MaxDistance.Order().ElementAt(100);
        var half = MbiEvaluation.Mixed(run, modelClasses, labels, median);
        Assert.That(half.MbiFraction, Is.InRange(0.5, 1.0));
        Assert.That(half.Accuracy, Is.InRange(all.Accuracy, 1.0));
    }

    /// <summary>The mixed-tuning tests' table (500 rows distilled from the fake model), splits, the model's classes on them, tree options and sensor.</summary>
    private static (LookupTable Lut, MnistImages Validation, MnistImages Test, int[] RamValidation, int[] RamTest, KMeansTreeOptions Options,
        QuantizedGlimpseSensor Sensor) MixedTuningSetup()
    {
        var model = new FakeStepModel(Spec);
        var lut = Distiller.Distill(model, Images(400, seed: 2), maxRows: 500, seed: 5, "fake").Table;
        var validation = Images(150, seed: 3);
        var test = Images(150, seed: 4);
        return (lut, validation, test, MbiEvaluation.RunModel(model, validation), MbiEvaluation.RunModel(model, test),
            new KMeansTreeOptions { LeafSize = 8, Seed = 3 }, new QuantizedGlimpseSensor(Spec));
    }

    [Test]
    public void When_MixedWeightsTuned_Expect_ReportedPointsReproducedByTheTreeInferBuildsForTheTunedTable()
    {
        // tune-mixed writes a table carrying the tuned weights; `mbi infer` builds its tree under those weights.
        // The reported validation and test points must be what that tree gives, not the tuning tree's.
        var (lut, validation, test, ramValidation, ramTest, options, sensor) = MixedTuningSetup();

        var tuning = DistanceTuning.TuneMixed(lut, options, sensor, validation, ramValidation, test, ramTest,
            target: 0.05, budget: 6, seed: 7);

        var written = lut.With(tuning.Weights, lut.Metric);
        var tree = KMeansTree.Build(new DistanceKernel(written.Layout, written.Weights), written.KeyElements, written.Rows, options);
        var classifier = new MbiClassifier(written, sensor, tree);
        var onValidation = MbiEvaluation.BestThreshold(MbiEvaluation.Run(classifier, validation), ramValidation, validation.Labels, 0.05);
        var onTest = MbiEvaluation.Mixed(MbiEvaluation.Run(classifier, test), ramTest, test.Labels, tuning.Validation.Threshold);
        Assert.That(tuning.Validation, Is.EqualTo(onValidation));
        Assert.That(tuning.Test, Is.EqualTo(onTest));
    }

    [Test]
    public void When_MixedTunedForTheMostAccurateGate_Expect_EveryWeightAtItsMostAccurateTAndTheBestChosen()
    {
        // --fallback-check: the fallback is not a network, so no share need reach a target; BO and every agreement
        // weight take the most accurate threshold, and the chosen gate is the most accurate one.
        var (lut, validation, test, ramValidation, ramTest, options, sensor) = MixedTuningSetup();
        var tuning = DistanceTuning.TuneMixed(lut, options, sensor, validation, ramValidation, test, ramTest,
            target: 0.9, budget: 6, seed: 7, vote: 5, mostAccurate: true);

        var written = lut.With(tuning.Weights, lut.Metric);
        var tree = KMeansTree.Build(new DistanceKernel(written.Layout, written.Weights), written.KeyElements, written.Rows, options);
        var classifier = new MbiClassifier(written, sensor, tree, vote: 5);
        var run = MbiEvaluation.Run(classifier, validation);
        foreach (var candidate in tuning.AgreementCandidates)
            Assert.That(candidate, Is.EqualTo(MbiEvaluation.MostAccurateThreshold(run, ramValidation, validation.Labels, candidate.AgreementWeight)));
        double best = tuning.AgreementCandidates.Max(c => c.Accuracy);
        Assert.That(tuning.Validation, Is.EqualTo(tuning.AgreementCandidates.First(c => c.Accuracy == best)), "the most accurate, ties to the smaller weight");
        Assert.That(tuning.Test, Is.EqualTo(MbiEvaluation.Mixed(MbiEvaluation.Run(classifier, test), ramTest, test.Labels,
            tuning.Validation.Threshold, tuning.AgreementWeight)));
        // BO's objective was that accuracy: its best value is the distance gate's most accurate validation accuracy with
        // its best weights on the tuning tree (built under the table's own weights).
        var tuningTree = KMeansTree.Build(new DistanceKernel(lut.Layout, lut.Weights), lut.KeyElements, lut.Rows, options);
        var searched = tuningTree.WithKernel(new DistanceKernel(lut.Layout, DistanceTuning.FromLog(tuning.Bayesian.BestX)));
        var boRun = MbiEvaluation.Run(new MbiClassifier(lut, sensor, searched, vote: 5), validation);
        Assert.That(tuning.Bayesian.BestValue, Is.EqualTo(MbiEvaluation.MostAccurateThreshold(boRun, ramValidation, validation.Labels).Accuracy));
    }

    [Test]
    public void When_MixedTunedWithTheVote_Expect_EachGridWeightTriedAndTheChosenGateReproducedByInfer()
    {
        var (lut, validation, test, ramValidation, ramTest, options, sensor) = MixedTuningSetup();
        // Labelled by the model (right by definition), so the target binds: only lookups that agree with it keep 90 %.
        validation = new MnistImages(validation.Pixels.ToArray(), [.. ramValidation.Select(c => (byte)c)], 28);
        test = new MnistImages(test.Pixels.ToArray(), [.. ramTest.Select(c => (byte)c)], 28);
        const double target = 0.9;

        var tuning = DistanceTuning.TuneMixed(lut, options, sensor, validation, ramValidation, test, ramTest,
            target, budget: 6, seed: 7, vote: 5);

        Assert.That(tuning.AgreementCandidates.Select(c => c.AgreementWeight), Is.EqualTo(DistanceTuning.AgreementWeightGrid));
        double most = tuning.AgreementCandidates.Max(c => c.MbiFraction);
        Assert.That(tuning.Validation, Is.EqualTo(tuning.AgreementCandidates.First(c => c.MbiFraction == most)), "the most served, ties to the smaller weight");
        var written = lut.With(tuning.Weights, lut.Metric);
        var tree = KMeansTree.Build(new DistanceKernel(written.Layout, written.Weights), written.KeyElements, written.Rows, options);
        var classifier = new MbiClassifier(written, sensor, tree, vote: 5);
        var run = MbiEvaluation.Run(classifier, validation);
        foreach (var candidate in tuning.AgreementCandidates)
            Assert.That(candidate, Is.EqualTo(MbiEvaluation.BestThreshold(run, ramValidation, validation.Labels, target, candidate.AgreementWeight)));
        Assert.That(tuning.Test, Is.EqualTo(MbiEvaluation.Mixed(MbiEvaluation.Run(classifier, test), ramTest, test.Labels,
            tuning.Validation.Threshold, tuning.AgreementWeight)));
        Assert.That(tuning.StartValidation.AgreementWeight, Is.EqualTo(tuning.AgreementWeight), "the table's own weights are scored under the same gate");

        // One voting key: the agreement is always 2, so only weight 0 is tried; a weight given is tried alone.
        var single = DistanceTuning.TuneMixed(lut, options, sensor, validation, ramValidation, test, ramTest, target, budget: 3, seed: 7);
        Assert.That(single.AgreementCandidates.Select(c => c.AgreementWeight), Is.EqualTo(new[] { 0.0 }));
        var given = DistanceTuning.TuneMixed(lut, options, sensor, validation, ramValidation, test, ramTest, target, budget: 3, seed: 7,
            vote: 5, agreementWeights: [20.0]);
        Assert.That((given.AgreementCandidates.Count, given.AgreementWeight), Is.EqualTo((1, 20.0)));
    }

    [Test]
    public void When_MixedTunedWithAnotherFallback_Expect_TestPointsCountingItsClassesOnTheImagesNotServed()
    {
        // tune-mixed --fallback-model: the fallback's classes go in where the table's model's would. Labels are the table's
        // model's classes; the other fallback disagrees with it on every third image, so the two differ on the images not served.
        var (lut, validation, test, ramValidation, ramTest, options, sensor) = MixedTuningSetup();
        validation = new MnistImages(validation.Pixels.ToArray(), [.. ramValidation.Select(c => (byte)c)], 28);
        test = new MnistImages(test.Pixels.ToArray(), [.. ramTest.Select(c => (byte)c)], 28);
        static int[] Other(int[] own) => [.. own.Select((c, i) => i % 3 == 0 ? (c + 1) % 10 : c)];
        int[] fallbackValidation = Other(ramValidation), fallbackTest = Other(ramTest);

        var tuning = DistanceTuning.TuneMixed(lut, options, sensor, validation, fallbackValidation, test, fallbackTest,
            target: 0.7, budget: 4, seed: 7, vote: 5, learnedGate: new LearnedGateRequest(1));

        var written = lut.With(tuning.Weights, lut.Metric);
        var tree = KMeansTree.Build(new DistanceKernel(written.Layout, written.Weights), written.KeyElements, written.Rows, options);
        var run = MbiEvaluation.Run(new MbiClassifier(written, sensor, tree, vote: 5), test, trace: true);
        var learnedScores = tuning.Learned!.Gate.Scores(run);
        // By hand: an image served (score <= T) counts its lookups' class, any other the fallback's. Exact: counts over 150.
        (double Accuracy, double Served) ByHand(Func<int, bool> served)
        {
            int right = 0, byLookups = 0;
            for (int i = 0; i < test.Count; i++)
            {
                bool lookup = served(i);
                byLookups += lookup ? 1 : 0;
                right += (lookup ? run.Predicted[i] : fallbackTest[i]) == test.Label(i) ? 1 : 0;
            }
            return (right / (double)test.Count, byLookups / (double)test.Count);
        }
        var today = ByHand(i => run.GateScore(i, tuning.AgreementWeight) <= tuning.Validation.Threshold);
        var learned = ByHand(i => learnedScores[i] <= tuning.Learned.Validation.Threshold);
        Assert.That(today.Served, Is.GreaterThan(0).And.LessThan(1), "some images on each side of the gate");
        Assert.That((tuning.Test.Accuracy, tuning.Test.MbiFraction), Is.EqualTo(today));
        Assert.That((tuning.Learned.Test.Accuracy, tuning.Learned.Test.MbiFraction), Is.EqualTo(learned));
    }

    [Test]
    public void When_ImageShifted_Expect_PixelsMovedAndZerosShiftedIn()
    {
        float[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9]; // 3x3, row-major
        var moved = new float[9];
        Distiller.Shift(image, moved, side: 3, dx: 1, dy: -1);
        // Right by one, up by one: the top row comes from the middle row, shifted right.
        Assert.That(moved, Is.EqualTo(new float[] { 0, 4, 5, 0, 7, 8, 0, 0, 0 }));
    }

    [Test]
    public void When_DistilledWithShifts_Expect_RowsFromEveryVariant()
    {
        var model = new FakeStepModel(Spec);
        var images = Images(50, seed: 4);
        var plain = Distiller.Distill(model, images, 1_000_000, 1, "fake");
        var augmented = Distiller.Distill(model, images, 1_000_000, 1, "fake", shifts: [(1, 0), (-1, 0)]);
        Assert.That(augmented.RowsRecorded, Is.EqualTo(3 * plain.RowsRecorded));
        Assert.That(augmented.DistinctKeys, Is.GreaterThan(plain.DistinctKeys));
        Assert.That(augmented.Table.Provenance, Does.Contain("3 variants"));
    }

    private static MnistImages Images(int count, ulong seed)
    {
        var rng = new SeededRandom(seed);
        var pixels = new float[count * 28 * 28];
        // Blobs on a dark background, like digits: a few bright discs per image.
        for (int i = 0; i < count; i++)
            for (int blob = 0; blob < 3; blob++)
            {
                double cx = 6 + 16 * rng.NextDouble(), cy = 6 + 16 * rng.NextDouble(), r = 2 + 4 * rng.NextDouble();
                for (int y = 0; y < 28; y++)
                    for (int x = 0; x < 28; x++)
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) pixels[i * 784 + y * 28 + x] = 1f;
            }
        var labels = new byte[count];
        return new MnistImages(pixels, labels, 28);
    }
}

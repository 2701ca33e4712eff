using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Mapping;
using Mbi.CoSim.Studies;
using Mbi.Tests;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Studies;

/// <summary>
/// `cosim --gate FILE`: every die (and the ideal arrays) runs the chain `infer --gate` runs (one pass with the glimpse trace,
/// the learned gate's scores of those lookups, served when the score is within T) on its own arrays. On ideal arrays that is
/// infer's result image by image; a die differs from it only through what its arrays read.
/// </summary>
[TestFixture]
public sealed class LearnedGateDieTests
{
    private const int Vote = 5, TrainImages = 1200, Rows = 3000, FitImages = 300, Images = 240;

    /// <summary>
    /// A table of the shipped model from real training images, with weights as a tuned table has them (not exact in binary,
    /// so tied distances meet the arrays' arithmetic), the 8-way best-first tree, and a gate as the headline one is made (an
    /// image check and an 8-bit fixed-point regression) fitted on other training images with the digital search.
    /// </summary>
    private static (LookupSetup Setup, LearnedGate Gate, int[] Fallback) Build()
    {
        lock (Built) return s_built ??= BuildNew(); // once for the fixture's tests
    }

    private static readonly Lock Built = new();
    private static (LookupSetup, LearnedGate, int[])? s_built;

    private static (LookupSetup Setup, LearnedGate Gate, int[] Fallback) BuildNew()
    {
        const ColumnCoding coding = ColumnCoding.Thermometer; // the headline's: binary arrays keep the location in thermometer columns, not the Hamming table's code
        var data = TestAssets.RealMnist();
        var model = QuantizedRamStepModel.Load(TestAssets.ShippedModel());
        var train = data.Train.Take(TrainImages);
        var mapping = new ArrayMapping(model.Spec, coding);
        var lut = Distiller.Distill(model, train, Rows, 1, "gate die test").Table.With(new DistanceWeights(0.0611536, 0.0318338, 0.0716725), mapping.Metric);
        var tree = KMeansTree.Build(new DistanceKernel(lut.Layout, lut.Weights), lut.KeyElements, lut.Rows,
            new KMeansTreeOptions { Branching = 8, LeafSize = 16, Budget = 100, Seed = 1 });
        var fit = data.Train.Subset(Enumerable.Range(TrainImages, FitImages).ToArray());
        var fitRun = MbiEvaluation.Run(new MbiClassifier(lut, new QuantizedGlimpseSensor(lut.Spec), tree, Vote), fit, trace: true);
        var check = ImageCheck.Train(train, 1);
        var gate = LearnedGate.Fit(fitRun, fit.Labels, Vote, 10, 1, TableIdentity.Sha256(lut), "test tree", check: check, images: fit, regressionBits: 8);
        var test = data.Test.Take(Images);
        var setup = new LookupSetup(lut, tree, new MappedTree(tree, mapping), model, test, "gate die test", 0);
        return (setup, gate, MbiEvaluation.RunModel(model, test));
    }

    /// <summary>`infer --gate`'s chain with the digital tree search: the run, the gate's scores and mixed MBI at <paramref name="t"/>.</summary>
    private static (MbiRun Run, double[] Scores, MixedPoint Mixed) Infer(LookupSetup setup, LearnedGate gate, int[] fallback, double t)
    {
        var run = MbiEvaluation.Run(new MbiClassifier(setup.Table, new QuantizedGlimpseSensor(setup.Table.Spec), setup.Tree, Vote), setup.Test, trace: true);
        double[] scores = gate.Scores(run, setup.Test);
        return (run, scores, MbiEvaluation.Mixed(run, scores, fallback, setup.Test.Labels, t));
    }

    /// <summary>A threshold serving about three quarters of the images (as the headline gate serves 89 %).</summary>
    private static double ThresholdOf(double[] scores) => scores.Order().ElementAt(scores.Length * 3 / 4);

    [Test]
    public void When_IdealArraysRunTheLearnedGate_Expect_InfersDecisionsImageByImage()
    {
        var (setup, gate, fallback) = Build();
        var (run, scores, expected) = Infer(setup, gate, fallback, double.NaN);
        double t = ThresholdOf(scores);
        expected = MbiEvaluation.Mixed(run, scores, fallback, setup.Test.Labels, t);
        Assert.That(expected.MbiFraction, Is.InRange(0.5, 0.95), "the threshold serves some images and falls back on others");

        // Image by image: the arrays' lookups, their trace and the gate's scores are infer's bit for bit (exact equality: since
        // the arrays rank rows in the kernel's arithmetic, tied distances stay tied and nothing may differ).
        var (onArrays, arrayScores) = VariationStudy.GatedLookups(setup, new CircuitTreeSearch(setup.Mapped, new IdealArrayModel()), Vote, gate);
        Assert.That(onArrays.Predicted, Is.EqualTo(run.Predicted), "the lookups' classes");
        Assert.That(onArrays.Trace, Is.EqualTo(run.Trace), "every glimpse's trace (distances, agreements, classes, winners)");
        Assert.That(arrayScores, Is.EqualTo(scores), "the gate's scores");
        Assert.That(arrayScores.Select(s => s <= t), Is.EqualTo(scores.Select(s => s <= t)), "the images served");

        var ideal = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, fallback, t, vote: Vote, gate: gate);
        Assert.That((ideal.MixedAccuracy, ideal.MbiFraction), Is.EqualTo((expected.Accuracy, expected.MbiFraction)));
        Assert.That(ideal.MbiAccuracy, Is.EqualTo(run.Accuracy(setup.Test.Labels)), "lookup-only accuracy of the same pass");
        Assert.That(ideal.Lookups, Is.EqualTo((long)Images * setup.Table.Spec.Glimpses));

        // The fixture must be one where the gate matters: the distance threshold at the same share serves other images.
        double distanceT = run.MaxDistance.Order().ElementAt((int)(expected.MbiFraction * Images) - 1);
        var byDistance = Enumerable.Range(0, Images).Select(i => run.MaxDistance[i] <= distanceT);
        Assert.That(byDistance, Is.Not.EqualTo(scores.Select(s => s <= t)), "the learned gate chooses other images than the distance");
    }

    /// <summary>A die whose arrays read every row exactly (a compact-model die in kind, so the search also counts winner changes).</summary>
    private sealed class ExactDie : IArrayModel
    {
        private readonly IdealArrayModel _exact = new();
        public ArrayModelKind Kind => ArrayModelKind.Compact;
        public long SaturatedReadouts => 0;
        public void Read(ArrayId array, ArraySplit split, ReadOnlySpan<ulong> keys, ulong query, Span<int> codes) => _exact.Read(array, split, keys, query, codes);
    }

    [Test]
    public void When_ADiesArraysReadTheIdealCodes_Expect_TheIdealArraysGatedOutcome()
    {
        // A die differs from the ideal arrays only through the codes its arrays read: one that reads them exactly gives the
        // ideal arrays' lookups, gate scores and mixed decisions (the same fallback classes, the same gate, the same T).
        var (setup, gate, fallback) = Build();
        double t = ThresholdOf(Infer(setup, gate, fallback, 0).Scores);
        var ideal = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, fallback, t, vote: Vote, gate: gate);
        var exact = VariationStudy.RunDie(setup, new ExactDie(), 7, fallback, t, vote: Vote, gate: gate);
        Assert.That(exact, Is.EqualTo(ideal with { Die = 7 }));
    }

    [TestCase(0.0)]
    [TestCase(0.060)]
    public void When_ACompactModelDieRunsTheGate_Expect_InfersRuleOnThatDiesOwnLookups(double sigmaVolts)
    {
        // The gate reads what this die's arrays returned (their distances, votes and classes): the die's mixed MBI is infer's
        // rule applied to the die's own run, not to the ideal arrays' scores. At 60 mV winners change on some lookups and
        // the gate's inputs with them; the nominal die (sigma 0) reads through the same compact model and ADC, so it is
        // checked the same way rather than assumed ideal.
        var calibration = TestCache.Calibration();
        var (setup, gate, fallback) = Build();
        var (_, idealScores, _) = Infer(setup, gate, fallback, 0);
        double t = ThresholdOf(idealScores);
        CompactArrayModel Die() => new(calibration, 5, seed: 1, die: 3, sigmaVolts: sigmaVolts);
        var outcome = VariationStudy.RunDie(setup, Die(), 3, fallback, t, vote: Vote, gate: gate);
        var (dieRun, dieScores) = VariationStudy.GatedLookups(setup, new CircuitTreeSearch(setup.Mapped, Die()), Vote, gate);
        var rule = MbiEvaluation.Mixed(dieRun, dieScores, fallback, setup.Test.Labels, t);
        Assert.That((outcome.MixedAccuracy, outcome.MbiFraction, outcome.MbiAccuracy), Is.EqualTo((rule.Accuracy, rule.MbiFraction, dieRun.Accuracy(setup.Test.Labels))));
        if (sigmaVolts > 0)
        {
            Assert.That(outcome.WinnerChanged, Is.GreaterThan(0), "the die must misread some lookups for the test to mean anything");
            Assert.That(dieScores, Is.Not.EqualTo(idealScores), "the die's lookups give the gate other inputs");
        }
    }

    [Test]
    public void When_AGatedDieIsAskedForPasses_Expect_Refused()
    {
        var (setup, gate, fallback) = Build();
        Assert.That(() => VariationStudy.RunDie(setup, new IdealArrayModel(), -1, fallback, 0, new PassesPlan(3), Vote, gate),
            Throws.ArgumentException.With.Message.Contains("one pass"));
    }
}

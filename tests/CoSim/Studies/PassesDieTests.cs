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
/// `energy --passes M` prices what the passes really do: the die's counts are the sum of every pass's lookups, each pass on the
/// image its sensor reads (the translated image), and its lookup-only accuracy is the passes' vote.
/// </summary>
[TestFixture]
public sealed class PassesDieTests
{
    private const int Count = 24;

    private static LookupSetup Setup(MnistImages test)
    {
        var model = QuantizedRamStepModel.Load(TestAssets.ShippedModel());
        var lut = Distiller.Distill(model, TestImages.Bordered(Count, 3), 400, 1, "passes test").Table;
        var mapping = new ArrayMapping(lut.Spec, ColumnCoding.Binary);
        lut = lut.With(lut.Weights, mapping.Metric);
        var tree = KMeansTree.Build(new DistanceKernel(lut.Layout, lut.Weights), lut.KeyElements, lut.Rows,
            new KMeansTreeOptions { Branching = 8, LeafSize = 32, Seed = 1 });
        return new LookupSetup(lut, tree, new MappedTree(tree, mapping), model, test, "passes test", 0);
    }

    [Test]
    public void When_ADieRunsInPasses_Expect_EveryPassCountedOnItsTranslatedImage()
    {
        var images = TestImages.Bordered(Count, 3);
        var setup = Setup(images);
        int[] ram = new int[Count];
        var one = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, ram, 5);
        var three = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, ram, 5, new PassesPlan(3));
        var second = VariationStudy.RunDie(setup with { Test = TestImages.Translated(images, 1, 0) }, new IdealArrayModel(), -1, ram, 5);
        var third = VariationStudy.RunDie(setup with { Test = TestImages.Translated(images, -1, 0) }, new IdealArrayModel(), -1, ram, 5);
        Assert.That((second.Levels, second.RowsScanned), Is.Not.EqualTo((one.Levels, one.RowsScanned)), "a translated pass must search other paths");
        Assert.That(three.Lookups, Is.EqualTo(3L * Count * setup.Table.Spec.Glimpses));
        Assert.That(three.Lookups, Is.EqualTo(one.Lookups + second.Lookups + third.Lookups));
        Assert.That(three.Levels, Is.EqualTo(one.Levels + second.Levels + third.Levels));
        Assert.That(three.RowsScanned, Is.EqualTo(one.RowsScanned + second.RowsScanned + third.RowsScanned));
        Assert.That(three.SplitComparisons, Is.EqualTo(one.SplitComparisons + second.SplitComparisons + third.SplitComparisons));
        Assert.That((three.MixedAccuracy, three.MbiFraction), Is.EqualTo((one.MixedAccuracy, one.MbiFraction)), "mixed MBI is the first pass's");

        var search = new CircuitTreeSearch(setup.Mapped, new IdealArrayModel());
        var runs = Enumerable.Range(0, 3).Select(k =>
        {
            var (x, y) = EvaluationPasses.Offset(k);
            return MbiEvaluation.Run(new MbiClassifier(setup.Table, new QuantizedGlimpseSensor(setup.Table.Spec, x, y), search), images);
        }).ToArray();
        Assert.That(three.MbiAccuracy, Is.EqualTo(MbiEvaluation.VotedAccuracy(runs, images.Labels, 10)));
    }

    [Test]
    public void When_ADieVotesAndStopsAtAMargin_Expect_TheVotedChainsLookupsAndClasses()
    {
        // `energy --vote k --passes M --stop-margin m` prices the chain inference runs: the ideal arrays keep the k nearest
        // rows, each glimpse hands on the voted state, and images stop at the vote margin, so the die's counts and accuracy
        // are those of the library's passes run on the same arrays.
        var images = TestImages.Bordered(Count, 9); // not the distilled images: their keys are not in the table
        var setup = Setup(images);
        int[] ram = new int[Count];
        var voted = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, ram, 5, vote: 3);
        var search = new CircuitTreeSearch(setup.Mapped, new IdealArrayModel());
        var chain = MbiEvaluation.Run(new MbiClassifier(setup.Table, new QuantizedGlimpseSensor(setup.Table.Spec), search, 3), images);
        Assert.That(voted.MbiAccuracy, Is.EqualTo(chain.Accuracy(images.Labels)));
        Assert.That((voted.Lookups, voted.Levels, voted.RowsScanned), Is.EqualTo((search.Lookups, search.Levels, search.RowsScanned)));
        var nearestSearch = new CircuitTreeSearch(setup.Mapped, new IdealArrayModel());
        var nearestChain = MbiEvaluation.Run(new MbiClassifier(setup.Table, new QuantizedGlimpseSensor(setup.Table.Spec), nearestSearch), images);
        Assert.That(nearestChain.MatchDistances, Is.Not.EqualTo(chain.MatchDistances), "the fixture must tell the voted chain from the nearest key's");
        var nearestOnly = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, ram, 5);
        Assert.That((nearestOnly.Levels, nearestOnly.RowsScanned), Is.EqualTo((nearestSearch.Levels, nearestSearch.RowsScanned)), "vote 1 is the nearest key's chain");

        // A margin a little past one median pass's weight: confident images stop after one pass, agreeing ones after two.
        double margin = 1.2 / (1 + chain.MaxDistance.Order().ElementAt(Count / 2));
        var stopping = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, ram, 5, new PassesPlan(4, StopMargin: margin), vote: 3);
        var again = new CircuitTreeSearch(setup.Mapped, new IdealArrayModel());
        var passes = MbiEvaluation.RunPassesStopping(setup.Table, again, 3, images, 4, null, null, margin);
        Assert.That(passes.MeanPasses, Is.InRange(1.01, 3.99), "the fixture must stop some images early and not all after one pass");
        Assert.That(stopping.Lookups, Is.EqualTo(passes.Lookups));
        Assert.That((stopping.Levels, stopping.RowsScanned), Is.EqualTo((again.Levels, again.RowsScanned)));
        Assert.That(stopping.MbiAccuracy, Is.EqualTo(passes.Accuracy(images.Labels)));
    }
}

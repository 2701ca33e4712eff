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
        var three = VariationStudy.RunDie(setup, new IdealArrayModel(), -1, ram, 5, passes: 3);
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
}

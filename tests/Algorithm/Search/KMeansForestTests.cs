using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.Algorithm.Tests.Memorization;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Search;

[TestFixture]
public sealed class KMeansForestTests
{
    private const int Rows = 3000;

    [Test]
    public void When_BudgetCoversBothTrees_Expect_ExactNearestKey()
    {
        var (kernel, elements, table, queries) = Setup();
        var forest = new KMeansForest([Build(kernel, elements, 1), Build(kernel, elements, 2)], int.MaxValue);
        var brute = new BruteForceSearch(table, kernel);
        foreach (var q in queries) Assert.That(forest.Nearest(q).Distance, Is.EqualTo(brute.Nearest(q).Distance));
    }

    [Test]
    public void When_BudgetIsSet_Expect_WithinBudgetDeterministicAndMonotone()
    {
        var (kernel, elements, _, queries) = Setup();
        KMeansTree[] trees = [Build(kernel, elements, 1), Build(kernel, elements, 2)];
        var small = new KMeansForest(trees, 160);
        var large = new KMeansForest(trees, 320);
        var again = new KMeansForest([Build(kernel, elements, 1), Build(kernel, elements, 2)], 160);
        foreach (var q in queries)
        {
            int descents = trees[0].Nearest(q).DistanceComputations + trees[1].Nearest(q).DistanceComputations;
            var s = small.Nearest(q);
            Assert.That(s.DistanceComputations, Is.LessThanOrEqualTo(Math.Max(160, descents)), "whole nodes within the budget; both first descents always made");
            Assert.That(s.DistanceComputations, Is.GreaterThanOrEqualTo(descents));
            Assert.That(again.Nearest(q), Is.EqualTo(s));
            Assert.That(large.Nearest(q).Distance, Is.LessThanOrEqualTo(s.Distance), "the visit order does not depend on the budget");
        }
    }

    [Test]
    public void When_SearchedRepeatedly_Expect_NoAllocation()
    {
        var (kernel, elements, _, queries) = Setup();
        var forest = new KMeansForest([Build(kernel, elements, 1), Build(kernel, elements, 2)], 224);
        forest.Nearest(queries[0]);
        long[] perPass = Allocation.PerPass(() => { foreach (var q in queries) forest.Nearest(q); });
        Assert.That(perPass, Has.Some.EqualTo(0L), string.Join(", ", perPass));
    }

    private static KMeansTree Build(DistanceKernel kernel, byte[] elements, ulong seed) =>
        KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Branching = 8, Seed = seed });

    private static (DistanceKernel, byte[], KeyTable, ulong[][]) Setup()
    {
        var layout = new KeyLayout(RandomTables.SmallSpec(), KeyMetric.Manhattan);
        byte[] elements = RandomTables.Elements(layout.Spec, Rows, seed: 21);
        var kernel = new DistanceKernel(layout, new DistanceWeights(1, 0.5, 2));
        byte[] q = RandomTables.Elements(layout.Spec, 100, seed: 77);
        var queries = new ulong[100][];
        for (int i = 0; i < 100; i++)
        {
            queries[i] = new ulong[layout.WordsPerKey];
            layout.Encode(q.AsSpan(i * layout.ElementsPerKey, layout.ElementsPerKey), queries[i]);
        }
        return (kernel, elements, KeyTable.FromElements(layout, elements, Rows), queries);
    }
}

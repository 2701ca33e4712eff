using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.Algorithm.Tests.Memorization;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Search;

[TestFixture]
public sealed class KMeansTreeBestFirstTests
{
    private const int Rows = 3000;
    private const int Queries = 200;

    public static IEnumerable<TestCaseData> Priorities()
    {
        yield return new TestCaseData(new BestFirstOptions { BoundWeight = 0 }).SetArgDisplayNames("centroid");
        yield return new TestCaseData(new BestFirstOptions { BoundWeight = 0.5 }).SetArgDisplayNames("half-bound");
        yield return new TestCaseData(new BestFirstOptions { BoundWeight = 1 }).SetArgDisplayNames("lower-bound");
        yield return new TestCaseData(new BestFirstOptions { GapPriority = true }).SetArgDisplayNames("gap");
    }

    [TestCaseSource(nameof(Priorities))]
    public void When_BudgetCoversEveryNode_Expect_ExactNearestKey(BestFirstOptions priority)
    {
        var (kernel, elements, table) = Setup();
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Branching = 16, Seed = 2 })
            .WithBestFirst(priority with { Budget = int.MaxValue });
        var brute = new BruteForceSearch(table, kernel);
        ForEachQuery(kernel.Layout, q =>
        {
            var t = tree.Nearest(q);
            Assert.That(t.Distance, Is.EqualTo(brute.Nearest(q).Distance), "exact: every node can be reached");
            Assert.That(kernel.Distance(q, Row(table, t.Row)), Is.EqualTo(t.Distance), "the reported distance is the found row's");
        });
    }

    [Test]
    public void When_LowerBoundPriority_Expect_ExactWhilePruningMostNodes()
    {
        var (kernel, elements, table) = Setup();
        var built = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Branching = 16, Seed = 2 });
        int everything = 0;
        foreach (var n in built.Nodes) everything += n.IsLeaf ? n.LeafCount : n.ChildCount;
        var tree = built.WithBestFirst(new BestFirstOptions { Budget = int.MaxValue, BoundWeight = 1 });
        var brute = new BruteForceSearch(table, kernel);
        double computations = 0;
        ForEachQuery(kernel.Layout, q =>
        {
            var t = tree.Nearest(q);
            Assert.That(t.Distance, Is.EqualTo(brute.Nearest(q).Distance));
            computations += t.DistanceComputations;
        });
        TestContext.Out.WriteLine($"lower-bound search: {computations / Queries:F0} of {everything} distances per lookup");
        Assert.That(computations / Queries, Is.LessThan(everything), "the bound must prune something on clustered keys");
    }

    [TestCaseSource(nameof(Priorities))]
    public void When_SearchedTwice_Expect_SameAnswersAndCounts(BestFirstOptions priority)
    {
        var (kernel, elements, _) = Setup();
        var options = new KMeansTreeOptions { Seed = 4, SpillRatio = 0.2, BalancedLeaves = true, RootBranching = 64 };
        var a = KMeansTree.Build(kernel, elements, Rows, options).WithBestFirst(priority with { Budget = 150 });
        var b = KMeansTree.Build(kernel, elements, Rows, options).WithBestFirst(priority with { Budget = 150 });
        Assert.That(a.LeafRowIds.ToArray(), Is.EqualTo(b.LeafRowIds.ToArray()));
        ForEachQuery(kernel.Layout, q => Assert.That(a.Nearest(q), Is.EqualTo(b.Nearest(q))));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void When_BudgetGrows_Expect_DistanceNeverWorseAndRecallMonotone(bool gap)
    {
        var (kernel, elements, table) = Setup();
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Branching = 8, Seed = 5 });
        var brute = new BruteForceSearch(table, kernel);
        int[] budgets = [48, 64, 96, 128, 192, 256, 512, 1024, 4096];
        var views = budgets.Select(b => tree.WithBestFirst(new BestFirstOptions { Budget = b, GapPriority = gap })).ToArray();
        var hits = new int[budgets.Length];
        ForEachQuery(kernel.Layout, q =>
        {
            double exact = brute.Nearest(q).Distance, previous = double.PositiveInfinity;
            for (int i = 0; i < views.Length; i++)
            {
                var r = views[i].Nearest(q);
                Assert.That(r.Distance, Is.LessThanOrEqualTo(previous), $"budget {budgets[i]} scans a superset of the nodes of the smaller budget");
                Assert.That(r.DistanceComputations, Is.LessThanOrEqualTo(Math.Max(budgets[i], SingleDescentCost(tree, q))));
                previous = r.Distance;
                if (r.Distance == exact) hits[i]++;
            }
        });
        TestContext.Out.WriteLine("recall@1 by budget: " + string.Join(", ", budgets.Select((b, i) => $"{b}: {hits[i] / (double)Queries:P0}")));
        for (int i = 1; i < hits.Length; i++) Assert.That(hits[i], Is.GreaterThanOrEqualTo(hits[i - 1]));
        Assert.That(hits[^1], Is.GreaterThan(hits[0]), "more budget must find more exact keys on clustered keys");
    }

    [Test]
    public void When_BudgetIsSet_Expect_CountIsWholeNodesWithinBudget()
    {
        var (kernel, elements, _) = Setup();
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Seed = 6 });
        var view = tree.WithBestFirst(new BestFirstOptions { Budget = 120, GapPriority = true });
        ForEachQuery(kernel.Layout, q =>
        {
            var r = view.Nearest(q);
            int descent = SingleDescentCost(tree, q);
            Assert.That(r.DistanceComputations, Is.LessThanOrEqualTo(Math.Max(120, descent)));
            Assert.That(r.DistanceComputations, Is.GreaterThanOrEqualTo(descent), "the first descent is always made");
            Assert.That(r.Levels, Is.GreaterThanOrEqualTo(tree.Nearest(q).Levels), "levels counts the nodes (arrays) scanned");
        });
    }

    [Test]
    public void When_Spilled_Expect_EveryKeyReachableAndSomeInSeveralLeaves()
    {
        var (kernel, elements, table) = Setup();
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Seed = 7, SpillRatio = 0.3 });
        var copies = new int[Rows];
        foreach (var node in tree.Nodes)
        {
            if (node.IsLeaf)
            {
                Assert.That(node.LeafCount, Is.InRange(1, 32));
                var ids = tree.LeafRowIds.Slice(node.LeafRow, node.LeafCount).ToArray();
                Assert.That(ids, Is.Unique, "a key is stored once per leaf");
                foreach (int id in ids) copies[id]++;
            }
            else Assert.That(node.ChildCount, Is.InRange(2, 32));
        }
        Assert.That(copies, Is.All.GreaterThanOrEqualTo(1), "every key in at least one leaf");
        Assert.That(copies.Count(c => c > 1), Is.GreaterThan(0), "spill stores boundary keys twice or more");
        // Reachable: a stored key, used as the query, is found at distance 0 once the budget covers the tree.
        var all = tree.WithBestFirst(new BestFirstOptions { Budget = int.MaxValue, GapPriority = true });
        for (int r = 0; r < Rows; r += 7) Assert.That(all.Nearest(Row(table, r)).Distance, Is.EqualTo(0));
    }

    [Test]
    public void When_BalancedLeaves_Expect_FewerFullerLeavesWithinOneArray()
    {
        var (kernel, elements, _) = Setup();
        var plain = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Seed = 8 });
        var balanced = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Seed = 8, BalancedLeaves = true });
        var seen = new int[Rows];
        foreach (var node in balanced.Nodes)
            if (node.IsLeaf)
            {
                Assert.That(node.LeafCount, Is.InRange(1, 32));
                foreach (int id in balanced.LeafRowIds.Slice(node.LeafRow, node.LeafCount)) seen[id]++;
            }
        Assert.That(seen, Is.All.EqualTo(1));
        TestContext.Out.WriteLine($"leaves: plain {plain.LeafCount}, balanced {balanced.LeafCount} (at least {(Rows + 31) / 32})");
        Assert.That(balanced.LeafCount, Is.LessThan(plain.LeafCount));
    }

    [Test]
    public void When_RootBranchingIsWide_Expect_RootSpansSeveralArraysAndOtherNodesOne()
    {
        var (kernel, elements, _) = Setup();
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Seed = 9, RootBranching = 96 });
        // Up to 96 children: k-medians drops a centre that ends with no keys (20 prototypes here).
        Assert.That(tree.Nodes[0].ChildCount, Is.InRange(33, 96), "the root spans more than one 32-row array");
        for (int i = 1; i < tree.Nodes.Length; i++)
            Assert.That(tree.Nodes[i].IsLeaf ? tree.Nodes[i].LeafCount : tree.Nodes[i].ChildCount, Is.LessThanOrEqualTo(32));
    }

    [Test]
    public void When_SearchedRepeatedly_Expect_NoAllocation()
    {
        var (kernel, elements, _) = Setup();
        var view = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Seed = 10 })
            .WithBestFirst(new BestFirstOptions { Budget = 300, GapPriority = true });
        var q = new ulong[kernel.Layout.WordsPerKey];
        view.Nearest(q); // first lookup on this thread sizes the heap
        long[] perPass = Allocation.PerPass(() => { for (int i = 0; i < 100; i++) view.Nearest(q); });
        Assert.That(perPass, Has.Some.EqualTo(0L), string.Join(", ", perPass));
    }

    [Test]
    public void When_BudgetIsZero_Expect_BadInputNamingTheBudget()
    {
        var (kernel, elements, _) = Setup();
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions());
        var e = Assert.Throws<BadInputException>(() => tree.WithBestFirst(new BestFirstOptions { Budget = 0 }));
        Assert.That(e!.Message, Does.Contain("budget").And.Contain(">= 1"));
    }

    private static int SingleDescentCost(KMeansTree tree, ulong[] q) => tree.Nearest(q).DistanceComputations;

    private static (DistanceKernel, byte[], KeyTable) Setup()
    {
        var layout = new KeyLayout(RandomTables.SmallSpec(), KeyMetric.Manhattan);
        byte[] elements = RandomTables.Elements(layout.Spec, Rows, seed: 21);
        return (new DistanceKernel(layout, new DistanceWeights(1, 0.5, 2)), elements, KeyTable.FromElements(layout, elements, Rows));
    }

    private static ulong[] Row(KeyTable table, int row)
    {
        var words = new ulong[table.WordsPerKey];
        table.CopyRow(row, words);
        return words;
    }

    private static void ForEachQuery(KeyLayout layout, Action<ulong[]> check)
    {
        byte[] queries = RandomTables.Elements(layout.Spec, Queries, seed: 77);
        int e = layout.ElementsPerKey;
        for (int i = 0; i < Queries; i++)
        {
            var q = new ulong[layout.WordsPerKey];
            layout.Encode(queries.AsSpan(i * e, e), q);
            check(q);
        }
    }
}

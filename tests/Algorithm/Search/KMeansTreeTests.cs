using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.Algorithm.Tests.Memorization;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Search;

[TestFixture]
public sealed class KMeansTreeTests
{
    private const int Rows = 3000;

    [TestCase(KeyMetric.Manhattan)]
    [TestCase(KeyMetric.BitWeightedHamming)]
    public void When_LeafIsWholeTable_Expect_SameAnswersAsBruteForce(KeyMetric metric)
    {
        var (kernel, elements, table) = Setup(metric);
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { LeafSize = Rows });
        var brute = new BruteForceSearch(table, kernel);
        Assert.That(tree.Nodes.Length, Is.EqualTo(1));
        ForEachQuery(kernel.Layout, (q, _) =>
        {
            var t = tree.Nearest(q);
            var b = brute.Nearest(q);
            Assert.That((t.Row, t.Distance), Is.EqualTo((b.Row, b.Distance)));
            Assert.That(t.DistanceComputations, Is.EqualTo(Rows));
        });
    }

    [Test]
    public void When_BuiltWithDefaults_Expect_NodesFitOneArrayAndEveryRowInOneLeaf()
    {
        var (kernel, elements, _) = Setup(KeyMetric.Manhattan);
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions());
        var seen = new int[Rows];
        foreach (var node in tree.Nodes)
        {
            if (node.IsLeaf)
            {
                Assert.That(node.LeafCount, Is.InRange(1, 32));
                foreach (int id in tree.LeafRowIds.Slice(node.LeafRow, node.LeafCount)) seen[id]++;
            }
            else Assert.That(node.ChildCount, Is.InRange(2, 32));
        }
        Assert.That(seen, Is.All.EqualTo(1));
        Assert.That(tree.Depth, Is.GreaterThanOrEqualTo(3), "3000 keys in leaves of <= 32 under <= 32-way nodes need >= 3 levels");
    }

    [Test]
    public void When_SearchedWithClusteredQueries_Expect_NeverBetterThanBruteForceAndHighRecall()
    {
        var (kernel, elements, table) = Setup(KeyMetric.Manhattan);
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Seed = 3 });
        var brute = new BruteForceSearch(table, kernel);
        int queries = 0;
        double levels = 0, treeSum = 0, bruteSum = 0;
        ForEachQuery(kernel.Layout, (q, _) =>
        {
            var t = tree.Nearest(q);
            var b = brute.Nearest(q);
            Assert.That(t.Distance, Is.GreaterThanOrEqualTo(b.Distance));
            Assert.That(kernel.Distance(q, Row(table, t.Row)), Is.EqualTo(t.Distance), "the reported distance is the found row's");
            queries++;
            levels += t.Levels;
            treeSum += t.Distance;
            bruteSum += b.Distance;
        });
        TestContext.Out.WriteLine($"tree/brute mean distance {treeSum / bruteSum:F3}, levels {levels / queries:F2}");
        // Keys come from 20 prototypes with 10% noise: inside a prototype's cluster many keys are almost
        // equally near, so the tree misses the exact nearest often, but lands close to it.
        Assert.That(treeSum / bruteSum, Is.LessThan(1.3));
        Assert.That(levels / queries, Is.LessThan(5));
        int exact = 0;
        Span<ulong> stored = stackalloc ulong[kernel.Layout.WordsPerKey];
        for (int r = 0; r < Rows; r += 10)
        {
            table.CopyRow(r, stored);
            if (tree.Nearest(stored).Distance == 0) exact++;
        }
        TestContext.Out.WriteLine($"stored keys found exactly: {exact} of {Rows / 10}");
        Assert.That(exact, Is.GreaterThan(0.9 * Rows / 10), "a stored key usually descends to its own leaf");
    }

    [Test]
    public void When_BeamCoversEveryLeaf_Expect_ExactAndWiderBeamsNeverWorseOnAverage()
    {
        var (kernel, elements, _) = Setup(KeyMetric.Manhattan);
        const int rows = 500;
        var table = KeyTable.FromElements(kernel.Layout, elements, rows);
        var tree = KMeansTree.Build(kernel, elements.AsSpan(0, rows * kernel.Layout.ElementsPerKey), rows,
            new KMeansTreeOptions { Branching = 8, LeafSize = 40 });
        Assert.That(tree.LeafCount, Is.LessThanOrEqualTo(64), "precondition: beam 64 then reaches every leaf");
        var brute = new BruteForceSearch(table, kernel);
        var all = tree.WithBeam(64);
        var four = tree.WithBeam(4);
        double one = 0, wide = 0;
        ForEachQuery(kernel.Layout, (q, _) =>
        {
            Assert.That(all.Nearest(q).Distance, Is.EqualTo(brute.Nearest(q).Distance));
            one += tree.Nearest(q).Distance;
            wide += four.Nearest(q).Distance;
        });
        Assert.That(wide, Is.LessThanOrEqualTo(one));
    }

    [Test]
    public void When_BuiltTwiceWithOneSeed_Expect_SameTree()
    {
        var (kernel, elements, _) = Setup(KeyMetric.Manhattan);
        var a = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Seed = 9 });
        var b = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Seed = 9 });
        Assert.That(a.Nodes.ToArray(), Is.EqualTo(b.Nodes.ToArray()));
        Assert.That(a.LeafRowIds.ToArray(), Is.EqualTo(b.LeafRowIds.ToArray()));
    }

    [Test]
    public void When_AllKeysIdentical_Expect_TreeStillSplitsToLeaves()
    {
        var spec = RandomTables.SmallSpec();
        var layout = new KeyLayout(spec, KeyMetric.Manhattan);
        var elements = new byte[500 * layout.ElementsPerKey];
        var tree = KMeansTree.Build(new DistanceKernel(layout, DistanceWeights.Unweighted), elements, 500, new KMeansTreeOptions());
        foreach (var node in tree.Nodes) if (node.IsLeaf) Assert.That(node.LeafCount, Is.LessThanOrEqualTo(32));
    }

    private static (DistanceKernel, byte[], KeyTable) Setup(KeyMetric metric)
    {
        var layout = new KeyLayout(RandomTables.SmallSpec(), metric);
        byte[] elements = RandomTables.Elements(layout.Spec, Rows, seed: 21);
        return (new DistanceKernel(layout, new DistanceWeights(1, 0.5, 2)), elements, KeyTable.FromElements(layout, elements, Rows));
    }

    private static ulong[] Row(KeyTable table, int row)
    {
        var words = new ulong[table.WordsPerKey];
        table.CopyRow(row, words);
        return words;
    }

    private static void ForEachQuery(KeyLayout layout, Action<ulong[], byte[]> check)
    {
        byte[] queries = RandomTables.Elements(layout.Spec, 200, seed: 77);
        int e = layout.ElementsPerKey;
        for (int i = 0; i < 200; i++)
        {
            var q = new ulong[layout.WordsPerKey];
            byte[] elements = queries.AsSpan(i * e, e).ToArray();
            layout.Encode(elements, q);
            check(q, elements);
        }
    }
}

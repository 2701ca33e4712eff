using Mbi.Algorithm.Memorization.Keys;
using Mbi.Algorithm.Search;
using Mbi.Algorithm.Tests.Memorization;
using Mbi.Core.Errors;
using NUnit.Framework;

namespace Mbi.Algorithm.Tests.Search;

/// <summary>Neighbour spill and overlapping splits (issue #13 item 2) on small synthetic tables where brute force gives the exact answers.</summary>
[TestFixture]
public sealed class KMeansTreeSpillTests
{
    private const int Rows = 2000;

    [Test]
    public void When_NeighboursSpilled_Expect_LeavesWithinOneArrayAndTheSameCentroids()
    {
        var (kernel, elements, _) = Setup();
        var plain = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 3 });
        var spilled = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 3, NeighbourSpill = 2, LeafCapacity = 32 });
        Assert.That(spilled.Nodes.Length, Is.EqualTo(plain.Nodes.Length), "spill adds rows to leaves, not nodes");
        Assert.That(spilled.CentroidElements.ToArray(), Is.EqualTo(plain.CentroidElements.ToArray()), "the descent is unchanged");
        var copies = new int[Rows];
        for (int i = 0; i < spilled.Nodes.Length; i++)
        {
            TreeNode s = spilled.Nodes[i], p = plain.Nodes[i];
            if (!s.IsLeaf) continue;
            Assert.That(s.LeafCount, Is.InRange(p.LeafCount, 32), "own keys kept, at most one array");
            var ids = spilled.LeafRowIds.Slice(s.LeafRow, s.LeafCount).ToArray();
            Assert.That(ids, Is.Unique);
            Assert.That(ids[..p.LeafCount], Is.EqualTo(plain.LeafRowIds.Slice(p.LeafRow, p.LeafCount).ToArray()), "own keys first, in order");
            foreach (int id in ids) copies[id]++;
        }
        Assert.That(copies, Is.All.GreaterThanOrEqualTo(1));
        Assert.That(spilled.StoredKeys, Is.EqualTo(copies.Sum()).And.GreaterThan(Rows), "stored keys count the copies");
        Assert.That(plain.StoredKeys, Is.EqualTo(Rows));
    }

    [Test]
    public void When_NeighboursSpilled_Expect_MoreKeysShareALeafWithTheirNearestOtherKey()
    {
        // The exact nearest other key of every key, by brute force; spill must put it into the key's own leaf more often.
        var (kernel, elements, table) = Setup();
        var nearest = new int[Rows];
        var words = new ulong[kernel.Layout.WordsPerKey];
        var other = new ulong[kernel.Layout.WordsPerKey];
        for (int r = 0; r < Rows; r++)
        {
            table.CopyRow(r, words);
            double best = double.PositiveInfinity;
            for (int o = 0; o < Rows; o++)
            {
                if (o == r) continue;
                table.CopyRow(o, other);
                double d = kernel.Distance(words, other);
                if (d < best) { best = d; nearest[r] = o; }
            }
        }
        double Shared(KMeansTree tree)
        {
            int shared = 0;
            foreach (var n in tree.Nodes)
            {
                if (!n.IsLeaf) continue;
                var ids = new HashSet<int>(tree.LeafRowIds.Slice(n.LeafRow, n.LeafCount).ToArray());
                foreach (int id in ids) if (ids.Contains(nearest[id])) shared++;
            }
            return shared;
        }
        var options = new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 4 };
        double plain = Shared(KMeansTree.Build(kernel, elements, Rows, options));
        double spilled = Shared(KMeansTree.Build(kernel, elements, Rows, options with { NeighbourSpill = 1, LeafCapacity = 32, NeighbourSearchBudget = 4000 }));
        TestContext.Out.WriteLine($"(key, nearest other key) pairs in one leaf: plain {plain}, spilled {spilled}");
        Assert.That(spilled, Is.GreaterThan(plain * 1.2), "a budget above the table finds every nearest other key exactly; ties aside, most land beside their key");
    }

    [TestCase(0, 0.0)]
    [TestCase(2, 0.0)]
    [TestCase(0, 0.2)]
    [TestCase(2, 0.2)]
    public void When_BudgetCoversEveryNode_Expect_ExactNearestKey(int neighbours, double overlap)
    {
        var (kernel, elements, table) = Setup();
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions
        {
            Branching = 8, LeafSize = 16, Seed = 5, NeighbourSpill = neighbours, LeafCapacity = 32, OverlapRatio = overlap, OverlapLevels = 2, Budget = int.MaxValue,
        });
        var brute = new BruteForceSearch(table, kernel);
        byte[] queries = RandomTables.Elements(kernel.Layout.Spec, 100, seed: 78);
        var q = new ulong[kernel.Layout.WordsPerKey];
        int e = kernel.Layout.ElementsPerKey;
        for (int i = 0; i < 100; i++)
        {
            kernel.Layout.Encode(queries.AsSpan(i * e, e), q);
            Assert.That(tree.Nearest(q).Distance, Is.EqualTo(brute.Nearest(q).Distance), "every leaf is reached; copies change nothing");
        }
    }

    [Test]
    public void When_Overlapping_Expect_CopiesAndEveryNodeWithinOneArray()
    {
        var (kernel, elements, table) = Setup();
        var plain = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Branching = 8, Seed = 6 });
        var overlapped = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Branching = 8, Seed = 6, OverlapRatio = 0.2, OverlapLevels = 2 });
        foreach (var n in overlapped.Nodes)
            Assert.That(n.IsLeaf ? n.LeafCount : n.ChildCount, Is.InRange(1, 32));
        TestContext.Out.WriteLine($"stored keys: plain {plain.StoredKeys}, overlap 0.2 in 2 levels {overlapped.StoredKeys}");
        Assert.That(overlapped.StoredKeys, Is.GreaterThan(plain.StoredKeys));
        // Every stored key, used as its own query, is found at distance 0 by a single descent (it sits under the centroid it is nearest to).
        var words = new ulong[kernel.Layout.WordsPerKey];
        for (int r = 0; r < Rows; r += 5)
        {
            table.CopyRow(r, words);
            Assert.That(overlapped.Nearest(words).Distance, Is.EqualTo(0));
        }
    }

    [Test]
    public void When_BudgetIsSet_Expect_NoLookupPassesIt()
    {
        var (kernel, elements, _) = Setup();
        var tree = KMeansTree.Build(kernel, elements, Rows, new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 7, NeighbourSpill = 2, LeafCapacity = 32, Budget = 100 });
        byte[] queries = RandomTables.Elements(kernel.Layout.Spec, 200, seed: 79);
        var q = new ulong[kernel.Layout.WordsPerKey];
        int e = kernel.Layout.ElementsPerKey;
        for (int i = 0; i < 200; i++)
        {
            kernel.Layout.Encode(queries.AsSpan(i * e, e), q);
            Assert.That(tree.Nearest(q).DistanceComputations, Is.LessThanOrEqualTo(100), "a first descent costs at most depth x 8 + 32 < 100 here");
        }
    }

    [Test]
    public void When_BuiltTwiceWithOneSeed_Expect_TheSameLeaves()
    {
        // The neighbour search runs on two threads; each key's neighbours depend only on the key, so the leaves must not.
        var (kernel, elements, _) = Setup();
        var options = new KMeansTreeOptions { Branching = 8, LeafSize = 16, Seed = 11, NeighbourSpill = 2, LeafCapacity = 32, OverlapRatio = 0.1, OverlapLevels = 2 };
        var a = KMeansTree.Build(kernel, elements, Rows, options);
        var b = KMeansTree.Build(kernel, elements, Rows, options);
        Assert.That(b.LeafRowIds.ToArray(), Is.EqualTo(a.LeafRowIds.ToArray()));
        Assert.That(b.Nodes.ToArray(), Is.EqualTo(a.Nodes.ToArray()));
    }

    [TestCase(33, 0, 0.0, "neighbour spill")]
    [TestCase(2, 8, 0.0, "leaf capacity")]
    [TestCase(0, 0, -0.1, "overlap ratio")]
    public void When_OptionOutOfRange_Expect_BadInputNamingIt(int neighbours, int capacity, double overlap, string name)
    {
        var (kernel, elements, _) = Setup();
        var e = Assert.Throws<BadInputException>(() => KMeansTree.Build(kernel, elements, Rows,
            new KMeansTreeOptions { LeafSize = 16, NeighbourSpill = neighbours, LeafCapacity = capacity, OverlapRatio = overlap }));
        Assert.That(e!.Message, Does.Contain(name));
    }

    private static (DistanceKernel, byte[], KeyTable) Setup()
    {
        var layout = new KeyLayout(RandomTables.SmallSpec(), KeyMetric.BitWeightedHamming);
        byte[] elements = RandomTables.Elements(layout.Spec, Rows, seed: 22);
        return (new DistanceKernel(layout, new DistanceWeights(1, 1, 1)), elements, KeyTable.FromElements(layout, elements, Rows));
    }
}

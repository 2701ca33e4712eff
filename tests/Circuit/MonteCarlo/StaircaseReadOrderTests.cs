using Mbi.Circuit.MonteCarlo;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.MonteCarlo;

[TestFixture]
public sealed class StaircaseReadOrderTests
{
    [Test]
    public void When_RandomOrder_Expect_EachModesLevelsPermutedAmongThemselvesAndTheSettlingCycleInPlace()
    {
        var canonical = new Staircase(32);
        var random = new Staircase(32, ReadOrder.Random, 5);
        int count = canonical.Levels.Count;
        var positions = Enumerable.Range(0, count).Select(random.SimulatedCycle).ToArray();
        Assert.That(positions.Order(), Is.EqualTo(Enumerable.Range(0, count)), "a permutation of the cycles");
        foreach (int mode in new[] { 1, 2 })
        {
            int first = canonical.FirstCycle(mode), levels = canonical.LevelCount(mode);
            Assert.That(positions[first..(first + levels)], Has.All.InRange(first, first + levels - 1), $"{mode}-bit levels stay in their section");
            Assert.That(positions[first..(first + levels)], Is.Not.EqualTo(Enumerable.Range(first, levels)), $"{mode}-bit levels are reordered");
        }
        Assert.That(random.SimulatedCycle(canonical.FirstCycle(2) - 1), Is.EqualTo(canonical.FirstCycle(2) - 1), "the settling cycle");
        // each simulated cycle carries the query of the level it reports
        for (int i = 0; i < count; i++)
        {
            var simulated = random.SimulatedProgram.Cycles[random.SimulatedCycle(i)];
            Assert.That(simulated.BitsPerElement, Is.EqualTo(canonical.Program.Cycles[i].BitsPerElement), $"cycle {i}");
            Assert.That(simulated.Query, Is.EqualTo(canonical.Program.Cycles[i].Query), $"cycle {i}");
        }
    }

    [Test]
    public void When_SameSeed_Expect_SameOrder_AndAnotherSeed_Expect_AnotherOrder()
    {
        int[] Order(ulong seed)
        {
            var s = new Staircase(32, ReadOrder.Random, seed);
            return Enumerable.Range(0, s.Levels.Count).Select(s.SimulatedCycle).ToArray();
        }
        Assert.That(Order(3), Is.EqualTo(Order(3)));
        Assert.That(Order(3), Is.Not.EqualTo(Order(4)));
    }

    [Test]
    public void When_StaircaseOrder_Expect_IdentityAndTheSameProgram()
    {
        var s = new Staircase(32, ReadOrder.Staircase, 9);
        Assert.That(Enumerable.Range(0, s.Levels.Count).Select(s.SimulatedCycle), Is.EqualTo(Enumerable.Range(0, s.Levels.Count)));
        Assert.That(s.SimulatedProgram, Is.SameAs(s.Program));
    }

    [Test]
    public void When_ValuesPutBackInStaircaseOrder_Expect_EachLevelGetsTheValueSimulatedForIt()
    {
        var s = new Staircase(8, ReadOrder.Random, 2);
        int count = s.Levels.Count;
        // a simulated cycle's value is its own position: put back, canonical cycle i must get SimulatedCycle(i)
        var simulated = Enumerable.Range(0, count).Select(i => (double)i).ToArray();
        var back = s.InStaircaseOrder(simulated);
        for (int i = 0; i < count; i++) Assert.That(back[i], Is.EqualTo(s.SimulatedCycle(i)));
    }
}

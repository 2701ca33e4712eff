using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Adc;

[TestFixture]
public sealed class ComparatorOffsetBenchTests
{
    [Test]
    public void When_SameSeedTwice_Expect_SameOffsets()
    {
        using var engine = TestAssets.StartNgspice();
        var bench = new ComparatorOffsetBench(Technology.Ptm16Lp(), new SarAdcDesign());
        var first = bench.Run(engine, seed: 7, sigmaVthVolts: 0.06, dies: 2);
        var second = bench.Run(engine, seed: 7, sigmaVthVolts: 0.06, dies: 2);
        Assert.That(second.Dies, Is.EqualTo(first.Dies));
        Assert.That(first.Dies.Select(d => d.OffsetVolts).Distinct().Count(), Is.EqualTo(2), "two dies, two different offsets");
    }

    [Test]
    public void When_NoVariation_Expect_OffsetWithinTheBisectionResolutionOfZero()
    {
        // A symmetric comparator with no Vth shifts flips at dv = 0; the bisection brackets it to within
        // its resolution (0.44 mV), and the output inverters load both sides alike.
        using var engine = TestAssets.StartNgspice();
        var bench = new ComparatorOffsetBench(Technology.Ptm16Lp(), new SarAdcDesign());
        var nominal = bench.Run(engine, seed: 1, sigmaVthVolts: 0, dies: 1);
        Assert.That(nominal.Dies[0].OffsetVolts, Is.EqualTo(0).Within(nominal.ResolutionVolts));
        Assert.That(nominal.Dies[0].Saturated, Is.False);
    }
}

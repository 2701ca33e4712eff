using Mbi.CoSim.Energy;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Energy;

[TestFixture]
public sealed class LogicEnergyModelTests
{
    [Test]
    public void When_ShippedConfigScaledTo16nm_Expect_LinearNodeScalingOfEachCitedOperation()
    {
        var logic = EnergyConfig.Load().Logic;
        // Horowitz 45 nm 0.9 V figures x 16/45 (same VDD); Aladdin 40 nm register x 16/40. Exact up to double rounding.
        Assert.That(logic.Multiply8Joules, Is.EqualTo(0.2e-12 * 16 / 45).Within(1e-9).Percent);
        Assert.That(logic.Add16Joules, Is.EqualTo(0.065e-12 * 16 / 45).Within(1e-9).Percent);
        Assert.That(logic.RegisterBitJoules, Is.EqualTo(9.0e-15 * 16 / 40).Within(1e-9).Percent);
        double clocked = 9.0e-15 * 16 / 40 * 2; // register + an equal clock-network share
        Assert.That(logic.PerSplitComparisonJoules, Is.EqualTo(0.2e-12 * 16 / 45 + 0.065e-12 * 16 / 45 + 21 * clocked).Within(1e-9).Percent);
        Assert.That(logic.PerRowJoules, Is.EqualTo(0.065e-12 * 16 / 45 + 26 * clocked).Within(1e-9).Percent);
        TestContext.Out.WriteLine($"logic per split comparison {logic.PerSplitComparisonJoules:G4} J, per row {logic.PerRowJoules:G4} J");
    }

    [TestCase(45, 0.9, 16, 0.9, 16.0 / 45)]
    [TestCase(45, 1.0, 45, 0.5, 0.25)]
    [TestCase(28, 0.9, 16, 0.8, 16.0 / 28 * 0.8 * 0.8 / 0.81)]
    public void When_NodeOrSupplyDiffers_Expect_LinearInNodeQuadraticInSupply(double sourceNode, double sourceVdd, double node, double vdd, double expected)
    {
        Assert.That(LogicEnergyModel.Scale(sourceNode, sourceVdd, node, vdd), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void When_AccountantReadsLogic_Expect_SameFiguresAsTheModel()
    {
        var config = EnergyConfig.Load();
        Assert.That(config.LogicPerSplitComparisonJoules, Is.EqualTo(config.Logic.PerSplitComparisonJoules));
        Assert.That(config.LogicPerRowJoules, Is.EqualTo(config.Logic.PerRowJoules));
        Assert.That(config.FallbackMacJoules, Is.EqualTo(0.3e-12 * 16 / 45).Within(1e-9).Percent, "the fallback MAC follows the same linear rule");
    }
}

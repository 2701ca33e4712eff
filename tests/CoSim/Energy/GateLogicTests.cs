using Mbi.CoSim.Energy;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Energy;

/// <summary>
/// Mixed MBI's gate priced per operation (<see cref="LogicEnergyModel.GatePerImageJoules"/>): the expected energies are
/// hand counts of 16-bit adds, 8-bit multiplies and clocked register bits times the shipped model's per-operation
/// energies, so they agree with the model up to double rounding (tolerance 1e-9 %).
/// </summary>
[TestFixture]
public sealed class GateLogicTests
{
    private static readonly LogicEnergyModel Logic = EnergyConfig.Load().Logic;

    private static double Clocked => Logic.RegisterBitJoules * (1 + Logic.ClockNetworkFactor);

    private static double Priced(double adds, double multiplies, double registerBits) =>
        adds * Logic.Add16Joules + multiplies * Logic.Multiply8Joules + registerBits * Clocked;

    [TestCase(5)]
    [TestCase(8)]
    public void When_DistanceGateAlone_Expect_RunningMaxPerLookupAndOneThresholdCompare(int lookups)
    {
        // per lookup: one compare into the running max, its 16-bit register; per image: the compare with T
        double expected = Priced(adds: lookups + 1, multiplies: 0, registerBits: 16 * lookups);
        Assert.That(Logic.GatePerImageJoules(lookups, 64, agreement: false), Is.EqualTo(expected).Within(1e-9).Percent);
    }

    [TestCase(5, 64)]
    [TestCase(8, 64)]
    [TestCase(5, 16)]
    public void When_GateWeighsTheAgreement_Expect_TheDistanceGatePlusTheAgreementArithmetic(int lookups, int hiddenBits)
    {
        int handedOn = lookups - 1; // the hidden agreement only where the hidden state is handed on: every glimpse but the last
        double adds = lookups + 1                       // distance gate: running max, compare with T
            + handedOn * (hiddenBits + 1)               // |sum| accumulation per bit, running-min compare
            + 3;                                        // class share + hidden agreement, 2 - it, + MaxDistance
        double multiplies = handedOn                    // hidden agreement's division (a multiply by the reciprocal)
            + 1                                         // class share's division
            + 1;                                        // L x (2 - agreement)
        double registerBits = 16 * lookups              // running max
            + 16 * handedOn                             // running min of the hidden agreement
            + 16 + 16;                                  // class share, score
        Assert.That(Logic.GatePerImageJoules(lookups, hiddenBits, agreement: true), Is.EqualTo(Priced(adds, multiplies, registerBits)).Within(1e-9).Percent);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void When_LookupsGrow_Expect_PositiveAndGrowing(bool agreement)
    {
        double previous = 0;
        foreach (int lookups in new[] { 1, 2, 5, 8, 32 })
        {
            double joules = Logic.GatePerImageJoules(lookups, 64, agreement);
            Assert.That(joules, Is.GreaterThan(previous), $"{lookups} lookups");
            previous = joules;
        }
        Assert.That(Logic.GatePerImageJoules(1, 64, agreement), Is.GreaterThan(0));
    }

    [TestCase(1)]
    [TestCase(5)]
    public void When_AgreementOff_Expect_NoAgreementPartWhateverTheHiddenBits(int lookups)
    {
        Assert.That(Logic.GatePerImageJoules(lookups, 256, agreement: false), Is.EqualTo(Logic.GatePerImageJoules(lookups, 0, agreement: false)),
            "the hidden bits enter only the agreement arithmetic");
        Assert.That(Logic.GatePerImageJoules(lookups, 64, agreement: true) - Logic.GatePerImageJoules(lookups, 64, agreement: false), Is.GreaterThan(0));
    }

    [TestCase(0, 64)]
    [TestCase(5, -1)]
    public void When_CountsImpossible_Expect_ArgumentOutOfRange(int lookups, int hiddenBits)
    {
        Assert.That(() => Logic.GatePerImageJoules(lookups, hiddenBits, agreement: true), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}

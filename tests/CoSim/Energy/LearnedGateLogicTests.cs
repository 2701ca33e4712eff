using Mbi.CoSim.Energy;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Energy;

/// <summary>
/// The learned gate priced per operation (<see cref="LogicEnergyModel.LearnedGatePerImageJoules"/>): the agreement gate's
/// arithmetic plus the hand count of docs/mbi/learned-gate's "Hardware cost", times the shipped model's per-operation
/// energies, so they agree up to double rounding (tolerance 1e-9 %).
/// </summary>
[TestFixture]
public sealed class LearnedGateLogicTests
{
    private static readonly LogicEnergyModel Logic = EnergyConfig.Load().Logic;

    private static double Priced(double adds, double multiplies, double registerBits) =>
        adds * Logic.Add16Joules + multiplies * Logic.Multiply8Joules + registerBits * Logic.RegisterBitJoules * (1 + Logic.ClockNetworkFactor);

    [Test]
    public void When_FiveGlimpsesAnd64HiddenBits_Expect_TheAgreementGatePlus27MultiplyAddsAndTheClassLogic()
    {
        double extra = Priced(
            adds: 27                // the multiply-adds' adds: 5 per glimpse + MaxDistance + min hag
                + 9 + 9 + 1         // 9 class-equality compares, 9 conditional weight adds, the per-class offset
                + 5                 // the winners' count per glimpse
                + 64,               // the hidden agreement at glimpse 5 (today's gate takes glimpses 1-4)
            multiplies: 27          // the multiply-adds' multiplies
                + 4                 // the class share at glimpses 1-4 (a division each)
                + 1,                // the hidden agreement's division at glimpse 5
            registerBits: 5 * 16    // the accumulator, clocked each glimpse
                + 8 * 4             // cls1..4 and ncls1..4
                + 4 * 16 + 16);     // the new class shares and the last hidden agreement
        double agreementGate = Logic.GatePerImageJoules(5, 64, agreement: true);
        Assert.That(Logic.LearnedGatePerImageJoules(5, 64, classBits: 4), Is.EqualTo(agreementGate + extra).Within(1e-9).Percent);
    }

    [Test]
    public void When_PricedWithTheShippedModel_Expect_AFewPicojoulesMoreThanTheAgreementGate()
    {
        // docs/mbi/learned-gate's rough estimate: about 6 pJ more than today's gate (about 7.9 pJ) per image.
        double extra = Logic.LearnedGatePerImageJoules(5, 64, 4) - Logic.GatePerImageJoules(5, 64, agreement: true);
        Assert.That(extra, Is.InRange(3e-12, 12e-12));
    }

    [Test]
    public void When_OneGlimpse_Expect_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Logic.LearnedGatePerImageJoules(1, 64, 4));
}

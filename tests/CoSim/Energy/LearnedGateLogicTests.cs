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

    private static double Priced(double adds, double multiplies, double registerBits, double accumulatorAdds = 0) =>
        adds * Logic.Add16Joules + multiplies * Logic.Multiply8Joules + registerBits * Logic.RegisterBitJoules * (1 + Logic.ClockNetworkFactor)
        + accumulatorAdds * Logic.Add16Joules * 24 / 16;

    [Test]
    public void When_FiveGlimpsesAnd64HiddenBits_Expect_TheAgreementGatePlus27MultiplyAddsAndTheClassLogic()
    {
        double extra = Priced(
            accumulatorAdds: 27     // the multiply-adds' adds into the 24-bit accumulator: 5 per glimpse + MaxDistance + min hag
                + 9 + 1,            // 9 conditional weight adds, the per-class offset
            adds: 9                 // 9 class-equality compares
                + 5                 // the winners' count per glimpse
                + 64,               // the hidden agreement at glimpse 5 (today's gate takes glimpses 1-4)
            multiplies: 27          // the multiply-adds' multiplies
                + 4                 // the class share at glimpses 1-4 (a division each)
                + 1,                // the hidden agreement's division at glimpse 5
            registerBits: 5 * 24    // the 24-bit accumulator, clocked each glimpse
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

/// <summary>
/// The learned gate's image check priced per operation (<see cref="LogicEnergyModel.ImageCheckPerImageJoules"/>), against
/// a hand count of a 784 x 10 linear classifier's operations, and in the bands (<see cref="EnergyBandCalculator.Compute"/>).
/// </summary>
[TestFixture]
public sealed class ImageCheckLogicTests
{
    private static readonly LogicEnergyModel Logic = EnergyConfig.Load().Logic;

    [Test]
    public void When_784By10FixedPoint_Expect_TheHandCountOfMultiplyAddsReadsScalesAndFeatures()
    {
        const double readPerBit = 3.5e-15;
        double clocked = Logic.RegisterBitJoules * (1 + Logic.ClockNetworkFactor);
        double expected = 7840 * (Logic.Multiply8Joules + 2 * Logic.Add16Joules + 32 * clocked)   // multiply, 32-bit accumulate, its register
            + (7840 * 8 + 10 * 32 + 10 * 32) * readPerBit + 784 * 8 * readPerBit                    // int8 weights, int32 biases, 32-bit scales; 8-bit pixels
            + 10 * 16 * Logic.Multiply8Joules                                                       // each accumulator x its scale: 32 x 32 bits = 16 8-bit multiplies
            + (18 + 3) * Logic.Add16Joules + 3 * (Logic.Multiply8Joules + Logic.Add16Joules * 24 / 16); // top two of 10 logits, 3 differences / compare, 3 gate terms (24-bit accumulator)
        Assert.That(Logic.ImageCheckPerImageJoules(7840, 10, 784, 8, 32, 32, readPerBit), Is.EqualTo(expected).Within(1e-9).Percent);
        // Its size: a few nanojoules, against 100-350 nJ per MBI inference and ~341 nJ for the fallback network.
        Assert.That(expected, Is.InRange(0.5e-9, 5e-9));
        Assert.Throws<ArgumentOutOfRangeException>(() => Logic.ImageCheckPerImageJoules(0, 10, 784, 8, 32, 32, readPerBit));
    }

    [Test]
    public void When_784By10Float32_Expect_WeightsAndBiasesReadAt32BitsAndNoScales()
    {
        const double readPerBit = 3.5e-15;
        double int8 = Logic.ImageCheckPerImageJoules(7840, 10, 784, 8, 32, 32, readPerBit);
        double float32 = Logic.ImageCheckPerImageJoules(7840, 10, 784, 32, 32, 0, readPerBit);
        // the same multiply-adds; reads 7,850 x 32 bits against 7,840 x 8 + 10 x 64; no scale multiplies
        double expected = ((7850.0 * 32) - (7840 * 8 + 10 * 64)) * readPerBit - 10 * 16 * Logic.Multiply8Joules;
        Assert.That(float32 - int8, Is.EqualTo(expected).Within(1e-9).Percent);
        Assert.That(float32, Is.GreaterThan(int8));
    }
}

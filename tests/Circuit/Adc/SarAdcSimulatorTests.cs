using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using NUnit.Framework;

namespace Mbi.Circuit.Tests.Adc;

/// <summary>
/// The CI case of the transistor-level SAR ADC: three conversions (about 20-60 s of ngspice on a loaded
/// 2-core machine). Inputs sit at code centres, half an LSB (6.9 mV) from either decision threshold.
/// </summary>
[TestFixture]
public sealed class SarAdcSimulatorTests
{
    private static readonly SarAdcDesign Design = new();
    private static readonly Technology Tech = Technology.Ptm16Lp();
    private SarAdcResult _result = null!;

    /// <summary>The average voltage of code <paramref name="code"/>'s centre.</summary>
    private static double Centre(int code) => Design.InputTopVolts - code * Design.InputLsbVolts;

    private static readonly SarAdcInput[] Inputs =
    [
        new(Centre(0), Centre(0)),
        // unequal sum lines: only their average matters (split CDAC)
        new(Centre(13) + 0.04, Centre(13) - 0.04),
        new(Centre(26), Centre(26)),
    ];

    private static readonly int[] ExpectedCodes = [0, 13, 26];

    [OneTimeSetUp]
    public void Convert()
    {
        using var engine = EngineRequirement.StartOrIgnore();
        _result = SarAdcSimulator.Run(engine, new SarAdcBench(Tech, Design, Inputs));
        TestContext.Progress.WriteLine($"SAR ADC codes {string.Join(",", _result.Codes)}, energy fJ {string.Join(",", _result.EnergyJoules.Select(e => (e * 1e15).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Test]
    public void When_InputsAtCodeCentres_Expect_TheirCodes()
    {
        // Exact: a centre is 6.9 mV from each threshold; the nominal comparator's offset and the
        // top-plate switch's charge injection are well under that (docs/adc.md).
        Assert.That(_result.Codes, Is.EqualTo(ExpectedCodes));
    }

    [Test]
    public void When_Converting_Expect_EnergyAtLeastTheDacBitsItResetWithinTheConversion()
    {
        // Every bit whose code digit is 0 was tried and reset within the same conversion: its capacitor's
        // bottom plate rose from 0 to VDD from the VDD rail, against at most the rest of the array in
        // series, so it drew at least C_i (1 - C_i / C_top) VDD^2 (C_top >= the sampled capacitance).
        double vdd = Tech.VddVolts;
        double cTop = Design.SampledCapacitanceFarads(vdd);
        for (int k = 0; k < _result.Codes.Count; k++)
        {
            double bound = 0;
            for (int i = 0; i < Design.Bits; i++)
                if ((_result.Codes[k] & (1 << i)) == 0)
                {
                    double ci = (1 << i) * Design.UnitCapacitanceFarads;
                    bound += ci * (1 - ci / cTop) * vdd * vdd;
                }
            Assert.That(_result.EnergyJoules[k], Is.GreaterThan(bound), $"conversion {k} (code {_result.Codes[k]})");
            Assert.That(_result.EnergyJoules[k], Is.GreaterThan(0));
        }
    }

    [Test]
    public void When_Sampling_Expect_ChargeOfTheSamplingCapacitorPrechargedToVdd()
    {
        // Each sum line sees C_s = half the sampled capacitance whose bottom plates start at VDD, plus the
        // bootstrap capacitor's bottom plate charged from 0 to the input: Q = C_s (V - VDD) + ~C_b V.
        // Only the sign and the order of magnitude are asserted here; docs/adc.md gives the fitted values.
        double vdd = Tech.VddVolts;
        double cs = Design.SamplingCapacitancePerLineFarads(vdd);
        var q = _result.SlpChargeCoulombs[2];
        double v = Inputs[2].SlpVolts;
        double expected = cs * (v - vdd) + Design.BootstrapCapacitanceFarads * v;
        Assert.That(q, Is.EqualTo(expected).Within(Math.Abs(expected)).Or.EqualTo(expected).Within(2e-15));
    }
}

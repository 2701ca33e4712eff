using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using NUnit.Framework;
using Mbi.Tests;

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
        using var engine = TestAssets.StartNgspice();
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
    public void When_SamplingNearVdd_Expect_TheBootstrapCapacitorsChargeToDominateTheSumLineCharge()
    {
        // Before sampling the DAC bottom plates sit at VDD, so at an input near VDD (code 0) the DAC draws
        // almost nothing; the charge a sum line delivers is then the bootstrap capacitor's bottom plate going
        // from 0 V to the input, C_b V, plus the switches' gate and junction charge: 25% covers those
        // (measured 36.7 fC against C_b V = 36.0 fC). At a lower input the DAC pushes charge back into the
        // line (C_s/2 (V - VDD) < 0), so the line delivers less.
        double v = Inputs[0].SlpVolts;
        Assert.That(_result.SlpChargeCoulombs[0], Is.EqualTo(Design.BootstrapCapacitanceFarads * v).Within(25).Percent);
        Assert.That(_result.SlnChargeCoulombs[0], Is.EqualTo(Design.BootstrapCapacitanceFarads * v).Within(25).Percent);
        Assert.That(_result.SlpChargeCoulombs[2], Is.LessThan(_result.SlpChargeCoulombs[0]));
    }
}

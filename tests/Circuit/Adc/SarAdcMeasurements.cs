using System.Globalization;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.Adc;

/// <summary>
/// The long measurements docs/adc.md quotes, run by hand once (never in CI):
/// dotnet test tests/Circuit -c Release --filter "FullyQualifiedName~SarAdcMeasurements" --logger "console;verbosity=detailed"
/// </summary>
[TestFixture, Explicit("long ngspice measurements for docs/adc.md"), Category("Measurement")]
public sealed class SarAdcMeasurements
{
    private static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);

    [Test]
    public void Ramp_AllCodes()
    {
        var design = new SarAdcDesign();
        var tech = Technology.Ptm16Lp();
        // 32 code centres, then 8 inputs a quarter LSB inside a threshold; SLP and SLN differ by +-30 mV on odd codes.
        var inputs = new List<SarAdcInput>();
        for (int c = 0; c < 32; c++)
        {
            double v = design.InputTopVolts - c * design.InputLsbVolts;
            double d = c % 2 == 1 ? 0.03 : 0;
            if (v + d > tech.VddVolts) d = 0;
            inputs.Add(new SarAdcInput(v + d, v - d));
        }
        using var engine = TestAssets.StartNgspice();
        var r = SarAdcSimulator.Run(engine, new SarAdcBench(tech, design, inputs));
        int worst = 0;
        for (int k = 0; k < inputs.Count; k++)
        {
            int ideal = (int)Math.Round((design.InputTopVolts - inputs[k].AverageVolts) / design.InputLsbVolts, MidpointRounding.AwayFromZero);
            worst = Math.Max(worst, Math.Abs(r.Codes[k] - ideal));
            TestContext.Out.WriteLine($"ramp k={k} slp={F(inputs[k].SlpVolts)} sln={F(inputs[k].SlnVolts)} ideal={ideal} code={r.Codes[k]} energy_fJ={F(r.EnergyJoules[k] * 1e15)} qslp_fC={F(r.SlpChargeCoulombs[k] * 1e15)} qsln_fC={F(r.SlnChargeCoulombs[k] * 1e15)}");
        }
        for (int s = 0; s < r.Sources.Count; s++)
        {
            double mean = 0;
            for (int k = 0; k < inputs.Count; k++) mean += r.EnergyBySourceJoules[k * r.Sources.Count + s];
            TestContext.Out.WriteLine($"source {r.Sources[s]} mean_fJ={F(mean / inputs.Count * 1e15)}");
        }
        TestContext.Out.WriteLine($"mean energy per conversion fJ={F(r.MeanEnergyJoules * 1e15)} (excluding conversion 0: {F(r.EnergyJoules.Skip(1).Average() * 1e15)}) conversion_ns={F(r.ConversionSeconds * 1e9)} worst_code_error={worst}");
        Assert.That(worst, Is.LessThanOrEqualTo(1));
    }

    [Test]
    public void ComparatorOffset_50Dies()
    {
        var design = new SarAdcDesign();
        using var engine = TestAssets.StartNgspice();
        var bench = new ComparatorOffsetBench(Technology.Ptm16Lp(), design);
        var r = bench.Run(engine, seed: 1, sigmaVthVolts: 0.06, dies: 50);
        foreach (var d in r.Dies) TestContext.Out.WriteLine($"die {d.Die} offset_mV={F(d.OffsetVolts * 1e3)} saturated={d.Saturated}");
        TestContext.Out.WriteLine($"seed 1 sigma_vth 60 mV dies 50: mean_mV={F(r.MeanVolts * 1e3)} sigma_mV={F(r.SigmaVolts * 1e3)} sigma_LSB={F(r.SigmaVolts / design.InputLsbVolts)} saturated={r.SaturatedCount} resolution_mV={F(r.ResolutionVolts * 1e3)}");
    }
}

/// <summary>Writes the benches as decks for `ngspice -b` (to $MBI_ADC_DECKS or the temp folder).</summary>
[TestFixture, Explicit("writes decks for inspection"), Category("Measurement")]
public sealed class SarAdcDeckWriter
{
    [Test]
    public void WriteDecks()
    {
        string folder = Environment.GetEnvironmentVariable("MBI_ADC_DECKS") ?? Path.GetTempPath();
        var design = new SarAdcDesign();
        var tech = Technology.Ptm16Lp();
        double Centre(int c) => design.InputTopVolts - c * design.InputLsbVolts;
        File.WriteAllText(Path.Combine(folder, "sar5.cir"), new SarAdcBench(tech, design,
            [new(Centre(0), Centre(0)), new(Centre(13) + 0.04, Centre(13) - 0.04), new(Centre(26), Centre(26))]).Write());
        File.WriteAllText(Path.Combine(folder, "comparator.cir"), new ComparatorOffsetBench(tech, design).Write());
    }
}

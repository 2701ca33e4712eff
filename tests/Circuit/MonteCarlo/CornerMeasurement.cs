using System.Globalization;
using System.Text;
using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.Circuit.Tests.MonteCarlo;

/// <summary>
/// The corner/temperature measurement of issue #10 item 3 on the row bench (32 columns, default design):
/// nominal staircase at TT/27 C, SS/125 C, FF/-40 C, FS/27 C, SF/27 C, and a few Monte Carlo dies at the first
/// three. Explicit (minutes of SPICE): run once, in the background, with
/// <c>MBI_CORNER_DIES=8 MBI_CORNER_OUT=file dotnet test ... --filter Name~CornerMeasurement</c>.
/// It asserts only that every die simulated; the numbers are the report.
/// </summary>
[TestFixture, Explicit("minutes of SPICE; a measurement, not a check"), Category("Measurement")]
public sealed class CornerMeasurement
{
    [Test]
    public void When_RowBenchRunAtCorners_Expect_EveryDieSimulated()
    {
        using (TestAssets.StartNgspice()) { }
        int dies = int.Parse(Environment.GetEnvironmentVariable("MBI_CORNER_DIES") ?? "8", CultureInfo.InvariantCulture);
        string output = Environment.GetEnvironmentVariable("MBI_CORNER_OUT") ?? Path.Combine(Path.GetTempPath(), "mbi-corners.txt");
        double evalWindow = double.Parse(Environment.GetEnvironmentVariable("MBI_CORNER_EVAL") ?? "3e-9", CultureInfo.InvariantCulture);
        // MBI_CORNER_LIST="SS:125:8,FF:-40:8" runs only those; the TT-ADC column needs TT first (NaN otherwise).
        var conditions = Environment.GetEnvironmentVariable("MBI_CORNER_LIST") is string list
            ? list.Split(',').Select(c => c.Split(':')).Select(p => (p[0], double.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(p[2], CultureInfo.InvariantCulture))).ToArray()
            : new (string Corner, double Celsius, int Dies)[] { ("TT", 27, dies), ("SS", 125, dies), ("FF", -40, dies), ("FS", 27, 1), ("SF", 27, 1) };
        var report = new StringBuilder();
        void Line(string s) { report.Append(s).Append('\n'); File.WriteAllText(output, report.ToString()); TestContext.Out.WriteLine(s); }
        Line($"row bench (lumped 31-row bitline load), 32 columns, eval window {evalWindow:G3} s, sigma(Vth) 60 mV, seed 1, 1 worker");
        Line("corner,temp_C,dies,failed,mode,nominal_top_V,nominal_bottom_V,nominal_step_mean_mV,nominal_step_min_mV,mc_step_min_mV,mc_step_mean_mV,mc_step_sigma_mV,code_error_rate_own_adc,code_error_rate_tt_adc,wall_s_per_transient");
        MonteCarloResult? typical = null;
        foreach (var (corner, celsius, n) in conditions)
        {
            var settings = new MonteCarloSettings
            {
                Technology = Technology.Ptm16Lp().At(corner, celsius), Samples = n, Seed = 1, SigmaVthVolts = 0.06, Workers = 1,
                Design = new ArrayDesign { EvalWindowSeconds = evalWindow },
            };
            var r = MonteCarloRunner.Run(settings);
            typical ??= corner == "TT" && celsius == 27 ? r : null;
            Assert.That(r.FailedSamples, Is.Zero, $"{corner}/{celsius} C");
            for (int mode = 1; mode <= 2; mode++)
            {
                var s = r.Statistics(mode);
                double ttRate = typical is null ? double.NaN : CodeErrorRate(r, typical, mode);
                Line(string.Join(",", corner, Num(celsius), n, r.FailedSamples, mode, Num(s.NominalSumVolts[0]), Num(s.NominalSumVolts[^1]),
                    Num(s.NominalStepMeanVolts * 1e3), Num(s.NominalStepMinVolts * 1e3), Num(s.StepMinVolts * 1e3), Num(s.StepMeanVolts * 1e3),
                    Num(s.StepSigmaVolts * 1e3), Num(s.AdcCodeErrorRate), Num(ttRate), Num(r.WallSeconds / (n + 1))));
            }
        }
    }

    /// <summary>The dies read by the ADC calibrated on the TT/27 C nominal die (a fixed converter), against TT's nominal codes.</summary>
    private static double CodeErrorRate(MonteCarloResult r, MonteCarloResult typical, int mode)
    {
        SumLineAdc adc = typical.Adc(mode);
        var codes = typical.Statistics(mode).NominalCodes;
        int first = r.Staircase.FirstCycle(mode), levels = r.Staircase.LevelCount(mode);
        long readouts = 0, errors = 0;
        foreach (var s in r.Samples)
        {
            if (s.Failed) continue;
            for (int l = 0; l < levels; l++)
            {
                readouts++;
                if (adc.Convert(s.SlpVolts[first + l] + s.SlnVolts[first + l]).Code != codes[l]) errors++;
            }
        }
        return (double)errors / readouts;
    }

    private static string Num(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}

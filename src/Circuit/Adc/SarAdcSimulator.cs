using Mbi.Circuit.Engine;
using Mbi.Circuit.Transient;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Adc;

/// <summary>What one run of a <see cref="SarAdcBench"/> measured.</summary>
internal sealed record SarAdcResult
{
    public required IReadOnlyList<SarAdcInput> Inputs { get; init; }

    /// <summary>The code of each conversion, read from the bit registers at the end of the conversion.</summary>
    public required IReadOnlyList<int> Codes { get; init; }

    /// <summary>
    /// Energy each conversion drew from the ADC's sources (VDD, reference, ideal clock, ideal sequencer),
    /// each source's delivered power counted positive only: the integral of max(0, -v i) over the conversion.
    /// </summary>
    public required IReadOnlyList<double> EnergyJoules { get; init; }

    /// <summary>The same per source (rows: conversions, columns: <see cref="Sources"/>), flat.</summary>
    public required IReadOnlyList<double> EnergyBySourceJoules { get; init; }

    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Net charge each conversion took from the SLP and SLN sources (negative: the ADC pushed charge in).</summary>
    public required IReadOnlyList<double> SlpChargeCoulombs { get; init; }
    public required IReadOnlyList<double> SlnChargeCoulombs { get; init; }

    public required double ConversionSeconds { get; init; }

    public double MeanEnergyJoules => EnergyJoules.Average();
}

/// <summary>
/// Runs a <see cref="SarAdcBench"/> on one engine: loads the deck, runs the transient, reads each
/// conversion's code from its bit registers and integrates each source's delivered power per conversion.
/// </summary>
internal static class SarAdcSimulator
{
    public static SarAdcResult Run(NgSpiceEngine engine, SarAdcBench bench)
    {
        engine.Load(bench.Write());
        engine.Execute("run");
        try
        {
            return Collect(engine, bench);
        }
        finally
        {
            engine.Execute("destroy all");
        }
    }

    private static SarAdcResult Collect(NgSpiceEngine engine, SarAdcBench bench)
    {
        var design = bench.Design;
        double vdd = bench.Technology.VddVolts;
        double[] time = engine.RequireVector("time");
        var bits = new double[design.Bits][];
        for (int i = 0; i < design.Bits; i++) bits[i] = engine.RequireVector($"q{i}");
        int count = bench.Inputs.Count;
        var codes = new int[count];
        for (int k = 0; k < count; k++)
        {
            int code = 0;
            for (int i = 0; i < design.Bits; i++)
            {
                double v = Waveform.At(time, bits[i], bench.ReadoutSeconds(k));
                if (v > 0.25 * vdd && v < 0.75 * vdd)
                    throw new SimulationFailedException($"SAR ADC bit {i} of conversion {k} read {v:F3} V at the end of the conversion, neither low nor high: the register did not settle.");
                if (v >= 0.75 * vdd) code |= 1 << i;
            }
            codes[k] = code;
        }

        var sources = bench.EnergySources;
        var bySource = new double[count * sources.Count];
        var energy = new double[count];
        var power = new double[time.Length];
        for (int s = 0; s < sources.Count; s++)
        {
            double[] current = engine.RequireVector(sources[s] + "#branch");
            bool isRail = SarAdcBench.VddRails.Contains(sources[s]);
            double[]? volts = isRail || sources[s] == "vref" ? null : engine.RequireVector(SarAdcBench.SourceNode(sources[s]));
            double dc = isRail ? vdd : design.ComparatorReferenceVolts(vdd);
            for (int j = 0; j < time.Length; j++) power[j] = Math.Max(0, -(volts is null ? dc : volts[j]) * current[j]);
            for (int k = 0; k < count; k++)
            {
                double e = Integrate(time, power, bench.ConversionStartSeconds(k), bench.ConversionStartSeconds(k + 1));
                bySource[k * sources.Count + s] = e;
                energy[k] += e;
            }
        }

        var slp = ChargePerConversion(engine.RequireVector("vslp#branch"), time, bench);
        var sln = ChargePerConversion(engine.RequireVector("vsln#branch"), time, bench);
        return new SarAdcResult
        {
            Inputs = bench.Inputs, Codes = codes, EnergyJoules = energy, EnergyBySourceJoules = bySource, Sources = sources,
            SlpChargeCoulombs = slp, SlnChargeCoulombs = sln, ConversionSeconds = design.ConversionSeconds,
        };
    }

    /// <summary>Charge delivered by a source (minus its branch current) in each conversion window.</summary>
    private static double[] ChargePerConversion(double[] branch, double[] time, SarAdcBench bench)
    {
        var delivered = new double[branch.Length];
        for (int j = 0; j < branch.Length; j++) delivered[j] = -branch[j];
        var q = new double[bench.Inputs.Count];
        for (int k = 0; k < q.Length; k++) q[k] = Integrate(time, delivered, bench.ConversionStartSeconds(k), bench.ConversionStartSeconds(k + 1));
        return q;
    }

    /// <summary>Trapezoidal integral of y over [from, to], interpolating at the window's ends.</summary>
    internal static double Integrate(ReadOnlySpan<double> time, ReadOnlySpan<double> y, double from, double to)
    {
        double sum = 0;
        double tPrev = from, yPrev = Waveform.At(time, y, from);
        for (int j = 0; j < time.Length; j++)
        {
            if (time[j] <= from) continue;
            if (time[j] >= to) break;
            sum += 0.5 * (y[j] + yPrev) * (time[j] - tPrev);
            tPrev = time[j]; yPrev = y[j];
        }
        sum += 0.5 * (Waveform.At(time, y, to) + yPrev) * (to - tPrev);
        return sum;
    }
}

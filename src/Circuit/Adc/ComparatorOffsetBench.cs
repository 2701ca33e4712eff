using System.Globalization;
using System.Text;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Transient;
using Mbi.Core.Errors;
using Mbi.Core.Randomness;

namespace Mbi.Circuit.Adc;

/// <summary>One die of the comparator offset Monte Carlo.</summary>
/// <param name="OffsetVolts">The input-referred offset: the inp - inn at which the decision flips.</param>
/// <param name="Saturated">True when the decision did not flip inside the search range (offset is then the range's end).</param>
internal readonly record struct ComparatorDie(int Die, double OffsetVolts, bool Saturated);

/// <summary>The offset Monte Carlo's result.</summary>
internal sealed record ComparatorOffsetResult(ulong Seed, double SigmaVthVolts, IReadOnlyList<ComparatorDie> Dies, double ResolutionVolts)
{
    public double MeanVolts => Dies.Average(d => d.OffsetVolts);

    /// <summary>Sample standard deviation (n - 1) of the dies' offsets.</summary>
    public double SigmaVolts
    {
        get
        {
            double m = MeanVolts;
            return Dies.Count < 2 ? 0 : Math.Sqrt(Dies.Sum(d => (d.OffsetVolts - m) * (d.OffsetVolts - m)) / (Dies.Count - 1));
        }
    }

    public int SaturatedCount => Dies.Count(d => d.Saturated);
}

/// <summary>
/// The SAR ADC's StrongARM comparator alone (same subcircuit, same clock buffers, same output
/// inverters as <see cref="SarAdcBench"/>), inn at the ADC's reference, inp = reference + dv. One clock
/// period per run: reset in the low half, evaluate in the high half, decision read at the end. For each
/// die every one of the 11 comparator transistors gets a Vth shift ~ N(0, sigma) from
/// <see cref="VthDraws"/> (stream "mbi.circuit.adc.comparator"), and the flip point of dv is found by
/// bisection over +-<see cref="SearchVolts"/>; the resolution is 2 x SearchVolts / 2^steps.
/// </summary>
internal sealed class ComparatorOffsetBench
{
    public static readonly ulong Stream = SeededRandom.StreamId("mbi.circuit.adc.comparator");

    /// <summary>The comparator's transistors in draw order (instance paths inside xsa).</summary>
    public static readonly IReadOnlyList<string> Devices =
        ["m.xsa.mt", "m.xsa.m1", "m.xsa.m2", "m.xsa.m3", "m.xsa.m4", "m.xsa.m5", "m.xsa.m6", "m.xsa.m7", "m.xsa.m8", "m.xsa.m9", "m.xsa.m10"];

    public ComparatorOffsetBench(Technology technology, SarAdcDesign design)
    {
        Technology = technology;
        Design = design.Validated(technology.VddVolts);
    }

    public Technology Technology { get; }
    public SarAdcDesign Design { get; }
    public double SearchVolts => 0.45;
    public int BisectionSteps => 11;
    public double ReferenceVolts => Design.ComparatorReferenceVolts(Technology.VddVolts);

    public string Write()
    {
        double vdd = Technology.VddVolts, period = Design.ClockPeriodSeconds, edge = Design.EdgeSeconds;
        var t = new StringBuilder(16 * 1024);
        t.Append("* Mbi SAR ADC comparator offset bench: StrongARM alone, one clock period, inp = reference + dv (altered per run)\n");
        t.Append("* Written by Mbi (src/Circuit/Adc/ComparatorOffsetBench.cs); runs unchanged with `ngspice -b`.\n");
        t.Append(Technology.ModelCardForNetlist).Append('\n');
        SarAdcBench.WriteSubcircuits(t, Technology, Design);
        t.Append("vdd vdd 0 DC ").Append(Spice.Num(vdd)).Append('\n');
        t.Append("vref vref 0 DC ").Append(Spice.Num(ReferenceVolts)).Append('\n');
        t.Append("vinp inp 0 DC ").Append(Spice.Num(ReferenceVolts)).Append('\n');
        t.Append("vclk clki 0 PWL(0 0 ").Append(Spice.Num(period / 2)).Append(" 0 ").Append(Spice.Num(period / 2 + edge)).Append(' ').Append(Spice.Num(vdd))
         .Append(' ').Append(Spice.Num(period)).Append(' ').Append(Spice.Num(vdd)).Append(")\n");
        t.Append("xbclk1 clki clkn vdd inv\nxbclk2 clkn clk vdd invx2\nxgc clk gcn vdd inv\nxgc2 gcn clkc vdd invx4\n");
        // Both inputs straight from ideal sources: this measures the offset of device mismatch alone
        // (in the ADC the reference is held on a capacitor so the kickback on both sides matches).
        t.Append("xsa inp vref clkc o1 o2 vdd strongarm\nxo1 o1 o1b vdd inv\nxo2 o2 tf vdd inv\n");
        t.Append(".save v(o1) v(o2)\n");
        t.Append(".tran ").Append(Spice.Num(period / 200)).Append(' ').Append(Spice.Num(period)).Append('\n');
        t.Append(".end\n");
        return t.ToString();
    }

    /// <summary>Runs <paramref name="dies"/> dies (0..dies-1) of seed <paramref name="seed"/> on one engine.</summary>
    public ComparatorOffsetResult Run(NgSpiceEngine engine, ulong seed, double sigmaVthVolts, int dies)
    {
        VthDraws.Validate(sigmaVthVolts);
        if (dies < 1) throw BadInputException.For("comparator Monte Carlo dies", dies, "at least 1", "50");
        engine.Load(Write());
        var shifts = new double[Devices.Count];
        var result = new List<ComparatorDie>(dies);
        for (int die = 0; die < dies; die++)
        {
            VthDraws.Fill(seed, die, sigmaVthVolts, shifts, Stream);
            for (int i = 0; i < Devices.Count; i++)
                engine.Execute(string.Create(CultureInfo.InvariantCulture, $"alter @{Devices[i]}[delvto]={shifts[i]:R}"));
            result.Add(FindOffset(engine, die));
        }
        return new ComparatorOffsetResult(seed, sigmaVthVolts, result, 2 * SearchVolts / (1 << BisectionSteps));
    }

    private ComparatorDie FindOffset(NgSpiceEngine engine, int die)
    {
        // The upper end is nudged so that no bisection midpoint is exactly 0 V, where a perfectly
        // symmetric (nominal) latch has no reason to resolve either way.
        double low = -SearchVolts, high = SearchVolts * 1.001;
        bool highDecidesUp = DecidesInpHigher(engine, high), lowDecidesUp = DecidesInpHigher(engine, low);
        if (!highDecidesUp) return new ComparatorDie(die, high, true);
        if (lowDecidesUp) return new ComparatorDie(die, low, true);
        for (int step = 0; step < BisectionSteps; step++)
        {
            double mid = 0.5 * (low + high);
            if (DecidesInpHigher(engine, mid)) high = mid; else low = mid;
        }
        return new ComparatorDie(die, 0.5 * (low + high), false);
    }

    /// <summary>True when the comparator says inp > inn for inp = reference + dv.</summary>
    private bool DecidesInpHigher(NgSpiceEngine engine, double dv)
    {
        engine.Execute(string.Create(CultureInfo.InvariantCulture, $"alter vinp dc={ReferenceVolts + dv:R}"));
        engine.Execute("run");
        try
        {
            double[] time = engine.RequireVector("time");
            double o1 = Waveform.At(time, engine.RequireVector("o1"), Design.ClockPeriodSeconds * 0.99);
            double o2 = Waveform.At(time, engine.RequireVector("o2"), Design.ClockPeriodSeconds * 0.99);
            double vdd = Technology.VddVolts;
            // Within a millivolt of its flip point the latch may still be regenerating at the end of the
            // period: the sign of its output difference is then its decision. Only a tie is a failure.
            if (Math.Abs(o1 - o2) < 1e-6)
                throw new SimulationFailedException($"the comparator did not decide at dv = {dv * 1e3:F3} mV (o1 {o1:F4} V, o2 {o2:F4} V); lengthen the clock period.");
            return o1 < o2;
        }
        finally
        {
            engine.Execute("destroy all");
        }
    }
}

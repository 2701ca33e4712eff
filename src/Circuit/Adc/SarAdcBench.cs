using System.Text;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Adc;

/// <summary>One conversion's input: the two sum-line voltages, held by ideal sources for the conversion.</summary>
internal readonly record struct SarAdcInput(double SlpVolts, double SlnVolts)
{
    public double AverageVolts => (SlpVolts + SlnVolts) / 2;
}

/// <summary>
/// The transistor-level SAR ADC test bench (docs/adc.md): split bottom-plate-sampled CDAC, two bootstrapped
/// sampling gates, tri-state bottom-plate drivers, a StrongARM comparator and one set/reset register per
/// bit, all PTM 16 nm LP from one VDD rail; the comparator reference is its own DC rail. The bench runs
/// <see cref="Inputs"/>.Count conversions back to back after one idle period. Each conversion is
/// <see cref="SarAdcDesign.PeriodsPerConversion"/> clock periods: CLR (bit registers cleared, so every
/// bottom plate returns to VDD and the top plate is reset to VDD), SAMPLE (<see cref="SarAdcDesign.SamplingPeriods"/> periods) (drivers off, bottom plates on
/// the sum lines through bootstrapped switches; the top-plate reset opens first, the bottom switches a
/// tenth of a period before the period ends), then one period per bit, MSB first: the bit's register is
/// set in the clock's low half (its capacitors' bottom plates fall to 0 V), the comparator evaluates in
/// the high half and, if the top plate fell below the reference, resets the bit.
/// IDEAL: the clock (one PULSE source) and the sequencer, a one-hot phase generator independent of the
/// data (PWL sources for CLR, SAMPLE-top, SAMPLE-bottom, the conversion window, each bit's window and
/// each bit's set pulse). Each ideal source drives only the input of a CMOS buffer on VDD, and the energy
/// those sources deliver is measured and counted; the gates of the sequencer's own flip-flops are not
/// simulated. The sum lines are ideal sources here: the charge the ADC takes from them is measured and
/// reported (another engineer adds the sampling capacitance to the sum line).
/// </summary>
internal sealed class SarAdcBench
{
    /// <summary>The ideal sequencer's phase signals, each an ideal PWL source into a CMOS buffer.</summary>
    private readonly string[] _sequencerSignals;

    public SarAdcBench(Technology technology, SarAdcDesign design, IReadOnlyList<SarAdcInput> inputs)
    {
        Technology = technology;
        Design = design.Validated(technology.VddVolts);
        if (inputs.Count == 0) throw BadInputException.For("SAR ADC inputs", 0, "at least one conversion", "one (V_SLP, V_SLN) pair");
        foreach (var input in inputs)
            if (!(input.SlpVolts >= 0 && input.SlpVolts <= technology.VddVolts && input.SlnVolts >= 0 && input.SlnVolts <= technology.VddVolts))
                throw BadInputException.For("SAR ADC input", $"({input.SlpVolts}, {input.SlnVolts}) V", $"sum-line voltages within 0..{technology.VddVolts} V", "(0.8, 0.8)");
        Inputs = inputs.ToArray();
        var signals = new List<string> { "clr", "top", "bot", "conv" };
        for (int i = Design.Bits - 1; i >= 0; i--) { signals.Add($"e{i}"); signals.Add($"p{i}"); }
        _sequencerSignals = signals.ToArray();
    }

    public Technology Technology { get; }
    public SarAdcDesign Design { get; }
    public IReadOnlyList<SarAdcInput> Inputs { get; }

    /// <summary>The sources whose delivered energy is the ADC's: VDD, the reference, the clock, the sequencer.</summary>
    public IReadOnlyList<string> EnergySources => ["vdd", "vddc", "vddb", "vddd", "vref", "vclk", .. _sequencerSignals.Select(s => "vs" + s)];

    /// <summary>The DC rails at VDD: logic, clock and sequencer buffers (vdd), comparator and its clock driver (vddc), bootstraps (vddb), bottom-plate drivers (vddd).</summary>
    public static readonly IReadOnlyList<string> VddRails = ["vdd", "vddc", "vddb", "vddd"];

    /// <summary>The time conversion k starts (its CLR period); one idle period comes first.</summary>
    public double ConversionStartSeconds(int k) => Design.ClockPeriodSeconds + k * Design.ConversionSeconds;

    /// <summary>When bit registers are read for conversion k: 2% of a period before the next conversion starts.</summary>
    public double ReadoutSeconds(int k) => ConversionStartSeconds(k + 1) - 0.02 * Design.ClockPeriodSeconds;

    public double StopSeconds => ConversionStartSeconds(Inputs.Count);

    public string Write()
    {
        var d = Design;
        double vdd = Technology.VddVolts;
        var t = new StringBuilder(32 * 1024);
        t.Append("* Mbi SAR ADC test bench: ").Append(d.Bits).Append("-bit, split bottom-plate-sampled CDAC, StrongARM comparator, ")
         .Append(Inputs.Count).Append(" conversions, technology ").Append(Technology.Name).Append('\n');
        t.Append("* Written by Mbi (src/Circuit/Adc/SarAdcBench.cs); runs unchanged with `ngspice -b`. Design and what is ideal: docs/adc.md.\n");
        t.Append(Technology.ModelCardForNetlist).Append('\n');
        WriteSubcircuits(t);

        t.Append("* DC rails: VDD for everything, the comparator reference\n");
        foreach (string rail in VddRails) t.Append(rail).Append(' ').Append(rail).Append(" 0 DC ").Append(Spice.Num(vdd)).Append('\n');
        t.Append("vref vref 0 DC ").Append(Spice.Num(d.ComparatorReferenceVolts(vdd))).Append('\n');
        WriteInputs(t);
        WriteClockAndSequencer(t, vdd);

        t.Append("* comparator, clocked only in the bit periods: clkc = clk AND conv\n");
        t.Append("xgc clk conv gcn vdd nand2\n");
        t.Append("xgc2 gcn clkc vddc invx4\n");
        WriteHeldInput(t, Technology, Design, "vref", "vrefc");
        t.Append("xsa x vrefc clkc o1 o2 vddc strongarm\n");
        t.Append("xo1 o1 o1b vdd inv\n");
        t.Append("* tf: the top plate fell below the reference (this bit went too far)\n");
        t.Append("xo2 o2 tf vdd inv\n");
        t.Append("* top-plate reset to VDD during CLR and SAMPLE\n");
        Mos(t, "mtop", "x topb vddd vdd", pmos: true, Technology.WidthMeters * 6.25, Technology.LengthMeters);
        t.Append("* bootstrapped gates of the bottom-plate sampling switches, one per sum line\n");
        t.Append("xbta slp bot botb ga vddb bootstrap\n");
        t.Append("xbtb sln bot botb gb vddb bootstrap\n");
        t.Append("xclrb clr clrb vdd inv\nxtopb top topb vdd inv\nxbotb bot botb vdd inv\n");

        double cu = d.UnitCapacitanceFarads;
        var halves = new[] { ("slp", "ga"), ("sln", "gb") };
        for (int i = d.Bits - 1; i >= 0; i--)
        {
            t.Append("* bit ").Append(i).Append(": register and two half capacitors of ").Append(1 << i).Append(" x Cu / 2\n");
            t.Append($"xr{i} p{i} e{i} tf clrb q{i} qb{i} vdd bitreg\n");
            for (int h = 0; h < 2; h++)
            {
                var (line, gate) = halves[h];
                t.Append($"c{i}_{h} x bp{i}_{h} {Spice.Num((1 << i) * cu / 2)}\n");
                Mos(t, $"ms{i}_{h}", $"{line} {gate} bp{i}_{h} 0", pmos: false, d.SamplingSwitchWidthMeters, Technology.LengthMeters);
                Mos(t, $"msp{i}_{h}", $"{line} botb bp{i}_{h} vdd", pmos: true, d.SamplingSwitchWidthMeters, Technology.LengthMeters);
                t.Append($"xd{i}_{h} q{i} botb bot bp{i}_{h} vddd tinv\n");
            }
        }
        t.Append("* sampling-only capacitors: bottom plate on the sum line while sampling, at VDD afterwards\n");
        for (int h = 0; h < 2; h++)
        {
            var (line, gate) = halves[h];
            t.Append($"cx_{h} x bpx_{h} {Spice.Num(d.ExtraCapacitancePerHalfFarads(vdd))}\n");
            Mos(t, $"msx_{h}", $"{line} {gate} bpx_{h} 0", pmos: false, d.SamplingSwitchWidthMeters, Technology.LengthMeters);
            Mos(t, $"mspx_{h}", $"{line} botb bpx_{h} vdd", pmos: true, d.SamplingSwitchWidthMeters, Technology.LengthMeters);
            t.Append($"xdx_{h} 0 botb bot bpx_{h} vddd tinv\n");
        }

        t.Append(".save v(x) v(slp) v(sln)");
        for (int i = 0; i < d.Bits; i++) t.Append(" v(q").Append(i).Append(')');
        foreach (string s in EnergySources) t.Append(" i(").Append(s).Append(')');
        foreach (string s in EnergySources) if (!VddRails.Contains(s) && s != "vref") t.Append(" v(").Append(SourceNode(s)).Append(')');
        t.Append(" i(vslp) i(vsln)\n");
        double step = d.ClockPeriodSeconds / 200;
        t.Append(".tran ").Append(Spice.Num(step)).Append(' ').Append(Spice.Num(StopSeconds)).Append('\n');
        t.Append(".end\n");
        return t.ToString();
    }

    /// <summary>
    /// The comparator's kickback (its input pair's gate charge when the tail turns on) moves the floating
    /// top plate by about 20 mV (measured); so that it moves the reference side alike, the reference reaches
    /// the comparator through a PMOS switch open while the comparator evaluates (gate = clkc), onto a
    /// capacitor equal to the top plate's total capacitance.
    /// </summary>
    internal static void WriteHeldInput(StringBuilder t, Technology technology, SarAdcDesign design, string from, string to)
    {
        t.Append("* ").Append(to).Append(": ").Append(from).Append(" held on a capacitor like the top plate while the comparator evaluates (matches its kickback)\n");
        t.Append("c").Append(to).Append(' ').Append(to).Append(" 0 ").Append(Spice.Num(design.ReferenceHoldCapacitanceFarads(technology.VddVolts))).Append('\n');
        t.Append("m").Append(to).Append(' ').Append(to).Append(" clkc ").Append(from).Append(" vdd ").Append(technology.PmosModel)
         .Append(" w=").Append(Spice.Num(technology.WidthMeters * 6.25)).Append(" l=").Append(Spice.Num(technology.LengthMeters))
         .Append(' ').Append(technology.DeviceFlags).Append('\n');
    }

    /// <summary>The node an ideal source drives (vclk drives clki, vsX drives Xi).</summary>
    public static string SourceNode(string source) => source == "vclk" ? "clki" : source[2..] + "i";

    private void WriteInputs(StringBuilder t)
    {
        double edge = Design.EdgeSeconds;
        foreach (var (name, node, pick) in new (string, string, Func<SarAdcInput, double>)[] { ("vslp", "slp", x => x.SlpVolts), ("vsln", "sln", x => x.SlnVolts) })
        {
            var points = new List<(double, double)> { (0, pick(Inputs[0])) };
            for (int k = 1; k < Inputs.Count; k++)
                Spice.Step(points, ConversionStartSeconds(k), pick(Inputs[k - 1]), pick(Inputs[k]), edge);
            points.Add((StopSeconds, pick(Inputs[^1])));
            t.Append("* sum line ").Append(node).Append(" (ideal source: the array's sum line)\n");
            Spice.Pwl(t, name, node, "0", points);
        }
    }

    private void WriteClockAndSequencer(StringBuilder t, double vdd)
    {
        var d = Design;
        double period = d.ClockPeriodSeconds, edge = d.EdgeSeconds;
        t.Append("* IDEAL clock: low in the first half of every period, high in the second\n");
        t.Append("vclk clki 0 PULSE(0 ").Append(Spice.Num(vdd)).Append(' ').Append(Spice.Num(period / 2)).Append(' ')
         .Append(Spice.Num(edge)).Append(' ').Append(Spice.Num(edge)).Append(' ').Append(Spice.Num(period / 2 - edge)).Append(' ')
         .Append(Spice.Num(period)).Append(")\n");
        t.Append("xbclk1 clki clkn vdd inv\nxbclk2 clkn clk vdd invx2\n");
        t.Append("* IDEAL sequencer (data-independent one-hot phases), each into a two-inverter buffer\n");
        var pulses = _sequencerSignals.ToDictionary(s => s, _ => new List<(double From, double To)>());
        for (int k = 0; k < Inputs.Count; k++)
        {
            double t0 = ConversionStartSeconds(k);
            pulses["clr"].Add((t0, t0 + period));
            double converting = t0 + (1 + d.SamplingPeriods) * period;
            pulses["top"].Add((t0, converting - 0.3 * period));
            pulses["bot"].Add((t0 + period, converting - 0.1 * period));
            pulses["conv"].Add((converting, t0 + d.PeriodsPerConversion * period));
            for (int j = 0; j < d.Bits; j++)
            {
                int bit = d.Bits - 1 - j;
                double start = converting + j * period;
                pulses[$"e{bit}"].Add((start, start + period));
                pulses[$"p{bit}"].Add((start, start + period / 2));
            }
        }
        foreach (string s in _sequencerSignals)
        {
            var points = new List<(double, double)> { (0, 0) };
            var list = pulses[s];
            for (int p = 0; p < list.Count; p++)
            {
                var (from, to) = list[p];
                // Back-to-back pulses (a bit window of one conversion and the next never are) merge.
                if (p > 0 && list[p - 1].To == from) { points.RemoveAt(points.Count - 1); points.RemoveAt(points.Count - 1); }
                else { points.Add((from, 0)); points.Add((from + edge, vdd)); }
                points.Add((to, vdd));
                points.Add((to + edge, 0));
            }
            points.Add((StopSeconds + period, 0));
            Spice.Pwl(t, "vs" + s, s + "i", "0", points);
            t.Append($"xb{s}1 {s}i {s}n vdd inv\nxb{s}2 {s}n {s} vdd inv\n");
        }
    }

    private void WriteSubcircuits(StringBuilder t) => WriteSubcircuits(t, Technology, Design);

    /// <summary>The gate, bootstrap and StrongARM subcircuits (shared with <see cref="ComparatorOffsetBench"/>).</summary>
    internal static void WriteSubcircuits(StringBuilder t, Technology technology, SarAdcDesign d)
    {
        double w = technology.WidthMeters, l = technology.LengthMeters;
        string n = technology.NmosModel, p = technology.PmosModel, flags = technology.DeviceFlags;
        string M(string name, string nodes, bool pmos, double width, double length) =>
            $"{name} {nodes} {(pmos ? p : n)} w={Spice.Num(width)} l={Spice.Num(length)} {flags}\n";
        // Logic sizes in multiples of the minimum width (32 nm): NMOS 6.25x = 0.2 um, PMOS twice that.
        double wn = 6.25 * w, wp = 12.5 * w;
        t.Append("* CMOS gates (inverters, NAND2, NOR2, tri-state inverter)\n");
        foreach (var (name, k) in new[] { ("inv", 1.0), ("invx2", 2.0), ("invx4", 4.0) })
            t.Append($".subckt {name} a y vdd\n").Append(M("mp", "y a vdd vdd", true, k * wp, l)).Append(M("mn", "y a 0 0", false, k * wn, l)).Append(".ends\n");
        t.Append(".subckt nand2 a b y vdd\n").Append(M("mp1", "y a vdd vdd", true, wp, l)).Append(M("mp2", "y b vdd vdd", true, wp, l))
         .Append(M("mn1", "y a m 0", false, 2 * wn, l)).Append(M("mn2", "m b 0 0", false, 2 * wn, l)).Append(".ends\n");
        t.Append(".subckt nor2 a b y vdd\n").Append(M("mp1", "m a vdd vdd", true, 2 * wp, l)).Append(M("mp2", "y b m vdd", true, 2 * wp, l))
         .Append(M("mn1", "y a 0 0", false, wn, l)).Append(M("mn2", "y b 0 0", false, wn, l)).Append(".ends\n");
        t.Append("* tri-state inverter: y = not a while en (enb = not en), floating otherwise\n");
        t.Append(".subckt tinv a en enb y vdd\n").Append(M("mp1", "m1 enb vdd vdd", true, wp, l)).Append(M("mp2", "y a m1 vdd", true, wp, l))
         .Append(M("mn2", "y a m2 0", false, wn, l)).Append(M("mn1", "m2 en 0 0", false, wn, l)).Append(".ends\n");
        t.Append("* bit register: NOR set/reset latch; set by the bit's set pulse p, reset by CLR or by (window e AND tf)\n");
        t.Append(".subckt bitreg p e tf clrb q qb vdd\nxn1 e tf n1 vdd nand2\nxn2 n1 clrb r vdd nand2\nxl1 r qb q vdd nor2\nxl2 p q qb vdd nor2\n.ends\n");
        t.Append("* bootstrap: g = in + VDD while samp is high (samp b = not samp), 0 otherwise; the n-wells sit on node t\n");
        t.Append(".subckt bootstrap in samp sampb g vdd\n")
         .Append($"cb t b {Spice.Num(d.BootstrapCapacitanceFarads)}\n")
         .Append(M("mp1", "t g vdd t", true, d.BootstrapSwitchWidthMeters, l))
         .Append(M("mn1", "b sampb 0 0", false, d.BootstrapSwitchWidthMeters, l))
         .Append(M("mn2", "b g in 0", false, d.BootstrapSwitchWidthMeters, l))
         .Append(M("mp2", "g sampb t t", true, d.BootstrapSwitchWidthMeters, l))
         .Append(M("mn3", "g vdd m 0", false, wn, l))
         .Append(M("mn4", "m sampb 0 0", false, wn, l))
         .Append(".ends\n");
        t.Append("* StrongARM latch comparator: o1 falls when inp > inn, o2 when inp < inn; both reset high while clk is low\n");
        t.Append(".subckt strongarm inp inn clk o1 o2 vdd\n")
         .Append(M("mt", "tail clk 0 0", false, d.ComparatorTailWidthMeters, l))
         .Append(M("m1", "a1 inp tail 0", false, d.ComparatorInputWidthMeters, d.ComparatorInputLengthMeters))
         .Append(M("m2", "a2 inn tail 0", false, d.ComparatorInputWidthMeters, d.ComparatorInputLengthMeters))
         .Append(M("m3", "o1 o2 a1 0", false, d.ComparatorLatchWidthMeters, l))
         .Append(M("m4", "o2 o1 a2 0", false, d.ComparatorLatchWidthMeters, l))
         .Append(M("m5", "o1 o2 vdd vdd", true, d.ComparatorLatchWidthMeters, l))
         .Append(M("m6", "o2 o1 vdd vdd", true, d.ComparatorLatchWidthMeters, l))
         .Append(M("m7", "o1 clk vdd vdd", true, d.ComparatorResetWidthMeters, l))
         .Append(M("m8", "o2 clk vdd vdd", true, d.ComparatorResetWidthMeters, l))
         .Append(M("m9", "a1 clk vdd vdd", true, d.ComparatorResetWidthMeters, l))
         .Append(M("m10", "a2 clk vdd vdd", true, d.ComparatorResetWidthMeters, l))
         .Append(".ends\n");
    }

    private void Mos(StringBuilder t, string name, string nodes, bool pmos, double width, double length) =>
        t.Append(name).Append(' ').Append(nodes).Append(' ').Append(pmos ? Technology.PmosModel : Technology.NmosModel)
         .Append(" w=").Append(Spice.Num(width)).Append(" l=").Append(Spice.Num(length)).Append(' ').Append(Technology.DeviceFlags).Append('\n');
}

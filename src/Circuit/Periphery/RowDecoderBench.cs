using System.Text;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Periphery;

/// <summary>
/// The array's row select path as one ngspice bench: a 5-to-32 row decoder (address buffers, a 2-to-4 predecoder of
/// NAND2 + inverter, a 3-to-8 predecoder of NAND3 + inverter, one NAND2 per row) and one row driver per row (an
/// inverter of strength <see cref="RowDecoderDesign.BufferStrength"/> then a driver inverter of strength
/// <see cref="RowDecoderDesign.DriverStrength"/> on the VPmax rail) pulling the selected row's source line to ground.
/// Each source line carries its wire (Technology.WireCapacitanceFaradsPerMeter x columns x CellWidthMeters) and, on
/// every row the address sequence visits, the row's full 10T cells (their source-line devices and internal nodes):
/// rows never visited never switch, so their cells would add only leakage, measured separately. Predecode lines carry
/// their wire along the rows (rows x CellHeightMeters). The cells' bitlines are held at VPmax and their query lines low,
/// so no bitline discharges: the bench isolates the select path (the evaluation's bitline charge is the row bench's).
/// The address inputs are ideal sources, but each drives only an address buffer's gate, and what they deliver is counted.
/// </summary>
internal sealed class RowDecoderBench
{
    public const int AddressBits = 5;

    /// <summary>
    /// The decoder transient's maximum step: half the row bench's former 100 ps, fixed here so that the row bench's
    /// step (now set by its truncation-error control, <see cref="ArrayDesign.MaxStepSeconds"/>) does not move it.
    /// </summary>
    private const double MaxStepSeconds = 50e-12;

    /// <summary>Named DC rails and input sources, in the order their energies are reported.</summary>
    public static readonly IReadOnlyList<string> Rails = ["vdec", "vrow", "vcell", "vbl"];

    public RowDecoderBench(Technology technology, ArrayDesign design, RowDecoderDesign decoder, IReadOnlyList<int> rowSequence)
    {
        design = design.Validated();
        decoder = decoder.Validated();
        if (design.Rows != 32) throw BadInputException.For("rows", design.Rows, "32 for the 5-to-32 row decoder bench", "32");
        if (rowSequence.Count < 2) throw BadInputException.For("row sequence length", rowSequence.Count, ">= 2 (one access after the first row)", "0,1,2,3");
        foreach (int r in rowSequence)
            if (r is < 0 or >= 32) throw BadInputException.For("row address", r, "between 0 and 31", "5");
        Technology = technology;
        Design = design;
        Decoder = decoder;
        RowSequence = rowSequence.ToArray();
    }

    public Technology Technology { get; }
    public ArrayDesign Design { get; }
    public RowDecoderDesign Decoder { get; }
    public IReadOnlyList<int> RowSequence { get; }

    /// <summary>One access per <see cref="ArrayDesign.CycleSeconds"/>: the address changes at the start of each.</summary>
    public double AccessSeconds => Design.CycleSeconds;

    /// <summary>Time of the i-th address change (i = 1.. the accesses after the starting row).</summary>
    public double ChangeSeconds(int i) => i * AccessSeconds;

    public double StopSeconds => RowSequence.Count * AccessSeconds;

    /// <summary>Capacitance of one source line's wire: columns x cell width x wire capacitance per metre.</summary>
    public double SourceLineWireFarads => Technology.WireCapacitanceFaradsPerMeter * Design.Columns * Technology.CellWidthMeters;

    /// <summary>Capacitance of one predecode line's wire, running past every row: rows x cell height x wire capacitance per metre.</summary>
    public double PredecodeWireFarads => Technology.WireCapacitanceFaradsPerMeter * Design.Rows * Technology.CellHeightMeters;

    /// <summary>
    /// The netlist; <paramref name="transient"/> false writes the DC bench (address held at the first row) for leakage.
    /// <paramref name="evaluating"/> ties both query lines of the second accessed row's cells high: every cell then conducts
    /// one bitline (held at VPmax, a steady worst case) into that row's source line, which its driver must hold near ground.
    /// </summary>
    public string Write(bool transient = true, double temperatureCelsius = 27, bool evaluating = false)
    {
        double vdd = Technology.VddVolts, vp = Design.VpMaxVolts;
        string w = Spice.Num(Technology.WidthMeters), w2 = Spice.Num(2 * Technology.WidthMeters), w3 = Spice.Num(3 * Technology.WidthMeters);
        string l = Spice.Num(Technology.LengthMeters), n = Technology.NmosModel, p = Technology.PmosModel, f = Technology.DeviceFlags;
        var t = new StringBuilder(256 * 1024);
        t.Append("* Mbi row decoder (5-to-32, predecoded) and row drivers, ").Append(RowSequence.Count).Append(" row accesses, ").Append(Technology.Name).Append('\n');
        t.Append("* Written by Mbi (src/Circuit/Periphery/RowDecoderBench.cs); runs unchanged with `ngspice -b`.\n");
        t.Append(Technology.ModelCardForNetlist).Append('\n').Append(CellTemplate.For(Technology)).Append('\n');
        t.Append($".subckt inv in out vp vn params: m=1\nmp out in vp vp {p} w={w2} l={l} {f} m={{m}}\nmn out in vn vn {n} w={w} l={l} {f} m={{m}}\n.ends inv\n");
        t.Append($".subckt nand2 a b out vp vn\nmpa out a vp vp {p} w={w2} l={l} {f}\nmpb out b vp vp {p} w={w2} l={l} {f}\n")
         .Append($"mna out a x vn {n} w={w2} l={l} {f}\nmnb x b vn vn {n} w={w2} l={l} {f}\n.ends nand2\n");
        t.Append($".subckt nand3 a b c out vp vn\nmpa out a vp vp {p} w={w2} l={l} {f}\nmpb out b vp vp {p} w={w2} l={l} {f}\nmpc out c vp vp {p} w={w2} l={l} {f}\n")
         .Append($"mna out a x vn {n} w={w3} l={l} {f}\nmnb x b y vn {n} w={w3} l={l} {f}\nmnc y c vn vn {n} w={w3} l={l} {f}\n.ends nand3\n");
        t.Append(".options gmin=1e-20\n.temp ").Append(Spice.Num(temperatureCelsius)).Append('\n');
        t.Append("* rails: decoder logic (VDD), row drivers (VPmax), cell supply, bitline bias (precharged, query lines low)\n");
        t.Append($"vdec vdec 0 DC {Spice.Num(vdd)}\nvrow vrow 0 DC {Spice.Num(vp)}\nvcell vcell 0 DC {Spice.Num(vdd)}\nvbl vbl 0 DC {Spice.Num(vp)}\nvoff off 0 DC 0\nvqon qon 0 DC {Spice.Num(vdd)}\n");
        WriteAddress(t, vdd, transient);
        for (int b = 0; b < AddressBits; b++)
        {
            t.Append($"xab{b} a{b} a{b}n vdec 0 inv m={Decoder.BufferStrength}\n");
            t.Append($"xat{b} a{b}n a{b}p vdec 0 inv m={Decoder.BufferStrength}\n");
        }
        string Bit(int bit, int value) => $"a{bit}{(((value >> bit) & 1) == 1 ? "p" : "n")}";
        for (int i = 0; i < 4; i++)
        {
            t.Append($"xpa{i} {Bit(0, i)} {Bit(1, i)} pan{i} vdec 0 nand2\nxpai{i} pan{i} pa{i} vdec 0 inv m={Decoder.BufferStrength}\n");
            t.Append($"cpa{i} pa{i} 0 {Spice.Num(PredecodeWireFarads)}\n");
        }
        for (int j = 0; j < 8; j++)
        {
            int v = j << 2;
            t.Append($"xpb{j} {Bit(2, v)} {Bit(3, v)} {Bit(4, v)} pbn{j} vdec 0 nand3\nxpbi{j} pbn{j} pb{j} vdec 0 inv m={Decoder.BufferStrength}\n");
            t.Append($"cpb{j} pb{j} 0 {Spice.Num(PredecodeWireFarads)}\n");
        }
        var visited = RowSequence.Distinct().Order().ToArray();
        for (int r = 0; r < 32; r++)
        {
            t.Append($"xrn{r} pa{r & 3} pb{r >> 2} rn{r} vdec 0 nand2\n");
            t.Append($"xri{r} rn{r} rs{r} vdec 0 inv m={Decoder.BufferStrength}\n");
            t.Append($"xrd{r} rs{r} sl{r} vrow 0 inv m={Decoder.DriverStrength}\n");
            t.Append($"csl{r} sl{r} 0 {Spice.Num(SourceLineWireFarads)}\n");
            if (Array.BinarySearch(visited, r) < 0) continue;
            string query = evaluating && r == RowSequence[1] ? "qon qon" : "off off";
            for (int c = 0; c < Design.Columns; c++)
                t.Append($"xc{r}_{c} vbl vbl {query} sl{r} off q{r}_{c} qb{r}_{c} vcell 0 cell10t\n");
        }
        t.Append(transient ? ".ic" : ".nodeset");
        foreach (int r in visited)
            for (int c = 0; c < Design.Columns; c++)
            {
                bool k = (c & 1) == 0; // alternating key bits: half the cells hold 1
                t.Append($"\n+ v(q{r}_{c})={Spice.Num(k ? vdd : 0)} v(qb{r}_{c})={Spice.Num(k ? 0 : vdd)}");
            }
        t.Append('\n');
        if (transient)
        {
            t.Append(".save");
            foreach (string rail in Rails) t.Append(" i(").Append(rail).Append(')');
            for (int b = 0; b < AddressBits; b++) t.Append($" i(va{b}) v(a{b})");
            t.Append($" v(sl{RowSequence[0]}) v(sl{RowSequence[1]})\n");
            t.Append($".tran {Spice.Num(Design.EdgeSeconds / 2)} {Spice.Num(StopSeconds)} 0 {Spice.Num(MaxStepSeconds)}\n");
        }
        t.Append(".end\n");
        return t.ToString();
    }

    private void WriteAddress(StringBuilder t, double vdd, bool transient)
    {
        for (int b = 0; b < AddressBits; b++)
        {
            double level = ((RowSequence[0] >> b) & 1) * vdd;
            if (!transient)
            {
                t.Append($"va{b} a{b} 0 DC {Spice.Num(level)}\n");
                continue;
            }
            var points = new List<(double, double)> { (0, level) };
            for (int i = 1; i < RowSequence.Count; i++)
            {
                double next = ((RowSequence[i] >> b) & 1) * vdd;
                Spice.Step(points, ChangeSeconds(i), level, next, Design.EdgeSeconds);
                level = next;
            }
            Spice.Pwl(t, $"va{b}", $"a{b}", "0", points);
        }
    }
}

using System.Text;
using Mbi.Circuit.Models;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// The row test bench: the selected row's 32 10T cells (source line grounded), each bitline loaded by
/// the lumped capacitance of the 31 unselected rows, per-column precharge PMOS to a rail chosen by bit
/// significance, transmission gates sharing every BL onto SLP and every BLB onto SLN, and sum-line
/// precharge. Runs the program's cycles back to back in one transient. Writes a self-contained
/// netlist (model card and cell inlined) that runs unchanged under <c>ngspice -b</c>.
/// </summary>
public sealed class RowBench
{
    private readonly Technology _technology;
    private readonly ArrayDesign _design;
    private readonly RowProgram _program;
    private readonly int[] _railOfColumn;
    private readonly double[][] _railVolts;
    private readonly DeviceRef[] _devices;
    private readonly SupplyProbe[] _supplies;
    private readonly RowCycle[] _runCycles;
    private readonly CycleTiming[] _runTimings;

    /// <summary>Cycles run before the program's own (not reported).</summary>
    public const int WarmUpCycles = 1;

    public RowBench(Technology technology, ArrayDesign design, RowProgram program)
    {
        _technology = technology;
        _design = design.Validated();
        _program = program;
        (_railOfColumn, _railVolts) = BuildRails(program, design.VpMaxVolts);
        _devices = BuildDevices(program.Columns);
        // One warm-up cycle (a copy of the first) runs before the reported ones: the first cycle after
        // the operating point starts from different internal stack voltages and reads about 1.6 mV high.
        _runCycles = [program.Cycles[0], .. program.Cycles];
        _runTimings = Enumerable.Range(0, _runCycles.Length).Select(i => CycleTiming.For(design, i)).ToArray();
        Timings = _runTimings[WarmUpCycles..];
        _supplies = BuildSupplies(_railVolts.Length, technology.VddVolts, design.VpMaxVolts);
    }

    public ArrayDesign Design => _design;
    public RowProgram Program => _program;
    public Technology Technology => _technology;

    /// <summary>Every transistor that takes a Vth shift, in draw order.</summary>
    public IReadOnlyList<DeviceRef> Devices => _devices;

    /// <summary>Timing of each program cycle (the warm-up cycle excluded).</summary>
    public IReadOnlyList<CycleTiming> Timings { get; }

    /// <summary>The sources whose charge is reported per phase.</summary>
    public IReadOnlyList<SupplyProbe> Supplies => _supplies;

    public double StopSeconds => Timings[^1].End;

    /// <summary>
    /// The netlist. <paramref name="deltaVthVolts"/> (one per <see cref="Devices"/> entry, or empty for
    /// nominal) is written as each transistor's delvto, so a Monte Carlo die can be rerun by hand.
    /// </summary>
    public string Write(ReadOnlySpan<double> deltaVthVolts = default)
    {
        if (deltaVthVolts.Length != 0 && deltaVthVolts.Length != _devices.Length)
            throw new ArgumentException($"{deltaVthVolts.Length} Vth shifts for {_devices.Length} devices", nameof(deltaVthVolts));
        var t = new StringBuilder(64 * 1024);
        double vdd = _technology.VddVolts;
        t.Append("* Mbi row test bench: ").Append(_program.Columns).Append(" columns, ").Append(_program.Cycles.Count)
         .Append(" precharge/evaluate/share cycles after ").Append(WarmUpCycles).Append(" warm-up cycle, technology ").Append(_technology.Name).Append('\n');
        t.Append("* Written by Mbi (src/Circuit/Netlists/RowBench.cs); runs unchanged with `ngspice -b`.\n");
        t.Append(_technology.ModelCardForNetlist).Append('\n');
        t.Append(CellTemplate.For(_technology)).Append('\n');

        t.Append("* supplies: cell VDD, selected row's source line (grounded), write word line (off)\n");
        t.Append("vdd vdd 0 DC ").Append(Spice.Num(vdd)).Append('\n');
        t.Append("vsl sl 0 DC 0\n");
        t.Append("vwl wl 0 DC 0\n");
        WriteRails(t);
        WriteControls(t, vdd);
        WriteQueryLines(t, vdd);

        int deviceIndex = 0;
        string flags = _technology.DeviceFlags;
        string size = $"w={Spice.Num(_technology.WidthMeters)} l={Spice.Num(_technology.LengthMeters)} {flags}";
        for (int c = 0; c < _program.Columns; c++)
        {
            t.Append("* column ").Append(c).Append(": key bit ").Append(_program.Key[c] ? 1 : 0).Append('\n');
            t.Append("xc").Append(c).Append($" bl{c} blb{c} ql{c} qlb{c} sl wl q{c} qb{c} vdd 0 cell10t");
            foreach (var (_, _, parameter) in CellTemplate.Transistors)
            {
                double d = Shift(deltaVthVolts, deviceIndex++);
                if (d != 0) t.Append(' ').Append(parameter).Append('=').Append(Spice.Num(d));
            }
            t.Append('\n');
            t.Append($"cbl{c} bl{c} 0 {Spice.Num(_design.BitlineCapacitanceFarads)}\n");
            t.Append($"cblb{c} blb{c} 0 {Spice.Num(_design.BitlineCapacitanceFarads)}\n");
            string rail = "pr" + _railOfColumn[c];
            Mos(t, $"mpb{c}", $"bl{c} pg {rail} vdd", true, size, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mpbb{c}", $"blb{c} pg {rail} vdd", true, size, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mtn{c}", $"bl{c} shn slp 0", false, size, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mtp{c}", $"bl{c} shp slp vdd", true, size, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mtnb{c}", $"blb{c} shn sln 0", false, size, Shift(deltaVthVolts, deviceIndex++));
            Mos(t, $"mtpb{c}", $"blb{c} shp sln vdd", true, size, Shift(deltaVthVolts, deviceIndex++));
        }
        t.Append("* sum lines and their precharge to VPmax\n");
        t.Append($"cslp slp 0 {Spice.Num(_design.SumLineCapacitanceFarads)}\n");
        t.Append($"csln sln 0 {Spice.Num(_design.SumLineCapacitanceFarads)}\n");
        Mos(t, "mpsp", "slp pg pr0 vdd", true, size, Shift(deltaVthVolts, deviceIndex++));
        Mos(t, "mpsn", "sln pg pr0 vdd", true, size, Shift(deltaVthVolts, deviceIndex++));
        System.Diagnostics.Debug.Assert(deviceIndex == _devices.Length);

        t.Append("* stored key (held while the operating point is found, free afterwards)\n.ic");
        for (int c = 0; c < _program.Columns; c++)
        {
            if (c > 0 && c % 8 == 0) t.Append("\n+");
            bool k = _program.Key[c];
            t.Append($" v(q{c})={Spice.Num(k ? vdd : 0)} v(qb{c})={Spice.Num(k ? 0 : vdd)}");
        }
        t.Append('\n');
        t.Append(".save v(slp) v(sln)");
        foreach (var s in _supplies) t.Append(" i(").Append(s.Source).Append(')');
        t.Append('\n');
        t.Append(".tran ").Append(Spice.Num(_design.MaxStepSeconds)).Append(' ').Append(Spice.Num(StopSeconds)).Append('\n');
        for (int i = 0; i < Timings.Count; i++)
        {
            t.Append($".meas tran slp_{i} find v(slp) at={Spice.Num(Timings[i].Settle)}\n");
            t.Append($".meas tran sln_{i} find v(sln) at={Spice.Num(Timings[i].Settle)}\n");
        }
        t.Append(".end\n");
        return t.ToString();
    }

    private static double Shift(ReadOnlySpan<double> shifts, int index) => shifts.Length == 0 ? 0 : shifts[index];

    private void Mos(StringBuilder t, string name, string nodes, bool pmos, string size, double shift)
    {
        t.Append(name).Append(' ').Append(nodes).Append(' ').Append(pmos ? _technology.PmosModel : _technology.NmosModel).Append(' ').Append(size);
        t.Append(" delvto=").Append(Spice.Num(shift)).Append('\n');
    }

    private void WriteRails(StringBuilder t)
    {
        t.Append("* precharge rails: column c of a p-bit cycle precharges to VPmax / 2^(c mod p)\n");
        for (int r = 0; r < _railVolts.Length; r++)
        {
            double[] volts = [_railVolts[r][0], .. _railVolts[r]];
            if (volts.All(v => v == volts[0]))
            {
                t.Append($"vpr{r} pr{r} 0 DC {Spice.Num(volts[0])}\n");
                continue;
            }
            var points = new List<(double, double)> { (0, volts[0]) };
            for (int i = 1; i < volts.Length; i++)
                Spice.Step(points, _runTimings[i].Start - _design.GapSeconds, volts[i - 1], volts[i], _design.EdgeSeconds);
            Spice.Pwl(t, $"vpr{r}", $"pr{r}", "0", points);
        }
    }

    private void WriteControls(StringBuilder t, double vdd)
    {
        double edge = _design.EdgeSeconds;
        double pgLow = -_design.PrechargeBoostVolts;
        var pg = new List<(double, double)> { (0, pgLow) };
        var shn = new List<(double, double)> { (0, 0) };
        var shp = new List<(double, double)> { (0, vdd) };
        double shnHigh = vdd + _design.ShareBoostVolts, shpLow = -_design.ShareBoostVolts;
        for (int i = 0; i < _runTimings.Length; i++)
        {
            var c = _runTimings[i];
            if (i > 0) Spice.Step(pg, c.Start, vdd, pgLow, edge);
            Spice.Step(pg, c.EvalStart - edge - _design.GapSeconds, pgLow, vdd, edge);
            Spice.Step(shn, c.ShareStart, 0, shnHigh, edge);
            Spice.Step(shn, c.Settle, shnHigh, 0, edge);
            Spice.Step(shp, c.ShareStart, vdd, shpLow, edge);
            Spice.Step(shp, c.Settle, shpLow, vdd, edge);
        }
        t.Append("* precharge gate (boosted below ground) and transmission-gate drives (boosted both ways)\n");
        Spice.Pwl(t, "vpg", "pg", "0", pg);
        Spice.Pwl(t, "vshn", "shn", "0", shn);
        Spice.Pwl(t, "vshp", "shp", "0", shp);
    }

    private void WriteQueryLines(StringBuilder t, double vdd)
    {
        t.Append("* query lines ql = q, qlb = not q, high only while evaluating; all return through vqret (ammeter)\n");
        t.Append("vqret qret 0 DC 0\n");
        var ql = new List<(double, double)>();
        var qlb = new List<(double, double)>();
        for (int c = 0; c < _program.Columns; c++)
        {
            ql.Clear(); qlb.Clear();
            ql.Add((0, 0)); qlb.Add((0, 0));
            for (int i = 0; i < _runTimings.Length; i++)
            {
                var timing = _runTimings[i];
                bool q = _runCycles[i].Query[c];
                var line = q ? ql : qlb;
                double fall = timing.ShareStart - _design.GapSeconds - _design.EdgeSeconds;
                Spice.Step(line, timing.EvalStart, 0, vdd, _design.EdgeSeconds);
                Spice.Step(line, fall, vdd, 0, _design.EdgeSeconds);
            }
            Spice.Pwl(t, $"vq{c}", $"ql{c}", "qret", ql);
            Spice.Pwl(t, $"vqb{c}", $"qlb{c}", "qret", qlb);
        }
    }

    private static (int[] RailOfColumn, double[][] RailVolts) BuildRails(RowProgram program, double vpMax)
    {
        // Columns whose precharge voltage is the same in every cycle share one rail; rail 0 is always
        // the constant VPmax rail (column 0 is an MSB for every p), which also precharges the sum lines.
        var rails = new List<double[]>();
        var railOf = new int[program.Columns];
        for (int c = 0; c < program.Columns; c++)
        {
            double[] volts = program.Cycles.Select(cy => RowProgram.PrechargeVolts(c, cy.BitsPerElement, vpMax)).ToArray();
            int found = rails.FindIndex(r => r.AsSpan().SequenceEqual(volts));
            if (found < 0) { rails.Add(volts); found = rails.Count - 1; }
            railOf[c] = found;
        }
        return (railOf, rails.ToArray());
    }

    private static DeviceRef[] BuildDevices(int columns)
    {
        var list = new List<DeviceRef>(columns * 16 + 2);
        for (int c = 0; c < columns; c++)
        {
            foreach (var (name, pmos, _) in CellTemplate.Transistors)
                list.Add(new DeviceRef($"m.xc{c}.{name}", pmos, c, "cell." + name));
            list.Add(new DeviceRef($"mpb{c}", true, c, "precharge.bl"));
            list.Add(new DeviceRef($"mpbb{c}", true, c, "precharge.blb"));
            list.Add(new DeviceRef($"mtn{c}", false, c, "share.bl.n"));
            list.Add(new DeviceRef($"mtp{c}", true, c, "share.bl.p"));
            list.Add(new DeviceRef($"mtnb{c}", false, c, "share.blb.n"));
            list.Add(new DeviceRef($"mtpb{c}", true, c, "share.blb.p"));
        }
        list.Add(new DeviceRef("mpsp", true, -1, "precharge.slp"));
        list.Add(new DeviceRef("mpsn", true, -1, "precharge.sln"));
        return list.ToArray();
    }

    private static SupplyProbe[] BuildSupplies(int rails, double vdd, double vpMax)
    {
        var list = new List<SupplyProbe>
        {
            new("vdd", "cell", vdd), new("vsl", "source_line", 0),
            new("vpg", "precharge_gate", double.NaN), new("vshn", "share_gate_n", double.NaN),
            new("vshp", "share_gate_p", double.NaN), new("vqret", "query_lines", double.NaN),
        };
        for (int r = 0; r < rails; r++) list.Add(new SupplyProbe($"vpr{r}", $"precharge_rail{r}", r == 0 ? vpMax : double.NaN));
        return list.ToArray();
    }
}

/// <summary>A voltage source whose delivered charge is reported; Volts is NaN for pulsed drivers.</summary>
/// <param name="Source">ngspice source name (its current is the vector "&lt;source&gt;#branch").</param>
/// <param name="Name">Report name, e.g. "precharge_rail0".</param>
public sealed record SupplyProbe(string Source, string Name, double Volts);

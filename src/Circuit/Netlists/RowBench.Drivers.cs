using System.Text;
using Mbi.Circuit.Energy;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// The row bench's rails and line drivers. Every control line (precharge gate, both transmission-gate
/// gates, the selected row's source line, every query line) is driven by a CMOS <see cref="DriverChain"/>
/// from DC rails, the boosted lines through level shifters and boosted rails; only the chains' inputs are
/// ideal 0..VDD logic signals. Each block has its own DC rail so the <see cref="SupplyMeter"/> gives a
/// breakdown. The lines carry the array's loads: wire (technology capacitance per metre x length) and the
/// gates of the rows not simulated. Driver transistors are nominal: they are not in <see cref="Devices"/>,
/// so a Monte Carlo die's draws (and their order) are those of the array and its periphery only.
/// </summary>
internal sealed partial class RowBench
{
    private MeteredRail[]? _rails;
    private DriverChain[]? _chains;

    /// <summary>Every independent voltage source of the netlist, as a metered rail.</summary>
    public IReadOnlyList<MeteredRail> Rails => _rails ??= BuildMeteredRails();

    /// <summary>The driver chains: precharge gate, share n/p gates, row select, ql/qlb per column, then (own reset line) the sum-line reset gate.</summary>
    public IReadOnlyList<DriverChain> Chains => _chains ??= BuildChains();

    /// <summary>
    /// How many comparisons share one charge of the rails in <see cref="IsQueryRail"/>: 1 when the query lines toggle for
    /// every row; <see cref="ArrayDesign.Rows"/> when they are held static while a node's rows are scanned (each bench
    /// cycle carries a new query, i.e. stands for a new node, so its query-line energy is shared by that node's rows).
    /// </summary>
    public int ComparisonsPerQueryDrive => _design.ScanProtocol == ScanProtocol.StaticPerNode ? _design.Rows : 1;

    /// <summary>True for the query lines' driver rail and the logic inputs of their chains.</summary>
    public bool IsQueryRail(string source) =>
        source == "vqdrv" || source.StartsWith("vin_dq", StringComparison.Ordinal);

    /// <summary>Gate capacitance of a minimum transistor (from the model card), the unit of the line loads.</summary>
    public double MinimumGateFarads => LineLoads.MinimumGateFarads(_technology);

    /// <summary>
    /// The explicit capacitors the bench adds to a line, by line node: the wire of every line (technology capacitance
    /// per metre x cells x pitch: bitlines and query lines run along a column, sum lines and the row's control lines
    /// along a row) and, on the query lines, the gates of rows not simulated (none when the unselected rows are in
    /// the bench). Device loads are the real transistors on each line, so nothing here stands in for a cell.
    /// </summary>
    public IReadOnlyDictionary<string, double> LineCapacitors
    {
        get
        {
            double rowWire = LineLoads.WireFarads(_technology, _design.Columns, _technology.CellWidthMeters);
            double columnWire = LineLoads.WireFarads(_technology, _design.Rows, _technology.CellHeightMeters);
            double queryLoad = columnWire + Math.Max(0, _design.Rows - 1 - _unselected.Length) * MinimumGateFarads;
            var lines = new Dictionary<string, double>
            {
                ["pg"] = rowWire, ["shn"] = rowWire, ["shp"] = rowWire, ["slp"] = rowWire, ["sln"] = rowWire,
                [RowSelectNode] = rowWire,
            };
            // the sum-line reset line joins the two reset PMOS, which sit side by side at the sum lines' end: two cell widths of wire
            if (_design.SumLineReset == SumLineReset.UntilShare)
                lines["psl"] = LineLoads.WireFarads(_technology, 2, _technology.CellWidthMeters);
            for (int c = 0; c < _program.Columns; c++)
            {
                lines[$"bl{c}"] = columnWire; lines[$"blb{c}"] = columnWire;
                lines[$"ql{c}"] = queryLoad; lines[$"qlb{c}"] = queryLoad;
            }
            return lines;
        }
    }

    /// <summary>The gate line of the two sum-line reset PMOS: their own (psl) or the bitlines' precharge gate (pg).</summary>
    private string SumLineResetGate => _design.SumLineReset == SumLineReset.UntilShare ? "psl" : "pg";

    /// <summary>The line that selects the row: its read word line (row-gated 12T) or its source line (the paper's 10T).</summary>
    private string RowSelectNode => _design.RowSelect == RowSelect.RowGated ? "rwl" : "sl";

    /// <summary>
    /// The metering windows: one per control edge of every reported cycle (precharge gate and source line fall,
    /// precharge gate rises, query lines rise, query lines fall, transmission gates open, close), so that no
    /// line's charge and its return fall into one window.
    /// </summary>
    public IReadOnlyList<double> MeteringWindows =>
        Timings.SelectMany(c => new[]
        {
            c.Start, c.EvalStart - _design.EdgeSeconds - _design.GapSeconds, c.EvalStart,
            c.ShareStart - _design.GapSeconds - _design.EdgeSeconds, c.ShareStart, c.Settle,
        }).Append(Timings[^1].End).ToArray();

    /// <summary>The netlist with every vector saved (no .save line), as the supply meter needs rail voltages and currents.</summary>
    public string WriteForMetering(ReadOnlySpan<double> deltaVthVolts = default) =>
        string.Join('\n', Write(deltaVthVolts).Split('\n').Where(l => !l.StartsWith(".save", StringComparison.Ordinal)));

    private DriverChain[] BuildChains()
    {
        double cg = MinimumGateFarads;
        var wires = LineCapacitors;
        int columns = _program.Columns;
        bool boosted = _design.Rails == RailScheme.Boosted;
        // precharge gate: 2 PMOS per column plus (reset with the precharge) the two sum-line PMOS; each transmission-gate line: 2 devices per column
        bool ownReset = _design.SumLineReset == SumLineReset.UntilShare;
        double pgLoad = wires["pg"] + (2 * columns + (ownReset ? 0 : 2)) * _design.PrechargeWidthRatio * cg;
        double shareGates = 2 * columns * _design.ShareWidthRatio * cg;
        var list = new List<DriverChain>
        {
            boosted
                ? new("dpg", "pg", pgLoad, "pgdrv", "pgneg", LevelShift.LowSide, "pgdrv")
                : new("dpg", "pg", pgLoad, "pgdrv", "0"),
            boosted
                ? new("dshn", "shn", wires["shn"] + shareGates, "shpos", "0", LevelShift.HighSide, "shdrv")
                : new("dshn", "shn", wires["shn"] + shareGates, "shdrv", "0"),
            boosted
                ? new("dshp", "shp", wires["shp"] + shareGates, "shdrv", "shneg", LevelShift.LowSide, "shdrv")
                : new("dshp", "shp", wires["shp"] + shareGates, "shdrv", "0"),
            // row select. 12T: the read word line carries the 2 row-gate devices per column (width ratio x minimum gate).
            // 10T: the source line carries the sources of the row's 2 read stacks per column (taken as one gate each).
            _design.RowSelect == RowSelect.RowGated
                ? new("drwl", "rwl", wires["rwl"] + 2 * columns * _design.RowGateWidthRatio * cg, "rwldrv", "0")
                : new("dsl", "sl", wires["sl"] + 2 * columns * cg, "sldrv", "0"),
        };
        for (int c = 0; c < columns; c++)
        {
            double own = (1 + _unselected.Length) * cg;
            list.Add(new DriverChain($"dq{c}", $"ql{c}", wires[$"ql{c}"] + own, "qdrv", "0"));
            list.Add(new DriverChain($"dqb{c}", $"qlb{c}", wires[$"qlb{c}"] + own, "qdrv", "0"));
        }
        // the sum-line reset gate (its own line only with SumLineReset.UntilShare), from the precharge gate's rails
        if (ownReset)
        {
            double pslLoad = wires["psl"] + 2 * _design.PrechargeWidthRatio * cg;
            list.Add(boosted
                ? new("dpsl", "psl", pslLoad, "pgdrv", "pgneg", LevelShift.LowSide, "pgdrv")
                : new("dpsl", "psl", pslLoad, "pgdrv", "0"));
        }
        return list.ToArray();
    }

    private MeteredRail[] BuildMeteredRails()
    {
        double vdd = _technology.VddVolts, pump = _design.ChargePumpEfficiency;
        MeteredRail Dc(string source, string node, double volts, SupplyCategory category)
        {
            var generator = MeteredRail.GeneratorFor(volts, vdd);
            return new MeteredRail(source, node, "0", volts, category, generator, generator == RailGenerator.ChargePump ? pump : generator == RailGenerator.LinearRegulator ? volts / vdd : 1);
        }
        var list = new List<MeteredRail>
        {
            Dc("vdd", "vdd", vdd, SupplyCategory.Cell),
            Dc("vwl", "wl", 0, SupplyCategory.Cell),
            _design.RowSelect == RowSelect.RowGated
                ? Dc("vrwldrv", "rwldrv", vdd, SupplyCategory.RowSelect)
                : Dc("vsldrv", "sldrv", _design.VpMaxVolts, SupplyCategory.RowSelect),
            Dc("vqdrv", "qdrv", vdd, SupplyCategory.QueryDrivers),
            Dc("vpgdrv", "pgdrv", vdd, SupplyCategory.PrechargeGateDrivers),
        };
        // the boosted rails only where the design uses them (a within-VDD design has no pump and no level shifter)
        bool boosted = _design.Rails == RailScheme.Boosted;
        if (boosted) list.Add(Dc("vpgneg", "pgneg", -_design.PrechargeBoostVolts, SupplyCategory.PrechargeGateDrivers));
        list.Add(Dc("vshdrv", "shdrv", vdd, SupplyCategory.ShareDrivers));
        if (boosted)
        {
            list.Add(Dc("vshpos", "shpos", vdd + _design.ShareBoostVolts, SupplyCategory.ShareDrivers));
            list.Add(Dc("vshneg", "shneg", -_design.ShareBoostVolts, SupplyCategory.ShareDrivers));
        }
        for (int r = 0; r < _railVolts.Length; r++)
        {
            double[] volts = _railVolts[r];
            if (volts.All(v => v == volts[0])) { list.Add(Dc($"vpr{r}", $"pr{r}", volts[0], SupplyCategory.PrechargeRails)); continue; }
            // a rail that changes with the cycle's precision: a regulator from VDD while every level is in (0, VDD]
            bool regulated = volts.All(v => v > 0 && v <= vdd);
            list.Add(new MeteredRail($"vpr{r}", $"pr{r}", "0", double.NaN, SupplyCategory.PrechargeRails,
                regulated ? RailGenerator.LinearRegulator : RailGenerator.ChargePump, regulated ? double.NaN : pump));
        }
        // 12T: the selected row's source line is the array's ground; unselected rows hold read word and source lines at 0 V.
        // 10T: unselected source lines at VPmax (their source-follower current into discharging bitlines is metered here).
        if (_design.RowSelect == RowSelect.RowGated) list.Add(Dc("vsl", "sl", 0, SupplyCategory.RowSelect));
        if (_unselected.Length > 0)
        {
            if (_design.RowSelect == RowSelect.RowGated)
            {
                list.Add(Dc("vslu", "slu", 0, SupplyCategory.UnselectedRows));
                list.Add(Dc("vrwlu", "rwlu", 0, SupplyCategory.UnselectedRows));
            }
            else list.Add(Dc("vslu", "slu", _design.VpMaxVolts, SupplyCategory.UnselectedRows));
        }
        foreach (var chain in Chains) list.Add(chain.InputRail);
        return list.ToArray();
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

    /// <summary>Driver rails, line loads, and the drivers of the precharge gate, the transmission gates and the source line.</summary>
    private void WriteControls(StringBuilder t, double vdd)
    {
        var m = _rails ??= BuildMeteredRails();
        t.Append("* driver rails (DC, one set per block so each is metered): source line at VPmax, query lines, precharge gate\n");
        t.Append(_design.Rails == RailScheme.Boosted
            ? "* (VDD and -precharge boost), transmission gates (VDD, VDD + share boost, -share boost)\n"
            : "* (VDD), transmission gates (VDD): rails within 0..VDD, no level shifter, no charge pump\n");
        foreach (var rail in m)
            if (rail.Source is "vsldrv" or "vrwldrv" or "vsl" or "vqdrv" or "vpgdrv" or "vpgneg" or "vshdrv" or "vshpos" or "vshneg")
                t.Append(rail.Source).Append(' ').Append(rail.Plus).Append(" 0 DC ").Append(Spice.Num(rail.Volts)).Append('\n');

        t.Append("* line loads not simulated as devices: wire (").Append(Spice.Num(_technology.WireCapacitanceFaradsPerMeter))
         .Append(" F/m x cells x pitch), the other rows' query gates, the ADC's sampling capacitor on each sum line\n");
        foreach (var (node, farads) in LineCapacitors)
            t.Append("cw").Append(node).Append(' ').Append(node).Append(" 0 ").Append(Spice.Num(farads)).Append('\n');
        t.Append($"cadcp slp 0 {Spice.Num(_design.AdcSamplingCapacitanceFarads)}\n");
        t.Append($"cadcn sln 0 {Spice.Num(_design.AdcSamplingCapacitanceFarads)}\n");

        // Line levels as booleans (true = the line's high level), edges as the ideal logic inputs switch.
        var pg = new List<(double, bool)>(); var psl = new List<(double, bool)>(); var shn = new List<(double, bool)>(); var shp = new List<(double, bool)>(); var sl = new List<(double, bool)>();
        bool toggled = _design.ScanProtocol == ScanProtocol.TogglePerRow;
        for (int i = 0; i < _runTimings.Length; i++)
        {
            var c = _runTimings[i];
            if (i > 0) pg.Add((c.Start, false));
            pg.Add((c.EvalStart - _design.EdgeSeconds - _design.GapSeconds, true));
            // the sum-line reset: on with the precharge, off as the evaluation window closes (the sum lines are isolated
            // from the bitlines until the transmission gates open one gap later)
            if (i > 0) psl.Add((c.Start, false));
            psl.Add((EvalEnd(c), true));
            shn.Add((c.ShareStart, true)); shn.Add((c.Settle, false));
            shp.Add((c.ShareStart, false)); shp.Add((c.Settle, true));
            if (toggled)
            {
                // the row is deselected (10T: source line back to VPmax; 12T: read word line low) as sharing starts, when the
                // query lines are low again, so that the line has the whole share phase to swing fully; the next cycle selects it again
                if (i > 0) sl.Add((c.Start, false));
                sl.Add((c.ShareStart, true));
            }
            else
            {
                // static query lines: the row select alone opens and closes the evaluation window
                sl.Add((c.EvalStart, false));
                sl.Add((EvalEnd(c), true));
            }
        }
        string low = _design.Rails == RailScheme.Boosted ? "-boost" : "0";
        string high = _design.Rails == RailScheme.Boosted ? "VDD + boost" : "VDD";
        t.Append($"* precharge gate (VDD / {low}), transmission-gate gates (0 / {high} and VDD / {low}), the row select:\n");
        t.Append(toggled
            ? "* 12T read word line (VDD) or 10T source line (0) during precharge and evaluation, deselected while sharing\n"
            : "* 12T read word line (VDD) or 10T source line (0) during evaluation only (query lines static per node)\n");
        var chains = Chains;
        WriteDriver(t, chains[0], false, pg, vdd);
        WriteDriver(t, chains[1], false, shn, vdd);
        WriteDriver(t, chains[2], true, shp, vdd);
        if (_design.SumLineReset == SumLineReset.UntilShare)
        {
            t.Append("* sum-line reset gate (VDD / ").Append(low).Append("): low through precharge and evaluation, high as the query lines fall\n");
            WriteDriver(t, chains[^1], false, psl, vdd);
        }
        // the select list holds "deselected" levels (10T source line high); toggled rows start selected, static ones deselected
        if (_design.RowSelect == RowSelect.RowGated)
            WriteDriver(t, chains[3], toggled, sl.Select(e => (e.Item1, !e.Item2)).ToList(), vdd);
        else
            WriteDriver(t, chains[3], !toggled, sl, vdd);
    }

    /// <summary>End of a cycle's evaluation window: the query lines (toggled) or the row select (static) start to fall.</summary>
    private double EvalEnd(CycleTiming c) => c.ShareStart - _design.GapSeconds - _design.EdgeSeconds;

    private void WriteQueryLines(StringBuilder t, double vdd)
    {
        bool toggled = _design.ScanProtocol == ScanProtocol.TogglePerRow;
        t.Append(toggled
            ? "* query lines ql = q, qlb = not q, high only while evaluating, each from its own driver chain on vqdrv\n"
            : "* query lines ql = q, qlb = not q, static: set as each cycle's (node's) query starts, held through it, each from its own driver chain on vqdrv\n");
        var chains = Chains;
        var ql = new List<(double, bool)>();
        var qlb = new List<(double, bool)>();
        for (int c = 0; c < _program.Columns; c++)
        {
            ql.Clear(); qlb.Clear();
            bool first = _runCycles[0].Query[c];
            for (int i = 0; i < _runTimings.Length; i++)
            {
                var timing = _runTimings[i];
                bool q = _runCycles[i].Query[c];
                if (toggled)
                {
                    var line = q ? ql : qlb;
                    line.Add((timing.EvalStart, true));
                    line.Add((EvalEnd(timing), false));
                }
                else if (i > 0 && q != _runCycles[i - 1].Query[c])
                {
                    // a new node's query: the bit changes as the cycle's precharge starts (the row is deselected then)
                    ql.Add((timing.Start, q));
                    qlb.Add((timing.Start, !q));
                }
            }
            WriteDriver(t, chains[4 + 2 * c], !toggled && first, ql, vdd);
            WriteDriver(t, chains[5 + 2 * c], !toggled && !first, qlb, vdd);
        }
    }

    /// <summary>The chain and its ideal logic input: the line's level sequence, complemented when the chain inverts.</summary>
    private void WriteDriver(StringBuilder t, DriverChain chain, bool initiallyHigh, List<(double Time, bool High)> edges, double vdd)
    {
        double cg = MinimumGateFarads;
        chain.WriteInput(t, vdd, cg, initiallyHigh, edges, _design.EdgeSeconds);
        if (Replay is null) chain.Write(t, _technology, cg);
        else Replay.Write(t, chain);
    }
}

using System.Text;
using Mbi.Circuit.Energy;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Periphery;

/// <summary>
/// One bit column of a LUT's value store, read as one ngspice bench: <see cref="ValueReadDesign.Rows"/> 6T cells
/// (<see cref="CellTemplate.StorageCore"/>) on BL/BLB, each bitline with its wire (rows x the technology's cell height x
/// wire capacitance per metre; the cells' access-device junctions are the real devices); a PMOS precharge pair and an
/// equaliser on their own rail; a latch sense amplifier (cross-coupled inverters with a tail NMOS on sense enable, the
/// bitlines passed to its nodes by two PMOS that sense enable turns off, its nodes precharged with the bitlines) and two
/// output inverters. Rows 0 and 1 store 1 and 0 and are read alternately (a stored 1 leaves BL high and discharges BLB);
/// the other rows hold alternating data with their word lines grounded. Cycle 0 is a warm-up, not metered.
/// <para>
/// Every line is driven by a <see cref="DriverChain"/> from its own DC rail, only the chains' inputs are ideal logic
/// signals, and every independent source is one of <see cref="Rails"/>. The row's lines (the two read rows' word lines,
/// the precharge gate and sense enable) run along the whole row: each carries an explicit capacitor for the row's other
/// columns (their gates as fixed minimum-gate capacitances, fringe left out) and the row's wire, and its driver chain is
/// sized for the whole line, so what the row lines' rails draw is once per row read, as the row's drivers would draw it,
/// not a column's share of it. The column's own rails (precharge, sense amplifier, cells) are once per column. Per row
/// read = row lines + columns x per column (<see cref="ValueReadMeter"/>).
/// </para>
/// <para>
/// With <see cref="SimulatesAllColumns"/> the bench is the whole row instead: every column its own cells, bitline wires,
/// precharge, equaliser, sense amplifier and outputs on the same row lines and rails (column c's nodes end in _c{c}),
/// columns storing opposite data in turn so that every read reads both values, and the row lines' explicit capacitors
/// only their wire; the drivers are the same. It is the measurement the one-column bench is checked against.
/// </para>
/// </summary>
internal sealed class ValueReadBench
{
    /// <summary>Cycles before the metered ones (the bench settles from its operating point).</summary>
    public const int WarmUpCycles = 1;

    /// <summary>The rails of the row lines' drivers (word lines, precharge gate, sense enable): with their logic inputs, once per row read.</summary>
    public static readonly IReadOnlyList<string> RowLineRails = ["vwldrv", "vpgdrv", "vsedrv"];

    private MeteredRail[]? _rails;
    private DriverChain[]? _chains;

    /// <param name="simulateAllColumns">Simulate every column of the row (slow: Columns x Rows cells) rather than one.</param>
    public ValueReadBench(Technology technology, ValueReadDesign design, int reads = 4, bool simulateAllColumns = false)
    {
        if (reads is < 2 or > 64) throw BadInputException.For("value read cycles", reads, "between 2 and 64 (a stored 1 and a stored 0 at least)", "4");
        Technology = technology;
        Design = design.Validated();
        Reads = reads;
        SimulatesAllColumns = simulateAllColumns;
    }

    public Technology Technology { get; }
    public ValueReadDesign Design { get; }

    /// <summary>Metered reads (after the warm-up).</summary>
    public int Reads { get; }

    public int Cycles => WarmUpCycles + Reads;

    /// <summary>True when every column of the row is simulated; false for the one column the row lines' loads stand beside.</summary>
    public bool SimulatesAllColumns { get; }

    /// <summary>Columns in the deck: 1, or <see cref="ValueReadDesign.Columns"/> with <see cref="SimulatesAllColumns"/>.</summary>
    public int SimulatedColumns => SimulatesAllColumns ? Design.Columns : 1;

    /// <summary>Column <paramref name="column"/>'s name for a per-column node (bl, blb, s, sb, tail, d, db, q{row}, qb{row}) or device.</summary>
    public string Node(string name, int column) => SimulatesAllColumns ? $"{name}_c{column}" : name;

    /// <summary>The row cycle <paramref name="cycle"/> reads: 0 (stores 1) on even cycles, 1 (stores 0) on odd ones.</summary>
    public static int RowOf(int cycle) => cycle % 2;

    /// <summary>
    /// The bit stored in <paramref name="row"/> of <paramref name="column"/>: in column 0 rows 0 and 1 hold 1 and 0 and
    /// the others alternate from 1; every odd column holds the complement, so each row read reads both values.
    /// </summary>
    public static bool StoredBit(int row, int column = 0) => (row % 2 == 0) ^ (column % 2 == 1);

    /// <summary>The bit cycle <paramref name="cycle"/> must read in <paramref name="column"/>.</summary>
    public static bool ExpectedBit(int cycle, int column = 0) => StoredBit(RowOf(cycle), column);

    public double CycleStart(int cycle) => cycle * Design.CycleSeconds;

    /// <summary>Start of the precharge gate's rising input edge (precharge off).</summary>
    public double PrechargeEnd(int cycle) => CycleStart(cycle) + Design.EdgeSeconds + Design.PrechargeSeconds;

    /// <summary>Start of the word line's rising input edge.</summary>
    public double WordLineRise(int cycle) => PrechargeEnd(cycle) + Design.EdgeSeconds + Design.GapSeconds;

    /// <summary>Start of sense enable's rising input edge, which is also the word line's falling one.</summary>
    public double SenseStart(int cycle) => WordLineRise(cycle) + Design.EdgeSeconds + Design.WordLineSeconds;

    /// <summary>When the sense amplifier's outputs are read: one edge before the cycle ends and sense enable falls.</summary>
    public double DecisionSeconds(int cycle) => CycleStart(cycle + 1) - Design.EdgeSeconds;

    public double StopSeconds => CycleStart(Cycles);

    /// <summary>
    /// Metering windows: one per control edge of every metered cycle (precharge on with sense enable off, precharge off,
    /// word line on, word line off with sense enable on), so that no line's charge and its return share a window.
    /// </summary>
    public IReadOnlyList<double> MeteringWindows =>
        Enumerable.Range(WarmUpCycles, Reads)
            .SelectMany(c => new[] { CycleStart(c), PrechargeEnd(c), WordLineRise(c), SenseStart(c) })
            .Append(StopSeconds).ToArray();

    /// <summary>Gate capacitance of a minimum transistor (from the model card), the unit of the line loads.</summary>
    public double MinimumGateFarads => LineLoads.MinimumGateFarads(Technology);

    /// <summary>The explicit wire capacitor on each bitline: rows x cell height x wire capacitance per metre.</summary>
    public double BitlineWireFarads => LineLoads.WireFarads(Technology, Design.Rows, Technology.CellHeightMeters);

    /// <summary>Minimum gates of one column on the precharge-gate line: bitline precharge pair, equaliser, the sense amplifier's three.</summary>
    private double PrechargeGatesPerColumn =>
        2 * Design.PrechargeWidthRatio + Design.EqualizeWidthRatio + 3 * Design.SenseResetWidthRatio;

    /// <summary>Minimum gates of one column on the sense-enable line: the tail and the two isolation PMOS.</summary>
    private double SenseEnableGatesPerColumn => Design.SenseTailWidthRatio + 2 * Design.IsolationWidthRatio;

    /// <summary>The wire of a line along the row: columns x the 6T cell's width.</summary>
    public double RowWireFarads => LineLoads.WireFarads(Technology, Design.Columns, Design.CellWidthMeters);

    /// <summary>
    /// The explicit capacitor on each read row's word line: the row's wire and the unsimulated columns' two access gates
    /// (minimum gates, fringe left out, so a lower bound). The simulated columns' access devices are on the line as well.
    /// </summary>
    public double WordLineLoadFarads => (Design.Columns - SimulatedColumns) * 2 * MinimumGateFarads + RowWireFarads;

    /// <summary>The explicit capacitor on the precharge-gate line: the unsimulated columns' precharge gates and the row's wire.</summary>
    public double PrechargeGateLoadFarads => (Design.Columns - SimulatedColumns) * PrechargeGatesPerColumn * MinimumGateFarads + RowWireFarads;

    /// <summary>The explicit capacitor on the sense-enable line: the unsimulated columns' sense-enable gates and the row's wire.</summary>
    public double SenseEnableLoadFarads => (Design.Columns - SimulatedColumns) * SenseEnableGatesPerColumn * MinimumGateFarads + RowWireFarads;

    /// <summary>
    /// The driver chains, each sized for its whole line (every column's gates and the wire, whichever of them are devices
    /// in the deck): word lines of rows 0 and 1, the precharge gate, sense enable.
    /// </summary>
    public IReadOnlyList<DriverChain> Chains => _chains ??=
    [
        new("dwl0", "wl0", WholeLineFarads(2), "vwldrv", "0"),
        new("dwl1", "wl1", WholeLineFarads(2), "vwldrv", "0"),
        new("dpg", "pg", WholeLineFarads(PrechargeGatesPerColumn), "pgdrv", "0"),
        new("dse", "sae", WholeLineFarads(SenseEnableGatesPerColumn), "sedrv", "0"),
    ];

    /// <summary>A row line with <paramref name="gatesPerColumn"/> minimum gates in every column, and the row's wire.</summary>
    private double WholeLineFarads(double gatesPerColumn) =>
        (Design.Columns - 1) * gatesPerColumn * MinimumGateFarads + RowWireFarads + gatesPerColumn * MinimumGateFarads;

    /// <summary>
    /// Every independent source of the deck, as a metered rail. The categories are the row bench's breakdown; this bench's
    /// split is <see cref="IsRowLine"/>, and the sense amplifier's rail and sense-enable driver take
    /// ShareDrivers, the row bench's read-out.
    /// </summary>
    public IReadOnlyList<MeteredRail> Rails => _rails ??= BuildRails();

    /// <summary>True for the row lines' driver rails and their logic inputs (once per row read); the other rails are per column.</summary>
    public static bool IsRowLine(string source) => RowLineRails.Contains(source) || source.StartsWith("vin_", StringComparison.Ordinal);

    private MeteredRail[] BuildRails()
    {
        double vdd = Technology.VddVolts;
        MeteredRail Dc(string source, string node, SupplyCategory category) =>
            new(source, node, "0", vdd, category, RailGenerator.Supply, 1);
        var list = new List<MeteredRail>
        {
            Dc("vcell", "vcell", SupplyCategory.Cell),
            Dc("vpre", "vpre", SupplyCategory.PrechargeRails),
            Dc("vsa", "vsa", SupplyCategory.ShareDrivers),
            Dc("vwldrv", "vwldrv", SupplyCategory.RowSelect),
            Dc("vpgdrv", "pgdrv", SupplyCategory.PrechargeGateDrivers),
            Dc("vsedrv", "sedrv", SupplyCategory.ShareDrivers),
        };
        foreach (var chain in Chains) list.Add(chain.InputRail);
        return list.ToArray();
    }

    /// <summary>
    /// The deck. It saves what the meter reads (every rail's current and voltage, the bitlines, sense enable, the outputs,
    /// the storage nodes) and .meas-ures per cycle (and column) the bitlines at the sense instant and the outputs at the
    /// decision time, so `ngspice -b` prints the same reads.
    /// </summary>
    public string Write()
    {
        double vdd = Technology.VddVolts, cg = MinimumGateFarads;
        var d = Design;
        var t = new StringBuilder(64 * 1024 * SimulatedColumns);
        if (SimulatesAllColumns)
            t.Append("* Mbi value-store read: a whole row of ").Append(d.Columns).Append(" bit columns, each of ").Append(d.Rows)
             .Append(" 6T cells, precharge, latch sense amplifier; ").Append(Cycles).Append(" reads (").Append(WarmUpCycles).Append(" warm-up), ").Append(Technology.Name).Append('\n');
        else
            t.Append("* Mbi value-store read: one bit column of ").Append(d.Rows).Append(" 6T cells, precharge, latch sense amplifier; ")
             .Append(Cycles).Append(" reads (").Append(WarmUpCycles).Append(" warm-up), row of ").Append(d.Columns).Append(" columns, ").Append(Technology.Name).Append('\n');
        t.Append("* Written by Mbi (src/Circuit/Periphery/ValueReadBench.cs); runs unchanged with `ngspice -b`.\n");
        t.Append(Technology.ModelCardForNetlist).Append('\n').Append(CellTemplate.StorageCore(Technology)).Append('\n');
        t.Append("* rails: cells, bitline precharge, sense amplifier, word line drivers, precharge-gate driver, sense-enable driver\n");
        foreach (var rail in Rails)
            if (rail.Generator == RailGenerator.Supply)
                t.Append(rail.Source).Append(' ').Append(rail.Plus).Append(" 0 DC ").Append(Spice.Num(vdd)).Append('\n');

        t.Append("* line loads: bitline wire (").Append(d.Rows).Append(" rows x cell height); word lines, precharge gate, sense enable: ")
         .Append(SimulatesAllColumns ? "the row's wire (every column's gates are devices)\n" : $"the row's other {d.Columns - 1} columns' gates and the row's wire\n");
        for (int k = 0; k < SimulatedColumns; k++)
        {
            string wire = Spice.Num(BitlineWireFarads);
            t.Append($"{Node("cwbl", k)} {Node("bl", k)} 0 {wire}\n{Node("cwblb", k)} {Node("blb", k)} 0 {wire}\n");
        }
        t.Append($"cwl0 wl0 0 {Spice.Num(WordLineLoadFarads)}\ncwl1 wl1 0 {Spice.Num(WordLineLoadFarads)}\n");
        t.Append($"cwpg pg 0 {Spice.Num(PrechargeGateLoadFarads)}\ncwsae sae 0 {Spice.Num(SenseEnableLoadFarads)}\n");
        for (int k = 0; k < SimulatedColumns; k++) WriteColumn(t, k);

        t.Append("* driver chains (fan-out 4 from a minimum inverter) and their ideal logic inputs\n");
        var pg = new List<(double, bool)>();
        var se = new List<(double, bool)>();
        var wl = new[] { new List<(double, bool)>(), new List<(double, bool)>() };
        for (int c = 0; c < Cycles; c++)
        {
            if (c > 0) { pg.Add((CycleStart(c), false)); se.Add((CycleStart(c), false)); }
            pg.Add((PrechargeEnd(c), true));
            wl[RowOf(c)].Add((WordLineRise(c), true));
            wl[RowOf(c)].Add((SenseStart(c), false));
            se.Add((SenseStart(c), true));
        }
        WriteDriver(t, Chains[0], wl[0], vdd, cg);
        WriteDriver(t, Chains[1], wl[1], vdd, cg);
        WriteDriver(t, Chains[2], pg, vdd, cg);
        WriteDriver(t, Chains[3], se, vdd, cg);

        t.Append("* stored data (held while the operating point is found, free afterwards)\n.ic");
        for (int k = 0, n = 0; k < SimulatedColumns; k++)
            for (int r = 0; r < d.Rows; r++, n++)
            {
                if (n > 0 && n % 8 == 0) t.Append("\n+");
                bool bit = StoredBit(r, k);
                t.Append($" v({Node("q" + r, k)})={Spice.Num(bit ? vdd : 0)} v({Node("qb" + r, k)})={Spice.Num(bit ? 0 : vdd)}");
            }
        t.Append('\n');
        t.Append(SimulatesAllColumns ? ".save v(sae)" : ".save v(bl) v(blb) v(sae) v(d) v(db)");
        foreach (var rail in Rails) t.Append(" i(").Append(rail.Source).Append(") v(").Append(rail.Plus).Append(')');
        for (int k = 0; k < SimulatedColumns; k++)
        {
            if (SimulatesAllColumns) t.Append($"\n+ v({Node("bl", k)}) v({Node("blb", k)}) v({Node("d", k)}) v({Node("db", k)})");
            for (int r = 0; r < d.Rows; r++) t.Append(r % 16 == 0 ? "\n+" : "").Append($" v({Node("q" + r, k)})");
        }
        t.Append('\n');
        t.Append(".options reltol=1e-4\n");
        t.Append(".tran ").Append(Spice.Num(d.EdgeSeconds / 2)).Append(' ').Append(Spice.Num(StopSeconds)).Append(" 0 ").Append(Spice.Num(d.MaxStepSeconds)).Append('\n');
        string half = Spice.Num(vdd / 2);
        for (int c = 0; c < Cycles; c++)
            for (int k = 0; k < SimulatedColumns; k++)
            {
                string bl = Node("bl", k), blb = Node("blb", k), dd = Node("d", k), db = Node("db", k), at = Spice.Num(DecisionSeconds(c));
                t.Append($".meas tran {bl}_{c} find v({bl}) when v(sae)={half} rise={c + 1}\n");
                t.Append($".meas tran {blb}_{c} find v({blb}) when v(sae)={half} rise={c + 1}\n");
                t.Append($".meas tran {dd}_{c} find v({dd}) at={at}\n");
                t.Append($".meas tran {db}_{c} find v({db}) at={at}\n");
            }
        t.Append(".end\n");
        return t.ToString();
    }

    /// <summary>One column's cells, precharge and equaliser, sense amplifier and outputs (the section notes with column 0).</summary>
    private void WriteColumn(StringBuilder t, int column)
    {
        var d = Design;
        string N(string name) => Node(name, column);
        string Size(double ratio) => $"w={Spice.Num(ratio * Technology.WidthMeters)} l={Spice.Num(Technology.LengthMeters)} {Technology.DeviceFlags}";
        string p = Technology.PmosModel, n = Technology.NmosModel, bl = N("bl"), blb = N("blb"), s = N("s"), sb = N("sb"), tail = N("tail");
        bool notes = column == 0;
        if (SimulatesAllColumns) t.Append($"* column {column}: rows 0 and 1 store {(StoredBit(0, column) ? 1 : 0)} and {(StoredBit(1, column) ? 1 : 0)}\n");
        if (notes) t.Append("* cells: rows 0 and 1 are read; the others hold data, word lines grounded\n");
        for (int r = 0; r < d.Rows; r++)
            t.Append($"{N("xr" + r)} {bl} {blb} {(r < 2 ? "wl" + r : "0")} {N("q" + r)} {N("qb" + r)} vcell 0 cell6t\n");

        if (notes) t.Append("* bitline precharge and equaliser (pg low)\n");
        t.Append($"{N("mpbl")} {bl} pg vpre vpre {p} {Size(d.PrechargeWidthRatio)}\n{N("mpblb")} {blb} pg vpre vpre {p} {Size(d.PrechargeWidthRatio)}\n");
        t.Append($"{N("mpeq")} {bl} pg {blb} vpre {p} {Size(d.EqualizeWidthRatio)}\n");
        if (notes) t.Append("* latch sense amplifier: nodes s/sb follow bl/blb until sae rises (isolation off, tail on); precharged with pg\n");
        t.Append($"{N("misl")} {s} sae {bl} vsa {p} {Size(d.IsolationWidthRatio)}\n{N("mislb")} {sb} sae {blb} vsa {p} {Size(d.IsolationWidthRatio)}\n");
        t.Append($"{N("mln")} {s} {sb} {tail} 0 {n} {Size(d.SenseNmosWidthRatio)}\n{N("mlnb")} {sb} {s} {tail} 0 {n} {Size(d.SenseNmosWidthRatio)}\n");
        t.Append($"{N("mlp")} {s} {sb} vsa vsa {p} {Size(d.SensePmosWidthRatio)}\n{N("mlpb")} {sb} {s} vsa vsa {p} {Size(d.SensePmosWidthRatio)}\n");
        t.Append($"{N("mtail")} {tail} sae 0 0 {n} {Size(d.SenseTailWidthRatio)}\n");
        t.Append($"{N("mrs")} {s} pg vsa vsa {p} {Size(d.SenseResetWidthRatio)}\n{N("mrsb")} {sb} pg vsa vsa {p} {Size(d.SenseResetWidthRatio)}\n");
        t.Append($"{N("mreq")} {s} pg {sb} vsa {p} {Size(d.SenseResetWidthRatio)}\n");
        if (notes) t.Append("* outputs: d = not sb (1 when a stored 1 was read), db = not s\n");
        string dd = N("d"), db = N("db");
        t.Append($"{N("mdp")} {dd} {sb} vsa vsa {p} {Size(2)}\n{N("mdn")} {dd} {sb} 0 0 {n} {Size(1)}\n");
        t.Append($"{N("mdbp")} {db} {s} vsa vsa {p} {Size(2)}\n{N("mdbn")} {db} {s} 0 0 {n} {Size(1)}\n");
    }

    /// <summary>The chain and its ideal logic input: the line starts low and follows the edges, complemented when the chain inverts.</summary>
    private void WriteDriver(StringBuilder t, DriverChain chain, List<(double Time, bool High)> edges, double vdd, double cg)
    {
        chain.WriteInput(t, vdd, cg, initiallyHigh: false, edges, Design.EdgeSeconds);
        chain.Write(t, Technology, cg);
    }
}

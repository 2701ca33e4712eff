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
/// </summary>
internal sealed class ValueReadBench
{
    /// <summary>Cycles before the metered ones (the bench settles from its operating point).</summary>
    public const int WarmUpCycles = 1;

    /// <summary>The rails of the row lines' drivers (word lines, precharge gate, sense enable): with their logic inputs, once per row read.</summary>
    public static readonly IReadOnlyList<string> RowLineRails = ["vwldrv", "vpgdrv", "vsedrv"];

    private MeteredRail[]? _rails;
    private DriverChain[]? _chains;

    public ValueReadBench(Technology technology, ValueReadDesign design, int reads = 4)
    {
        if (reads is < 2 or > 64) throw BadInputException.For("value read cycles", reads, "between 2 and 64 (a stored 1 and a stored 0 at least)", "4");
        Technology = technology;
        Design = design.Validated();
        Reads = reads;
    }

    public Technology Technology { get; }
    public ValueReadDesign Design { get; }

    /// <summary>Metered reads (after the warm-up).</summary>
    public int Reads { get; }

    public int Cycles => WarmUpCycles + Reads;

    /// <summary>The row cycle <paramref name="cycle"/> reads: 0 (stores 1) on even cycles, 1 (stores 0) on odd ones.</summary>
    public static int RowOf(int cycle) => cycle % 2;

    /// <summary>The bit stored in <paramref name="row"/>: rows 0 and 1 hold 1 and 0, the others alternate from 1.</summary>
    public static bool StoredBit(int row) => row % 2 == 0;

    /// <summary>The bit cycle <paramref name="cycle"/> must read.</summary>
    public static bool ExpectedBit(int cycle) => StoredBit(RowOf(cycle));

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
    /// The explicit capacitor on each read row's word line: the other columns' two access gates (minimum gates, fringe
    /// left out, so a lower bound) and the row's wire. The simulated column's own access devices are on the line as well.
    /// </summary>
    public double WordLineLoadFarads => (Design.Columns - 1) * 2 * MinimumGateFarads + RowWireFarads;

    /// <summary>The explicit capacitor on the precharge-gate line: the other columns' precharge gates and the row's wire.</summary>
    public double PrechargeGateLoadFarads => (Design.Columns - 1) * PrechargeGatesPerColumn * MinimumGateFarads + RowWireFarads;

    /// <summary>The explicit capacitor on the sense-enable line: the other columns' sense-enable gates and the row's wire.</summary>
    public double SenseEnableLoadFarads => (Design.Columns - 1) * SenseEnableGatesPerColumn * MinimumGateFarads + RowWireFarads;

    /// <summary>The driver chains (each sized for its whole line): word lines of rows 0 and 1, the precharge gate, sense enable.</summary>
    public IReadOnlyList<DriverChain> Chains => _chains ??=
    [
        new("dwl0", "wl0", WordLineLoadFarads + 2 * MinimumGateFarads, "vwldrv", "0"),
        new("dwl1", "wl1", WordLineLoadFarads + 2 * MinimumGateFarads, "vwldrv", "0"),
        new("dpg", "pg", PrechargeGateLoadFarads + PrechargeGatesPerColumn * MinimumGateFarads, "pgdrv", "0"),
        new("dse", "sae", SenseEnableLoadFarads + SenseEnableGatesPerColumn * MinimumGateFarads, "sedrv", "0"),
    ];

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
        foreach (var chain in Chains)
            list.Add(new MeteredRail("vin_" + chain.Name, chain.Input, "0", double.NaN, SupplyCategory.LogicInputs, RailGenerator.LogicGate, 1));
        return list.ToArray();
    }

    /// <summary>
    /// The deck. It saves what the meter reads (every rail's current and voltage, the bitlines, sense enable, the outputs,
    /// the storage nodes) and .meas-ures per cycle the bitlines at the sense instant and the outputs at the decision time,
    /// so `ngspice -b` prints the same reads.
    /// </summary>
    public string Write()
    {
        double vdd = Technology.VddVolts, cg = MinimumGateFarads;
        var d = Design;
        var t = new StringBuilder(64 * 1024);
        t.Append("* Mbi value-store read: one bit column of ").Append(d.Rows).Append(" 6T cells, precharge, latch sense amplifier; ")
         .Append(Cycles).Append(" reads (").Append(WarmUpCycles).Append(" warm-up), row of ").Append(d.Columns).Append(" columns, ").Append(Technology.Name).Append('\n');
        t.Append("* Written by Mbi (src/Circuit/Periphery/ValueReadBench.cs); runs unchanged with `ngspice -b`.\n");
        t.Append(Technology.ModelCardForNetlist).Append('\n').Append(CellTemplate.StorageCore(Technology)).Append('\n');
        t.Append("* rails: cells, bitline precharge, sense amplifier, word line drivers, precharge-gate driver, sense-enable driver\n");
        foreach (var rail in Rails)
            if (rail.Generator == RailGenerator.Supply)
                t.Append(rail.Source).Append(' ').Append(rail.Plus).Append(" 0 DC ").Append(Spice.Num(vdd)).Append('\n');

        t.Append("* line loads: bitline wire (").Append(d.Rows).Append(" rows x cell height); word lines, precharge gate, sense enable: the row's other ")
         .Append(d.Columns - 1).Append(" columns' gates and the row's wire\n");
        t.Append($"cwbl bl 0 {Spice.Num(BitlineWireFarads)}\ncwblb blb 0 {Spice.Num(BitlineWireFarads)}\n");
        t.Append($"cwl0 wl0 0 {Spice.Num(WordLineLoadFarads)}\ncwl1 wl1 0 {Spice.Num(WordLineLoadFarads)}\n");
        t.Append($"cwpg pg 0 {Spice.Num(PrechargeGateLoadFarads)}\ncwsae sae 0 {Spice.Num(SenseEnableLoadFarads)}\n");

        t.Append("* cells: rows 0 and 1 are read; the others hold data, word lines grounded\n");
        for (int r = 0; r < d.Rows; r++)
            t.Append($"xr{r} bl blb {(r < 2 ? "wl" + r : "0")} q{r} qb{r} vcell 0 cell6t\n");

        string Size(double ratio) => $"w={Spice.Num(ratio * Technology.WidthMeters)} l={Spice.Num(Technology.LengthMeters)} {Technology.DeviceFlags}";
        string p = Technology.PmosModel, n = Technology.NmosModel;
        t.Append("* bitline precharge and equaliser (pg low)\n");
        t.Append($"mpbl bl pg vpre vpre {p} {Size(d.PrechargeWidthRatio)}\nmpblb blb pg vpre vpre {p} {Size(d.PrechargeWidthRatio)}\n");
        t.Append($"mpeq bl pg blb vpre {p} {Size(d.EqualizeWidthRatio)}\n");
        t.Append("* latch sense amplifier: nodes s/sb follow bl/blb until sae rises (isolation off, tail on); precharged with pg\n");
        t.Append($"misl s sae bl vsa {p} {Size(d.IsolationWidthRatio)}\nmislb sb sae blb vsa {p} {Size(d.IsolationWidthRatio)}\n");
        t.Append($"mln s sb tail 0 {n} {Size(d.SenseNmosWidthRatio)}\nmlnb sb s tail 0 {n} {Size(d.SenseNmosWidthRatio)}\n");
        t.Append($"mlp s sb vsa vsa {p} {Size(d.SensePmosWidthRatio)}\nmlpb sb s vsa vsa {p} {Size(d.SensePmosWidthRatio)}\n");
        t.Append($"mtail tail sae 0 0 {n} {Size(d.SenseTailWidthRatio)}\n");
        t.Append($"mrs s pg vsa vsa {p} {Size(d.SenseResetWidthRatio)}\nmrsb sb pg vsa vsa {p} {Size(d.SenseResetWidthRatio)}\n");
        t.Append($"mreq s pg sb vsa {p} {Size(d.SenseResetWidthRatio)}\n");
        t.Append("* outputs: d = not sb (1 when a stored 1 was read), db = not s\n");
        t.Append($"mdp d sb vsa vsa {p} {Size(2)}\nmdn d sb 0 0 {n} {Size(1)}\nmdbp db s vsa vsa {p} {Size(2)}\nmdbn db s 0 0 {n} {Size(1)}\n");

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
        for (int r = 0; r < d.Rows; r++)
        {
            if (r > 0 && r % 8 == 0) t.Append("\n+");
            bool k = StoredBit(r);
            t.Append($" v(q{r})={Spice.Num(k ? vdd : 0)} v(qb{r})={Spice.Num(k ? 0 : vdd)}");
        }
        t.Append('\n');
        t.Append(".save v(bl) v(blb) v(sae) v(d) v(db)");
        foreach (var rail in Rails) t.Append(" i(").Append(rail.Source).Append(") v(").Append(rail.Plus).Append(')');
        for (int r = 0; r < d.Rows; r++) t.Append(r % 16 == 0 ? "\n+" : "").Append($" v(q{r})");
        t.Append('\n');
        t.Append(".options reltol=1e-4\n");
        t.Append(".tran ").Append(Spice.Num(d.EdgeSeconds / 2)).Append(' ').Append(Spice.Num(StopSeconds)).Append(" 0 ").Append(Spice.Num(d.MaxStepSeconds)).Append('\n');
        string half = Spice.Num(vdd / 2);
        for (int c = 0; c < Cycles; c++)
        {
            t.Append($".meas tran bl_{c} find v(bl) when v(sae)={half} rise={c + 1}\n");
            t.Append($".meas tran blb_{c} find v(blb) when v(sae)={half} rise={c + 1}\n");
            t.Append($".meas tran d_{c} find v(d) at={Spice.Num(DecisionSeconds(c))}\n");
            t.Append($".meas tran db_{c} find v(db) at={Spice.Num(DecisionSeconds(c))}\n");
        }
        t.Append(".end\n");
        return t.ToString();
    }

    /// <summary>The chain and its ideal logic input: the line starts low and follows the edges, complemented when the chain inverts.</summary>
    private void WriteDriver(StringBuilder t, DriverChain chain, List<(double Time, bool High)> edges, double vdd, double cg)
    {
        bool invert = chain.Inverting(cg);
        double Level(bool high) => high ^ invert ? vdd : 0;
        var points = new List<(double, double)> { (0, Level(false)) };
        bool state = false;
        foreach (var (time, high) in edges)
        {
            Spice.Step(points, time, Level(state), Level(high), Design.EdgeSeconds);
            state = high;
        }
        Spice.Pwl(t, "vin_" + chain.Name, chain.Input, "0", points);
        chain.Write(t, Technology, cg);
    }
}

using System.Globalization;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Energy;
using NUnit.Framework;
using Mbi.Tests;

namespace Mbi.CoSim.Tests.Energy;

[TestFixture]
public sealed class RowEnergyTests
{
    [Test]
    public void When_RowBenchMetered_Expect_EveryDriverCategoryAtLeastTheCVSquaredOfTheLinesItSwitches()
    {
        TestAssets.RequireNgspice();
        var bench = SmallBench(bitsPerElement: 2);
        RowEnergy energy;
        using (var engine = NgSpiceEngine.Start()) energy = RowEnergyMeter.Measure(engine, bench);

        // Line capacitances as written into the netlist (wire and unsimulated rows' gates only: the simulated
        // devices' own gates come on top, so this is a lower bound).
        var caps = LineCapacitors(bench.WriteForMetering());
        double vdd = bench.Technology.VddVolts;
        var d = bench.Design;
        double query = 0;
        foreach (var cycle in bench.Program.Cycles)
            for (int c = 0; c < bench.Program.Columns; c++)
                query += caps[cycle.Query[c] ? $"ql{c}" : $"qlb{c}"] * vdd * vdd;
        query /= bench.Program.Cycles.Count;
        double pg = caps["pg"] * Math.Pow(vdd + d.PrechargeBoostVolts, 2);
        double share = (caps["shn"] + caps["shp"]) * Math.Pow(vdd + d.ShareBoostVolts, 2);
        // Row select: the 12T's read word line swings 0..VDD; the 10T's source line swings 0..VPmax.
        double select = d.RowSelect == RowSelect.RowGated ? caps["rwl"] * vdd * vdd : caps["sl"] * d.VpMaxVolts * d.VpMaxVolts;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per cycle: query {energy.Array.QueryDriverJoules:E3} >= {query:E3}; pg {energy.Array.PrechargeGateDriverJoules:E3} >= {pg:E3}; share {energy.Array.ShareDriverJoules:E3} >= {share:E3}; row select {energy.Array.RowSelectJoules:E3} >= {select:E3}"));
        // A full charge-discharge of C from a rail costs C V^2 whatever the driver; the boosted lines swing
        // between two rails (C dV x V_high from one, C dV x |V_low| from the other), also C dV^2 in total.
        Assert.That(energy.Array.QueryDriverJoules, Is.GreaterThanOrEqualTo(query));
        Assert.That(energy.Array.PrechargeGateDriverJoules, Is.GreaterThanOrEqualTo(pg));
        Assert.That(energy.Array.ShareDriverJoules, Is.GreaterThanOrEqualTo(share));
        Assert.That(energy.Array.RowSelectJoules, Is.GreaterThanOrEqualTo(select));
        Assert.That(energy.PerSourceJoules.Values, Has.All.GreaterThanOrEqualTo(0));
    }

    [Test]
    public void When_QueryLinesStaticPerNode_Expect_QueryDriversSharedByTheNodesRowsAndStillAboveTheirFloor()
    {
        TestAssets.RequireNgspice();
        var toggledBench = SmallBench(bitsPerElement: 1);
        var staticDesign = toggledBench.Design with { ScanProtocol = ScanProtocol.StaticPerNode };
        var staticBench = new RowBench(toggledBench.Technology, staticDesign, toggledBench.Program);
        RowEnergy toggled, held;
        using (var engine = NgSpiceEngine.Start())
        {
            toggled = RowEnergyMeter.Measure(engine, toggledBench);
            held = RowEnergyMeter.Measure(engine, staticBench);
        }
        double floor = EnergyBandMeasurement.Floor(staticBench, staticBench.Technology, staticDesign).QueryDriverJoules;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"query drivers per comparison: toggled {toggled.Array.QueryDriverJoules:E3}, static {held.Array.QueryDriverJoules:E3} (floor {floor:E3})"));
        // Toggled, every column's query line rises and falls in each of the 3 cycles; static, the lines switch only where
        // the query changes (8 + 4 of the 24 column-cycles here) and that is shared by 32 rows: about 1/64 of toggled.
        // 1/20 leaves room for the drivers' short-circuit current, which does not scale with the switched lines.
        Assert.That(held.Array.QueryDriverJoules, Is.LessThan(toggled.Array.QueryDriverJoules / 20));
        Assert.That(held.Array.QueryDriverJoules, Is.GreaterThanOrEqualTo(floor));
        Assert.That(floor, Is.GreaterThan(0));
        // The transmission-gate and precharge-gate lines switch once per row in both protocols: 5 % covers the small
        // coupling differences from the query edges no longer falling inside the window.
        Assert.That(held.Array.ShareDriverJoules, Is.EqualTo(toggled.Array.ShareDriverJoules).Within(5).Percent);
        Assert.That(held.Array.PrechargeGateDriverJoules, Is.EqualTo(toggled.Array.PrechargeGateDriverJoules).Within(5).Percent);
    }

    [Test]
    public void When_DeckHasASourceTheMeterDoesNotKnow_Expect_ItIsListedByTheParser()
    {
        // The meter refuses to run a deck with an unmetered source; this checks the parser it relies on.
        var sources = Mbi.Circuit.Energy.DeckSources.Names("* x\nvdd vdd 0 DC 0.9\nVsneaky a 0 PWL(0 0 1n 1)\nmx a b c d n\n").ToArray();
        Assert.That(sources, Is.EqualTo(new[] { "vdd", "vsneaky" }));
    }

    /// <summary>
    /// The per-comparison measurement quoted in the report: 32 columns, 8 cycles at 1 and 2 bits, the accountant's
    /// programs. Explicit (about 2 x 2 min of ngspice): run with --filter Name~EnergyOf32Columns.
    /// </summary>
    [Explicit("long ngspice measurement; run by hand"), Category("Measurement")]
    [TestCase(1)]
    [TestCase(2)]
    public void When_EnergyOf32ColumnsMeasured_Expect_BreakdownPrinted(int bitsPerElement)
    {
        TestAssets.RequireNgspice();
        var design = new ArrayDesign();
        var program = EnergyAccountant.Program(design.Columns, bitsPerElement, 1, 8);
        var bench = new RowBench(Technology.Ptm16Lp(), design, program);
        RowEnergy energy;
        using (var engine = NgSpiceEngine.Start()) energy = RowEnergyMeter.Measure(engine, bench);
        var inv = CultureInfo.InvariantCulture;
        TestContext.Out.WriteLine(string.Create(inv, $"p={bitsPerElement}: total {energy.TotalJoules:E4} J per comparison"));
        foreach (var (name, joules) in energy.Array.Rows()) TestContext.Out.WriteLine(string.Create(inv, $"  {name,-24} {joules:E4}"));
        foreach (var (source, joules) in energy.PerSourceJoules.Where(p => !p.Key.StartsWith("vin_", StringComparison.Ordinal)))
            TestContext.Out.WriteLine(string.Create(inv, $"  rail {source,-8} drawn {joules:E4} sunk (not credited) {energy.PerSourceSunkJoules[source]:E4}"));
        foreach (var (line, farads) in LineCapacitors(bench.WriteForMetering()).Where(p => !p.Key.StartsWith("ql", StringComparison.Ordinal) || p.Key is "ql0"))
            TestContext.Out.WriteLine(string.Create(inv, $"  line {line,-5} explicit load {farads:E4} F"));
        Assert.That(energy.TotalJoules, Is.GreaterThan(0));
    }

    /// <summary>The explicit line capacitors (cw&lt;node&gt; node 0 value) of a deck.</summary>
    private static Dictionary<string, double> LineCapacitors(string netlist)
    {
        var caps = new Dictionary<string, double>();
        foreach (string line in netlist.Split('\n'))
        {
            if (!line.StartsWith("cw", StringComparison.Ordinal)) continue;
            string[] p = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            caps[p[1]] = double.Parse(p[3], CultureInfo.InvariantCulture);
        }
        return caps;
    }

    /// <summary>8 columns, 3 cycles: distance 0, every bit flipped, a mix.</summary>
    private static RowBench SmallBench(int bitsPerElement)
    {
        bool[] key = [true, false, true, true, false, false, true, false];
        bool[][] queries = [[.. key], key.Select(b => !b).ToArray(), [false, false, true, false, true, false, true, true]];
        return new RowBench(Technology.Ptm16Lp(), new ArrayDesign(), new RowProgram(key, queries.Select(q => new RowCycle(bitsPerElement, q)).ToArray()));
    }
}

using Mbi.Tests;
using System.Diagnostics;
using System.Globalization;
using Mbi.Circuit.Design;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Netlists;
using Mbi.CoSim.Energy;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Energy;

/// <summary>
/// A measurement, not a check (explicit; run by hand, docs/energy-bands.md "Scan protocol" and docs/circuit.md
/// "Boosted rails or within VDD"): the array's supply energy per comparison (the metered row bench, the accountant's
/// program: 8 random 25 %-flip queries after a warm-up, seed 1) of each design file given, under both scan protocols,
/// for 1-bit and 2-bit elements, by category and for the query-line drivers alone.
/// Run: MBI_STUDY_DESIGNS=/abs/a.json,/abs/b.json dotnet test tests/CoSim --filter RailAndScanEnergyStudy
/// </summary>
[TestFixture, Explicit("a measurement of minutes"), Category("Measurement")]
public sealed class RailAndScanEnergyStudy
{
    [Test]
    public void MeasureEnergyPerComparison()
    {
        TestAssets.RequireNgspice();
        var paths = (Environment.GetEnvironmentVariable("MBI_STUDY_DESIGNS") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var designs = paths.Length == 0 ? [("default", new CircuitDesign())] : paths.Select(p => (p, DesignFile.Read(p))).ToArray();
        var inv = CultureInfo.InvariantCulture;
        using var engine = NgSpiceEngine.Start();
        foreach (var (name, design) in designs)
            foreach (var protocol in new[] { ScanProtocol.TogglePerRow, ScanProtocol.StaticPerNode })
                foreach (int p in new[] { 1, 2 })
                {
                    var array = design.Array with { ScanProtocol = protocol };
                    var clock = Stopwatch.StartNew();
                    var bench = new RowBench(design.Technology, array, EnergyAccountant.Program(array.Columns, p, seed: 1, cycles: 8));
                    var e = RowEnergyMeter.Measure(engine, bench);
                    string rows = string.Join(", ", e.Array.Rows().Select(r => string.Format(inv, "{0} {1:F2} fJ", r.Name, r.Joules * 1e15)));
                    double queryInputs = e.PerSourceJoules.Where(kv => bench.IsQueryRail(kv.Key) && kv.Key != "vqdrv").Sum(kv => kv.Value);
                    TestContext.Out.WriteLine(string.Format(inv,
                        "{0} | {1} | p={2}: total {3:F2} fJ per comparison; query drivers {4:F3} fJ (+ their logic inputs {5:F3} fJ); cycle {6:F2} ns; {7}; {8:F0} s",
                        name, protocol, p, e.TotalJoules * 1e15, e.Array.QueryDriverJoules * 1e15, queryInputs * 1e15, array.CycleSeconds * 1e9, rows,
                        clock.Elapsed.TotalSeconds));
                }
    }
}

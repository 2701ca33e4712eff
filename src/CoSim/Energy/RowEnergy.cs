using Mbi.Circuit.Energy;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Models;
using Mbi.Circuit.Netlists;
using Mbi.Core.Errors;

namespace Mbi.CoSim.Energy;

/// <summary>Energy one row comparison draws from VDD (joules per comparison), by category and per rail.</summary>
/// <param name="PerSourceJoules">Energy drawn from VDD for each rail (positive-only, through its generator).</param>
/// <param name="PerSourceSunkJoules">Energy each rail took back (V x I_out negative): never credited, listed for insight.</param>
public sealed record RowEnergy(ArrayEnergy Array, int Cycles, IReadOnlyDictionary<string, double> PerSourceJoules,
    IReadOnlyDictionary<string, double> PerSourceSunkJoules, double CycleSeconds)
{
    /// <summary>The array's energy per comparison, in joules.</summary>
    public double TotalJoules => Array.TotalJoules;
}

/// <summary>
/// Measures a row's energy with ngspice: the circuit layer's row bench (every line driven by CMOS driver
/// chains from DC rails) runs with every vector saved, and <see cref="SupplyMeter"/> integrates each rail's
/// positive V x I over the reported cycles (the warm-up cycle excluded), through its generator's efficiency. With the
/// static scan protocol the query lines' rails are divided by the rows a node scans (<see cref="RowBench.ComparisonsPerQueryDrive"/>).
/// Every independent source of the deck must be one of the bench's metered rails, or the measurement fails:
/// no source can do work the meter does not see.
/// </summary>
internal static class RowEnergyMeter
{
    /// <param name="deck">With <paramref name="decks"/>: the file name the simulated netlist is saved under.</param>
    public static RowEnergy Measure(NgSpiceEngine engine, Technology technology, ArrayDesign design, RowProgram program,
        DeckFolder? decks = null, string deck = "energy.cir") =>
        Measure(engine, new RowBench(technology, design, program), decks, deck);

    public static RowEnergy Measure(NgSpiceEngine engine, RowBench bench, DeckFolder? decks = null, string deck = "energy.cir")
    {
        string netlist = bench.WriteForMetering();
        decks?.Save(deck, netlist);
        DeckSources.RequireMetered(netlist, bench.Rails, "row bench");
        engine.Load(netlist);
        engine.Execute("run");
        try
        {
            int cycles = bench.Program.Cycles.Count;
            var rails = SupplyMeter.Measure(bench.Rails, engine.RequireVector, bench.Technology.VddVolts, bench.MeteringWindows);
            // Static query lines (ArrayDesign.ScanProtocol): each bench cycle is a new node's query, shared by the node's rows.
            double PerComparison(string source) => cycles * (bench.IsQueryRail(source) ? bench.ComparisonsPerQueryDrive : 1);
            var drawn = rails.ToDictionary(r => r.Rail.Source, r => r.DrawnJoules / PerComparison(r.Rail.Source));
            var sunk = rails.ToDictionary(r => r.Rail.Source, r => r.SunkJoules / PerComparison(r.Rail.Source));
            double Sum(SupplyCategory c) => rails.Where(r => r.Rail.Category == c).Sum(r => r.DrawnJoules / PerComparison(r.Rail.Source));
            var array = new ArrayEnergy(Sum(SupplyCategory.QueryDrivers), Sum(SupplyCategory.RowSelect), Sum(SupplyCategory.Cell),
                Sum(SupplyCategory.LogicInputs), Sum(SupplyCategory.PrechargeGateDrivers), Sum(SupplyCategory.PrechargeRails),
                Sum(SupplyCategory.ShareDrivers), Sum(SupplyCategory.UnselectedRows));
            return new RowEnergy(array, cycles, drawn, sunk, bench.Design.CycleSeconds);
        }
        finally
        {
            engine.Execute("destroy all");
        }
    }
}

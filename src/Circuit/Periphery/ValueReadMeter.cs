using Mbi.Circuit.Energy;
using Mbi.Circuit.Engine;
using Mbi.Circuit.Transient;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Periphery;

/// <summary>
/// Energy of one value-store row read, from the supplies of a <see cref="ValueReadBench"/>: what each rail draws from VDD
/// per read (positive-only per metering window, <see cref="SupplyMeter"/>), split into the row lines (word line,
/// precharge gate and sense enable: their drivers, once per row) and one column (its bitline precharge, sense amplifier
/// and cells; of a whole-row bench, the mean of its columns), with the read's outcome and the C V^2 floors the figures
/// must stand above. Per-column outcomes are flat lists, read-major: entry read x SimulatedColumns + column.
/// </summary>
internal sealed record ValueReadEnergy
{
    public required int Rows { get; init; }
    public required int Columns { get; init; }
    /// <summary>Columns the bench simulated: 1, or <see cref="Columns"/> for the whole row.</summary>
    public required int SimulatedColumns { get; init; }
    /// <summary>Metered reads (the warm-up excluded).</summary>
    public required int Reads { get; init; }
    public required double CycleSeconds { get; init; }
    public required double VddVolts { get; init; }

    /// <summary>Energy each rail draws from VDD per read (joules), by source name.</summary>
    public required IReadOnlyDictionary<string, double> JoulesPerReadByRail { get; init; }
    /// <summary>Energy each rail took back per read (net V x I_out negative in a window): never credited, listed for insight.</summary>
    public required IReadOnlyDictionary<string, double> SunkJoulesPerReadByRail { get; init; }

    /// <summary>The bit each metered read must give, per simulated column (a column alternately reads 0 and 1).</summary>
    public required IReadOnlyList<bool> ExpectedBits { get; init; }
    /// <summary>Each sense amplifier's decision per metered read: null where its two outputs were not at opposite rails.</summary>
    public required IReadOnlyList<bool?> DecidedBits { get; init; }
    /// <summary>True when every simulated cell still holds its bit at the end (no read disturbed a cell).</summary>
    public required bool StoredDataHeld { get; init; }
    /// <summary>|V(BL) - V(BLB)| as sense enable crosses VDD/2, per metered read and simulated column (volts).</summary>
    public required IReadOnlyList<double> SwingVolts { get; init; }
    /// <summary>
    /// The read row's word line from 10 % to 90 % of VDD, per metered read (seconds); NaN where it did not reach 90 % before
    /// the cycle ended.
    /// </summary>
    public required IReadOnlyList<double> WordLineRiseSeconds { get; init; }
    /// <summary>From the start of sense enable's rising input edge to sense enable crossing VDD/2 (the sense instant), per metered read (seconds).</summary>
    public required IReadOnlyList<double> SenseDelaySeconds { get; init; }

    /// <summary>The explicit word line load (the unsimulated columns' access gates and the row's wire).</summary>
    public required double WordLineLoadFarads { get; init; }
    /// <summary>The explicit loads of the precharge-gate and sense-enable lines (the unsimulated columns' gates and the row's wire).</summary>
    public required double PrechargeGateLoadFarads { get; init; }
    public required double SenseEnableLoadFarads { get; init; }
    /// <summary>The explicit wire capacitor of one bitline (the access devices' junctions come on top).</summary>
    public required double BitlineWireFarads { get; init; }

    public bool AllReadsCorrect => StoredDataHeld && DecidedBits.Select((b, i) => b == ExpectedBits[i]).All(ok => ok);

    /// <summary>The word line's driver rail and logic inputs, once per row read.</summary>
    public double WordLineJoules => Sum(s => s is "vwldrv" or "vin_dwl0" or "vin_dwl1");
    /// <summary>The precharge-gate line's driver rail and logic input, once per row read.</summary>
    public double PrechargeGateJoules => Sum(s => s is "vpgdrv" or "vin_dpg");
    /// <summary>The sense-enable line's driver rail and logic input, once per row read.</summary>
    public double SenseEnableJoules => Sum(s => s is "vsedrv" or "vin_dse");
    /// <summary>Every row line's driver (<see cref="ValueReadBench.IsRowLine"/>): the once-per-row part of a read.</summary>
    public double RowLinesJoules => Sum(ValueReadBench.IsRowLine);

    /// <summary>One column's part: every other rail (over the simulated columns, their mean).</summary>
    public double PerColumnJoules => Sum(s => !ValueReadBench.IsRowLine(s)) / SimulatedColumns;
    /// <summary>Of a column: the bitline precharge rail (restoring the discharged bitline and what the latch dumped on it).</summary>
    public double PrechargeJoulesPerColumn => Sum(s => s == "vpre") / SimulatedColumns;
    /// <summary>Of a column: the sense amplifier's rail (latch, its nodes' precharge, output inverters).</summary>
    public double SenseAmpJoulesPerColumn => Sum(s => s == "vsa") / SimulatedColumns;
    /// <summary>Of a column: the cells' supply.</summary>
    public double CellJoulesPerColumn => Sum(s => s == "vcell") / SimulatedColumns;

    /// <summary>One row read: the row lines once, and every column (of a whole-row bench, what its rails drew).</summary>
    public double JoulesPerRowRead => RowLinesJoules + Columns * PerColumnJoules;

    public double SmallestSwingVolts => SwingVolts.Min();
    public double MeanSwingVolts => SwingVolts.Average();

    /// <summary>C_WL VDD^2: charging the word line's explicit load once from its driver's rail.</summary>
    public double WordLineFloorJoules => WordLineLoadFarads * VddVolts * VddVolts;
    /// <summary>C VDD^2 of the three row lines' explicit loads, each charged once per read.</summary>
    public double RowLinesFloorJoules => (WordLineLoadFarads + PrechargeGateLoadFarads + SenseEnableLoadFarads) * VddVolts * VddVolts;
    /// <summary>C_BL VDD dV per column: restoring the discharged bitline's wire by the mean swing measured at the sense instant.</summary>
    public double BitlineRestoreFloorJoules => BitlineWireFarads * VddVolts * MeanSwingVolts;
    public double FloorJoulesPerRowRead => RowLinesFloorJoules + Columns * BitlineRestoreFloorJoules;

    /// <summary>This result, or a <see cref="SimulationFailedException"/> when a read was wrong or a cell lost its bit.</summary>
    public ValueReadEnergy RequireCorrect()
    {
        if (AllReadsCorrect) return this;
        string reads = string.Join(", ", DecidedBits.Select((b, i) => $"{(ExpectedBits[i] ? 1 : 0)}->{(b is null ? "?" : b.Value ? "1" : "0")}"));
        throw new SimulationFailedException($"value read bench: reads (expected->decided) {reads}, stored data {(StoredDataHeld ? "held" : "disturbed")}, " +
            $"smallest swing {SmallestSwingVolts * 1e3:F1} mV; lengthen value_read.word_line_seconds or value_read.sense_seconds in the design file " +
            "(samples/designs/ss-value-read.json reads at SS and 85 C).");
    }

    private double Sum(Func<string, bool> which) => JoulesPerReadByRail.Where(r => which(r.Key)).Sum(r => r.Value);
}

/// <summary>
/// Runs a <see cref="ValueReadBench"/> through ngspice. Every independent source of the deck must be one of the bench's
/// metered rails, or the deck is refused before it runs: no source can do work the meter does not see. The read word
/// lines are saved on top of the deck's own list (for their rise time), which leaves the deck and the solution unchanged.
/// </summary>
internal static class ValueReadMeter
{
    public static ValueReadEnergy Measure(NgSpiceEngine engine, ValueReadBench bench)
    {
        string netlist = bench.Write();
        DeckSources.RequireMetered(netlist, bench.Rails, "value read deck");
        engine.Load(netlist);
        engine.Execute("save v(wl0) v(wl1)");
        engine.Execute("run");
        try
        {
            double vdd = bench.Technology.VddVolts;
            var rails = SupplyMeter.Measure(bench.Rails, engine.RequireVector, vdd, bench.MeteringWindows);
            double[] time = engine.RequireVector("time");
            double[] sae = engine.RequireVector("sae");
            double[] wl0 = engine.RequireVector("wl0"), wl1 = engine.RequireVector("wl1");
            int columns = bench.SimulatedColumns;
            var bl = new double[columns][];
            var blb = new double[columns][];
            var d = new double[columns][];
            var db = new double[columns][];
            for (int k = 0; k < columns; k++)
            {
                bl[k] = engine.RequireVector(bench.Node("bl", k));
                blb[k] = engine.RequireVector(bench.Node("blb", k));
                d[k] = engine.RequireVector(bench.Node("d", k));
                db[k] = engine.RequireVector(bench.Node("db", k));
            }
            var expected = new List<bool>();
            var decided = new List<bool?>();
            var swing = new List<double>();
            var wordLineRise = new List<double>();
            var senseDelay = new List<double>();
            for (int c = ValueReadBench.WarmUpCycles; c < bench.Cycles; c++)
            {
                double sense = Crossing(time, sae, vdd / 2, bench.SenseStart(c), bench.CycleStart(c + 1))
                    ?? throw new SimulationFailedException($"value read bench: sense enable did not reach {vdd / 2:G3} V in cycle {c}; its driver is too weak for value_read.sense_seconds.");
                senseDelay.Add(sense - bench.SenseStart(c));
                double decision = bench.DecisionSeconds(c);
                for (int k = 0; k < columns; k++)
                {
                    expected.Add(ValueReadBench.ExpectedBit(c, k));
                    swing.Add(Math.Abs(Waveform.At(time, bl[k], sense) - Waveform.At(time, blb[k], sense)));
                    double dv = Waveform.At(time, d[k], decision), dbv = Waveform.At(time, db[k], decision);
                    decided.Add(dv > vdd / 2 && dbv < vdd / 2 ? true : dv < vdd / 2 && dbv > vdd / 2 ? false : null);
                }
                double[] wl = ValueReadBench.RowOf(c) == 0 ? wl0 : wl1;
                double? low = Crossing(time, wl, 0.1 * vdd, bench.WordLineRise(c), bench.CycleStart(c + 1));
                double? high = Crossing(time, wl, 0.9 * vdd, bench.WordLineRise(c), bench.CycleStart(c + 1));
                wordLineRise.Add(low is { } l && high is { } h ? h - l : double.NaN);
            }
            bool held = true;
            for (int k = 0; k < columns; k++)
                for (int r = 0; r < bench.Design.Rows; r++)
                {
                    double q = engine.RequireVector(bench.Node($"q{r}", k))[^1];
                    held &= Math.Abs(q - (ValueReadBench.StoredBit(r, k) ? vdd : 0)) < 0.1 * vdd;
                }
            return new ValueReadEnergy
            {
                Rows = bench.Design.Rows, Columns = bench.Design.Columns, SimulatedColumns = bench.SimulatedColumns, Reads = bench.Reads,
                CycleSeconds = bench.Design.CycleSeconds, VddVolts = vdd,
                JoulesPerReadByRail = rails.ToDictionary(r => r.Rail.Source, r => r.DrawnJoules / bench.Reads),
                SunkJoulesPerReadByRail = rails.ToDictionary(r => r.Rail.Source, r => r.SunkJoules / bench.Reads),
                ExpectedBits = expected, DecidedBits = decided, StoredDataHeld = held, SwingVolts = swing,
                WordLineRiseSeconds = wordLineRise, SenseDelaySeconds = senseDelay,
                WordLineLoadFarads = bench.WordLineLoadFarads, PrechargeGateLoadFarads = bench.PrechargeGateLoadFarads,
                SenseEnableLoadFarads = bench.SenseEnableLoadFarads, BitlineWireFarads = bench.BitlineWireFarads,
            };
        }
        finally
        {
            engine.Execute("destroy all");
        }
    }

    /// <summary>The first time in [from, to] where <paramref name="v"/> rises through <paramref name="level"/>, interpolated; null if none.</summary>
    private static double? Crossing(double[] time, double[] v, double level, double from, double to)
    {
        for (int k = 1; k < time.Length && time[k - 1] <= to; k++)
        {
            if (time[k] < from || v[k - 1] >= level || v[k] < level) continue;
            return time[k - 1] + (level - v[k - 1]) / (v[k] - v[k - 1]) * (time[k] - time[k - 1]);
        }
        return null;
    }
}

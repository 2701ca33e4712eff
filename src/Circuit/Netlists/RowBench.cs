using Mbi.Circuit.Models;
using Mbi.Core.Errors;
using Mbi.Core.Randomness;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// The row test bench: the selected row's 32 cells, the other rows' real cells with their stored data
/// (merged per column and stored bit, or every cell, per <see cref="ArrayDesign.UnselectedRows"/>), the
/// wire capacitance of every bitline, query line and sum line (<see cref="Technology.WireCapacitanceFaradsPerMeter"/>
/// times the line's length in cell pitches), per-column precharge PMOS to a rail chosen by bit
/// significance, transmission gates sharing every BL onto SLP and every BLB onto SLN, and sum-line
/// precharge. Unselected rows are kept off the bitlines by the design's <see cref="RowSelect"/> scheme.
/// Runs the program's cycles back to back in one transient. Writes a self-contained netlist (model
/// card and cell inlined) that runs unchanged under <c>ngspice -b</c>.
/// </summary>
internal sealed partial class RowBench
{
    private readonly Technology _technology;
    private readonly ArrayDesign _design;
    private readonly RowProgram _program;
    private readonly int[] _railOfColumn;
    private readonly double[][] _railVolts;
    private readonly DeviceRef[] _devices;
    private readonly SupplyProbe[] _supplies;
    private readonly RowCycle[] _runCycles;
    private readonly bool[][] _unselected;
    private readonly int[] _unselectedOnes;
    private readonly CycleTiming[] _runTimings;

    /// <summary>Cycles run before the program's own (not reported).</summary>
    public int WarmUpCycles { get; }

    /// <param name="unselectedRowKeys">
    /// The stored keys of the other rows (one bit per column each). Null (default): the design's
    /// <see cref="ArrayDesign.Rows"/> - 1 rows of random data drawn from <see cref="ArrayDesign.StoredDataSeed"/>.
    /// Empty: no other rows (a lone row, only for comparisons). With <see cref="UnselectedRows.Full"/>
    /// their transistors come last in <see cref="Devices"/>; merged cells take no Vth shift.
    /// </param>
    /// <param name="warmUp">Run one unreported copy of the first cycle first (default); off only for comparisons.</param>
    /// <param name="storage">The cells' latches simulated (default) or their storage nodes held at the rails (<see cref="CellStorage.Held"/>: the Monte Carlo dies).</param>
    /// <param name="recordDrivers">Save every driver chain's output line too, so that a run can be recorded for <see cref="DriverReplay"/>.</param>
    /// <param name="replay">The driver chains' recorded outputs, replayed instead of simulating the chains (<see cref="DriverReplay"/>); null: simulated.</param>
    public RowBench(Technology technology, ArrayDesign design, RowProgram program,
        IReadOnlyList<IReadOnlyList<bool>>? unselectedRowKeys = null, bool warmUp = true, CellStorage storage = CellStorage.Latched,
        bool recordDrivers = false, DriverReplay? replay = null)
    {
        Storage = storage;
        RecordsDrivers = recordDrivers;
        Replay = replay;
        _design = design.Validated();
        if (unselectedRowKeys is not null && unselectedRowKeys.Any(k => k.Count != program.Columns))
            throw new BadInputException($"every unselected row's key must have {program.Columns} bits, one per column.");
        _unselected = unselectedRowKeys?.Select(k => k.ToArray()).ToArray() ?? RandomKeys(_design.StoredDataSeed, _design.Rows - 1, program.Columns);
        _unselectedOnes = Enumerable.Range(0, program.Columns).Select(c => _unselected.Count(k => k[c])).ToArray();
        _technology = technology;
        _program = program;
        (_railOfColumn, _railVolts) = BuildRails(program, design.VpMaxVolts);
        _devices = BuildDevices(program.Columns, _design.UnselectedRows == UnselectedRows.Full ? _unselected.Length : 0, _design.RowSelect,
            Sized(technology, _design.PrechargeWidthRatio), Sized(technology, _design.ShareWidthRatio));
        if (storage == CellStorage.Held)
            for (int i = 0; i < _devices.Length; i++)
                if (IsLatchRole(_devices[i].Role)) _devices[i] = _devices[i] with { InDeck = false };
        // One warm-up cycle (a copy of the first) runs before the reported ones: the first cycle after
        // the operating point starts from different internal stack voltages and reads about 1.6 mV high.
        WarmUpCycles = warmUp ? 1 : 0;
        _runCycles = warmUp ? [program.Cycles[0], .. program.Cycles] : [.. program.Cycles];
        _runTimings = Enumerable.Range(0, _runCycles.Length).Select(i => CycleTiming.For(design, i)).ToArray();
        Timings = _runTimings[WarmUpCycles..];
        _supplies = BuildSupplies();
        if (replay is not null && !replay.Covers(Chains))
            throw new ArgumentException("the driver recording does not hold every chain of this bench", nameof(replay));
    }

    /// <summary>The same bench (same stored data, warm-up and storage) with its driver chains replayed from <paramref name="replay"/>.</summary>
    public RowBench WithReplay(DriverReplay replay) =>
        new(_technology, _design, _program, _unselected, WarmUpCycles == 1, Storage, recordDrivers: false, replay: replay);

    /// <summary>The same bench, saving every driver chain's output line (for <see cref="Transient.RowSimulator.RunAndRecord"/>).</summary>
    public RowBench Recording() =>
        new(_technology, _design, _program, _unselected, WarmUpCycles == 1, Storage, recordDrivers: true, replay: Replay);

    /// <summary>True when the deck saves every driver chain's output line (a recording run).</summary>
    public bool RecordsDrivers { get; }

    /// <summary>The driver chains' recorded outputs this bench replays; null when it simulates the chains.</summary>
    public DriverReplay? Replay { get; }

    /// <summary>"cell.mpu1", "unselected.mpd2", ...: a latch transistor of a selected or unselected cell.</summary>
    private static bool IsLatchRole(string role) =>
        (role.StartsWith("cell.", StringComparison.Ordinal) || role.StartsWith("unselected.", StringComparison.Ordinal))
        && CellTemplate.LatchTransistors.Contains(role[(role.IndexOf('.') + 1)..]);

    private static readonly ulong StoredDataStream = SeededRandom.StreamId("mbi.circuit.unselected-stored-data");

    /// <summary>Random stored keys of <paramref name="rows"/> rows: row r depends only on (seed, r).</summary>
    public static bool[][] RandomKeys(ulong seed, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(r =>
        {
            var random = new SeededRandom(seed, StoredDataStream, (ulong)r);
            return Enumerable.Range(0, columns).Select(_ => random.NextDouble() < 0.5).ToArray();
        }).ToArray();

    /// <summary>The other rows' stored keys, as simulated.</summary>
    public IReadOnlyList<IReadOnlyList<bool>> UnselectedKeys => _unselected;

    /// <summary>Whether the cells' latches are simulated or their storage nodes held at the rails.</summary>
    public CellStorage Storage { get; }

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

    /// <summary>A periphery device's drawn width for its Pelgrom sigma: null (the minimum) at ratio 1.</summary>
    private static double? Sized(Technology technology, double widthRatio) => widthRatio == 1 ? null : technology.WidthMeters * widthRatio;

    private static DeviceRef[] BuildDevices(int columns, int fullUnselectedRows, RowSelect scheme, double? prechargeWidth = null, double? shareWidth = null)
    {
        var cell = CellTemplate.Transistors;
        var list = new List<DeviceRef>(columns * 16 + 2);
        for (int c = 0; c < columns; c++)
        {
            foreach (var (name, pmos, _) in cell)
                list.Add(new DeviceRef($"m.xc{c}.{name}", pmos, c, "cell." + name));
            list.Add(new DeviceRef($"mpb{c}", true, c, "precharge.bl") { WidthMeters = prechargeWidth });
            list.Add(new DeviceRef($"mpbb{c}", true, c, "precharge.blb") { WidthMeters = prechargeWidth });
            list.Add(new DeviceRef($"mtn{c}", false, c, "share.bl.n") { WidthMeters = shareWidth });
            list.Add(new DeviceRef($"mtp{c}", true, c, "share.bl.p") { WidthMeters = shareWidth });
            list.Add(new DeviceRef($"mtnb{c}", false, c, "share.blb.n") { WidthMeters = shareWidth });
            list.Add(new DeviceRef($"mtpb{c}", true, c, "share.blb.p") { WidthMeters = shareWidth });
        }
        list.Add(new DeviceRef("mpsp", true, -1, "precharge.slp") { WidthMeters = prechargeWidth });
        list.Add(new DeviceRef("mpsn", true, -1, "precharge.sln") { WidthMeters = prechargeWidth });
        // The row-gated devices come after the 10T order, so the paper's scheme draws exactly what it drew before.
        if (scheme == RowSelect.RowGated)
            for (int c = 0; c < columns; c++)
                foreach (var (name, pmos, _) in CellTemplate.RowGates)
                    list.Add(new DeviceRef($"m.xc{c}.{name}", pmos, c, "cell." + name));
        var full = CellTemplate.TransistorsOf(scheme);
        for (int u = 0; u < fullUnselectedRows; u++)
            for (int c = 0; c < columns; c++)
                foreach (var (name, pmos, _) in full)
                    list.Add(new DeviceRef($"m.xu{u}_{c}.{name}", pmos, c, "unselected." + name));
        return list.ToArray();
    }

    /// <summary>Every DC rail of the bench (the driver chains' logic inputs excluded), by report name.</summary>
    private SupplyProbe[] BuildSupplies() => Rails
        .Where(r => r.Category != Energy.SupplyCategory.LogicInputs)
        .Select(r => new SupplyProbe(r.Source, r.Source switch
        {
            "vdd" => "cell",
            "vwl" => "word_line",
            "vsl" => "source_line",
            "vslu" => "unselected_source_lines",
            "vrwlu" => "unselected_row_select",
            _ when r.Source.StartsWith("vpr", StringComparison.Ordinal) => "precharge_rail" + r.Source[3..],
            _ => r.Source[1..],
        }, r.Volts))
        .ToArray();
}

/// <summary>A voltage source whose delivered charge is reported; Volts is NaN for pulsed drivers.</summary>
/// <param name="Source">ngspice source name (its current is the vector "&lt;source&gt;#branch").</param>
/// <param name="Name">Report name, e.g. "precharge_rail0".</param>
internal sealed record SupplyProbe(string Source, string Name, double Volts);

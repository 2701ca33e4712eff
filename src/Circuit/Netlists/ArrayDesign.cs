using Mbi.Core.Errors;
using Mbi.Core.Units;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// Electrical design of the 10T distance array and its phase timing: what users sweep. SI units.
/// The defaults reproduce the paper's operating point (VPmax = VDD = 0.9 V) with a 3 ns evaluation
/// window, which the feasibility check found necessary under sigma(Vth) = 60 mV.
/// </summary>
public sealed record ArrayDesign
{
    /// <summary>Columns per row (1-bit cells), 1..1024 (32 in the paper). The Monte Carlo staircase needs an even number.</summary>
    public int Columns { get; init; } = 32;
    /// <summary>Rows per array, 1..1024 (32 in the paper).</summary>
    public int Rows { get; init; } = 32;
    /// <summary>Bitline precharge level of the most significant bit, in volts (VPmax; LSB columns precharge to VPmax/2).</summary>
    public double VpMaxVolts { get; init; } = 0.9;
    /// <summary>Precharge phase length, in seconds.</summary>
    public double PrechargeSeconds { get; init; } = 1e-9;
    /// <summary>Evaluation window (bitlines discharge through the read stacks), in seconds.</summary>
    public double EvalWindowSeconds { get; init; } = 3e-9;
    /// <summary>Charge-sharing phase length (bitlines onto the sum lines), in seconds.</summary>
    public double ShareSeconds { get; init; } = 1e-9;
    /// <summary>Rise/fall time of every control edge.</summary>
    public double EdgeSeconds { get; init; } = 20e-12;
    /// <summary>Dead time between phases, so precharge, evaluate and share never overlap.</summary>
    public double GapSeconds { get; init; } = 50e-12;
    /// <summary>
    /// Capacitance added to each bitline beyond what the bench already builds (the cells' own devices of
    /// every row and the wire, <see cref="Mbi.Circuit.Models.Technology.WireCapacitanceFaradsPerMeter"/>
    /// times <see cref="Rows"/> cell heights): 0 by default, so nothing is counted twice; set it only to
    /// study an extra load (a sense amplifier, a longer line).
    /// </summary>
    public double BitlineCapacitanceFarads { get; init; }
    /// <summary>
    /// Capacitance added to each sum line (SLP, SLN) beyond its wire (<see cref="Columns"/> cell widths)
    /// and the transmission gates' junctions the bench already has: 0 by default.
    /// </summary>
    public double SumLineCapacitanceFarads { get; init; }
    /// <summary>How unselected rows are kept off the bitlines (default: the row-gated 12T port, which holds).</summary>
    public RowSelect RowSelect { get; init; } = RowSelect.RowGated;
    /// <summary>Width of the row-gated read devices (12T only) in minimum widths: they make each read stack 3 high.</summary>
    public double RowGateWidthRatio { get; init; } = 2;
    /// <summary>How the unselected rows' cells are simulated (default: merged per column and stored bit, exact at nominal).</summary>
    public UnselectedRows UnselectedRows { get; init; } = UnselectedRows.Merged;
    /// <summary>Seed of the unselected rows' random stored data when the caller gives none.</summary>
    public ulong StoredDataSeed { get; init; } = 1;
    /// <summary>
    /// Precharge PMOS gates are driven this far below ground: LP devices (|Vth| about 0.69 V) cannot
    /// pass VPmax/2 with a 0 V gate.
    /// </summary>
    public double PrechargeBoostVolts { get; init; } = 0.6;
    /// <summary>Transmission-gate boost: NMOS gate at VDD + boost, PMOS gate at -boost while sharing.</summary>
    public double ShareBoostVolts { get; init; } = 0.6;
    /// <summary>
    /// Whether the precharge and transmission gates are driven beyond 0..VDD (<see cref="RailScheme.Boosted"/>, by
    /// <see cref="PrechargeBoostVolts"/> and <see cref="ShareBoostVolts"/> from charge-pumped rails) or within it
    /// (<see cref="RailScheme.WithinVdd"/>: the boosts are not used, no level shifter, no pump; see <see cref="GateStress"/>).
    /// </summary>
    public RailScheme Rails { get; init; } = RailScheme.Boosted;
    /// <summary>Width of each bitline precharge PMOS (and the two sum-line precharge PMOS) in minimum widths.</summary>
    public double PrechargeWidthRatio { get; init; } = 1;
    /// <summary>Width of each transmission-gate device (NMOS and PMOS) in minimum widths.</summary>
    public double ShareWidthRatio { get; init; } = 1;
    /// <summary>
    /// How the query lines are driven while a tree node's rows are scanned: toggled for every row (high only in each
    /// row's evaluation window, the default) or held static for the node's rows (driven once per node) with the row's
    /// select line opening the evaluation window.
    /// </summary>
    public ScanProtocol ScanProtocol { get; init; } = ScanProtocol.TogglePerRow;
    /// <summary>
    /// How long the sum lines are reset to VPmax: through the precharge and evaluation phases, released as the query lines
    /// fall (<see cref="SumLineReset.UntilShare"/>, the default), or only during the precharge phase with the bitlines
    /// (<see cref="SumLineReset.WithPrecharge"/>, the design before issue #10's read-order fix: a 1 ns reset through a
    /// minimum PMOS leaves about 20 % of the previous cycle's swing, so a read depends on the level read before it).
    /// </summary>
    public SumLineReset SumLineReset { get; init; } = SumLineReset.UntilShare;

    /// <summary>The precharge gate's low level: -<see cref="PrechargeBoostVolts"/> with boosted rails, else 0 V.</summary>
    public double PrechargeGateLowVolts => Rails == RailScheme.Boosted ? -PrechargeBoostVolts : 0;
    /// <summary>The transmission gates' overdrive beyond 0..VDD: <see cref="ShareBoostVolts"/> with boosted rails, else 0 V.</summary>
    public double ShareOverdriveVolts => Rails == RailScheme.Boosted ? ShareBoostVolts : 0;
    /// <summary>
    /// Sampling capacitor of the ADC on each sum line (SLP, SLN), in parallel with the wire: the capacitive DAC of
    /// Mbi's transistor-level 5-bit SAR (docs/adc.md), split in two halves, one sampling each sum line: 16.35 fF per
    /// line. (Its bootstrapped sampling switches add about 40 fF more during sampling; not in the row bench.)
    /// </summary>
    public double AdcSamplingCapacitanceFarads { get; init; } = 16.35e-15;
    /// <summary>
    /// Power efficiency of the charge pumps that make the boosted rails (VDD + boost, -boost) from VDD: the
    /// energy drawn from VDD is the energy the rail delivers divided by this. 0.5 is an ASSUMPTION below the ideal
    /// of a regulated pump (Vout / (n VDD): 0.83 for +1.5 V from a doubler, 0.67 for -0.6 V from an inverting
    /// stage; Palumbo and Pappalardo, "Charge pump circuits: an overview", IEEE CAS Magazine 10(1), 2010), for
    /// the switching and bottom-plate losses a real pump adds.
    /// </summary>
    public double ChargePumpEfficiency { get; init; } = 0.5;
    /// <summary>
    /// Largest internal time step ngspice may take (it still stops at every control edge). Convergence study
    /// (docs/circuit.md) against a 25 ps, reltol 1e-4 reference: where every column discharges (1-bit level 32, 2-bit
    /// level 48) the error is the step's (500 ps: about 0.4 mV, 100 ps: 0.13-0.38 mV); 50 ps with
    /// <see cref="RelativeTolerance"/> 2e-4 is within 0.048 mV of it on every settled sum-line voltage of the whole
    /// 84-cycle nominal die (previous 500 ps / 3e-4: 0.36 mV).
    /// </summary>
    public double MaxStepSeconds { get; init; } = 50e-12;
    /// <summary>
    /// ngspice's relative tolerance (option reltol): Newton convergence and the truncation-error step control.
    /// ngspice's own 1e-3 leaves the low levels' settled sum lines about 0.1 mV low; 2e-4 with the 50 ps
    /// <see cref="MaxStepSeconds"/> meets the 0.1 mV bound; 1e-2 moves them 0.56 mV (convergence study, docs/circuit.md).
    /// </summary>
    public double RelativeTolerance { get; init; } = 2e-4;

    /// <summary>One row cycle in seconds: the three phases plus their edges and gaps.</summary>
    public double CycleSeconds => PrechargeSeconds + EvalWindowSeconds + ShareSeconds + 3 * (EdgeSeconds + GapSeconds) + 3 * EdgeSeconds;

    /// <summary>The design file section these fields live in (messages name "array.field").</summary>
    public const string Section = "array";

    /// <summary>Checks every value once; a message names the design-file field (e.g. array.eval_window_seconds).</summary>
    public ArrayDesign Validated()
    {
        if (Columns < 1 || Columns > 1024) throw BadInputException.For(F(nameof(Columns)), Columns, "between 1 and 1024", "32");
        if (Rows < 1 || Rows > 1024) throw BadInputException.For(F(nameof(Rows)), Rows, "between 1 and 1024", "32");
        Positive(nameof(VpMaxVolts), VpMaxVolts, "V", "0.9V", 3.0);
        Positive(nameof(PrechargeSeconds), PrechargeSeconds, "s", "1ns", 1e-6);
        Positive(nameof(EvalWindowSeconds), EvalWindowSeconds, "s", "3ns", 1e-6);
        Positive(nameof(ShareSeconds), ShareSeconds, "s", "1ns", 1e-6);
        Positive(nameof(EdgeSeconds), EdgeSeconds, "s", "20ps", 1e-9);
        Positive(nameof(GapSeconds), GapSeconds, "s", "50ps", 1e-9);
        NonNegative(nameof(BitlineCapacitanceFarads), BitlineCapacitanceFarads, "F", "0F", 1e-11);
        NonNegative(nameof(SumLineCapacitanceFarads), SumLineCapacitanceFarads, "F", "0F", 1e-11);
        if (!Enum.IsDefined(RowSelect)) throw BadInputException.For(F(nameof(RowSelect)), RowSelect, "RowGated or SourceLineHigh", "RowGated");
        if (!(RowGateWidthRatio >= 1) || RowGateWidthRatio > 16) throw BadInputException.For(F(nameof(RowGateWidthRatio)), RowGateWidthRatio, "between 1 and 16", "2");
        if (!Enum.IsDefined(UnselectedRows)) throw BadInputException.For(F(nameof(UnselectedRows)), UnselectedRows, "Merged or Full", "Merged");
        NonNegative(nameof(PrechargeBoostVolts), PrechargeBoostVolts, "V", "0.6V", 2.0);
        NonNegative(nameof(ShareBoostVolts), ShareBoostVolts, "V", "0.6V", 2.0);
        if (!Enum.IsDefined(Rails)) throw BadInputException.For(F(nameof(Rails)), Rails, "boosted or within-vdd", "within-vdd");
        if (!(PrechargeWidthRatio >= 1) || PrechargeWidthRatio > 16) throw BadInputException.For(F(nameof(PrechargeWidthRatio)), PrechargeWidthRatio, "between 1 and 16", "4");
        if (!(ShareWidthRatio >= 1) || ShareWidthRatio > 16) throw BadInputException.For(F(nameof(ShareWidthRatio)), ShareWidthRatio, "between 1 and 16", "4");
        if (!Enum.IsDefined(SumLineReset)) throw BadInputException.For(F(nameof(SumLineReset)), SumLineReset, "until-share or with-precharge", "until-share");
        if (!Enum.IsDefined(ScanProtocol)) throw BadInputException.For(F(nameof(ScanProtocol)), ScanProtocol, "toggle-per-row or static-per-node", "static-per-node");
        NonNegative(nameof(AdcSamplingCapacitanceFarads), AdcSamplingCapacitanceFarads, "F", "16fF", 1e-11);
        if (!(ChargePumpEfficiency > 0) || ChargePumpEfficiency > 1)
            throw BadInputException.For(F(nameof(ChargePumpEfficiency)), ChargePumpEfficiency, "> 0 and <= 1", "0.5");
        Positive(nameof(MaxStepSeconds), MaxStepSeconds, "s", "50ps", 1e-8);
        if (!(RelativeTolerance >= 1e-6) || RelativeTolerance > 0.1)
            throw BadInputException.For(F(nameof(RelativeTolerance)), RelativeTolerance, "between 1e-6 and 0.1", "2e-4");
        return this;
    }

    private static string F(string property) => Design.DesignField.Name(Section, property);

    private static void Positive(string property, double value, string unit, string example, double max)
    {
        if (!(value > 0) || value > max)
            throw BadInputException.For(F(property), Engineering.Format(value, unit), $"> 0 and <= {Engineering.Format(max, unit)}", example);
    }

    private static void NonNegative(string property, double value, string unit, string example, double max)
    {
        if (!(value >= 0) || value > max)
            throw BadInputException.For(F(property), Engineering.Format(value, unit), $"between 0 and {Engineering.Format(max, unit)}", example);
    }
}

/// <summary>How a row is selected for evaluation, i.e. how the other rows are kept off the bitlines.</summary>
public enum RowSelect
{
    /// <summary>
    /// 12T cell: each read stack reaches its bitline only through a device gated by the row's read word
    /// line; unselected rows show the bitlines nothing but junctions. Neither clamps nor leaks nor injects
    /// query-edge charge (measured, docs/circuit.md).
    /// </summary>
    RowGated,
    /// <summary>
    /// The paper's 10T cell: the selected row's source line is grounded, every other row's is held at
    /// VPmax. Unselected cells storing a conducting bit act as source followers into a discharging
    /// bitline (clamp near VPmax - Vth) and draw static current from their source lines.
    /// </summary>
    SourceLineHigh,
}

/// <summary>How the bench simulates the unselected rows' cells.</summary>
public enum UnselectedRows
{
    /// <summary>
    /// Per column, one instance with multiplier m for the unselected cells storing 1 and one for those
    /// storing 0: identical cells with identical terminals, so exact at nominal; no Vth variation.
    /// </summary>
    Merged,
    /// <summary>Every unselected cell as its own instance (the whole array; each takes its own Vth shift).</summary>
    Full,
}


/// <summary>How the precharge and transmission gates are driven.</summary>
public enum RailScheme
{
    /// <summary>
    /// Precharge PMOS gates to -boost, transmission gates to VDD + boost / -boost, from charge pumps: |Vgs| and |Vgd| up to
    /// VDD + boost (1.5 V on 0.9 V thin-oxide devices by default); every report that uses it states the overdrive.
    /// </summary>
    Boosted,
    /// <summary>Every gate within 0..VDD: no level shifter, no pump, no device sees more than VDD across its oxide.</summary>
    WithinVdd,
}

/// <summary>How the query lines are driven while a node's rows are scanned.</summary>
public enum ScanProtocol
{
    /// <summary>Query lines rise for each row's evaluation window and fall before its share phase (the row select is held).</summary>
    TogglePerRow,
    /// <summary>
    /// Query lines are set once per node and held while its rows are scanned; each row's select line (12T read word line,
    /// 10T source line) opens and closes its evaluation window. In the bench every cycle carries a new query, so the
    /// query drivers' energy per cycle is per node: it is divided by <see cref="ArrayDesign.Rows"/> per comparison.
    /// </summary>
    StaticPerNode,
}

/// <summary>How long the sum lines' reset PMOS (to VPmax) is on in each cycle.</summary>
public enum SumLineReset
{
    /// <summary>
    /// Through the precharge and evaluation phases, from its own gate line, released as the query lines fall: the sum lines
    /// are isolated from the bitlines while evaluating, so the reset gets about 4 ns instead of 1 ns at no cycle time, and a
    /// read no longer depends on the previous cycle's level (measured, docs/circuit.md "Reading in any order").
    /// </summary>
    UntilShare,
    /// <summary>With the bitlines' precharge only (shares their gate line): the design before the read-order fix.</summary>
    WithPrecharge,
}

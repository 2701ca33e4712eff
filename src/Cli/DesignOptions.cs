using Mbi.Circuit.Design;
using Mbi.Circuit.Models;
using Mbi.Core.Units;

namespace Mbi.Cli;

/// <summary>
/// `--design FILE` and the flags that override one design field each, for every command that touches the
/// circuit (mc, sweep, cosim, energy, table1, reproduce). The flags carry no ranges and no defaults of their
/// own: the default is the design's (shown in --help), the range is the library's, and a library message
/// naming a field is shown with the flag that set it (<see cref="FlagFor"/>).
/// </summary>
internal sealed partial class DesignOptions
{
    /// <summary>One flag and the design field it sets; <see cref="Apply"/> is null for the conditions flags, applied last by <see cref="Resolve"/>.</summary>
    private sealed record Override(Option Option, string Field, Func<CircuitDesign, ParseResult, CircuitDesign>? Apply);

    private static readonly CircuitDesign Defaults = new();
    private readonly List<Override> _overrides = [];

    public Option<string?> Design { get; } = new("--design")
    {
        Description = "Design file (technology, array, ADC; `mbi design init` writes one). The flags below override single fields.",
    };

    // The conditions flags are applied after every other override, in this order: the card (which drops the built-in
    // corner table), its corner table, then the corner and temperature looked up in it.
    private readonly Option<string> _card, _cornerTable, _corner, _nmos, _pmos;
    private readonly Option<double> _temperature;

    public DesignOptions()
    {
        var a = Defaults.Array;
        var t = Defaults.Technology;
        _nmos = Text("--nmos-model", "technology.nmos_model", "NMOS model name in the card (only with --model-card)", t.NmosModel, (d, v) => d with { Technology = d.Technology with { NmosModel = v } });
        _pmos = Text("--pmos-model", "technology.pmos_model", "PMOS model name in the card (only with --model-card)", t.PmosModel, (d, v) => d with { Technology = d.Technology with { PmosModel = v } });
        Quantity("--vdd", "technology.vdd_volts", "V", $"Supply voltage, {Engineering.Format(Technology.MinVddVolts, "V")}..{Engineering.Format(Technology.MaxVddVolts, "V")} (also sets the query swing and control levels)", t.VddVolts,
            (d, v) => d with { Technology = d.Technology with { VddVolts = v } });
        var tunneling = new Option<bool>("--gate-tunneling") { Description = "Keep BSIM4 gate tunnelling currents on (about 10x slower; moves results by ~0.2 mV)" };
        _overrides.Add(new(tunneling, "technology.gate_tunneling", (d, p) => d with { Technology = d.Technology with { GateTunneling = p.GetValue(tunneling) } }));
        _card = Conditions(new Option<string>("--model-card") { Description = $"Your own SPICE model card instead of PTM 16nm LP (with --nmos-model, --pmos-model; only corner TT unless --corner-table) (design field technology.card; default {CircuitDesign.BuiltInCard})" }, "technology.card");
        _cornerTable = Conditions(new Option<string>("--corner-table") { Description = $"JSON corner table of the card (format of netlists/models/ptm16lp.corners.json) (design field technology.corner_table; default {CircuitDesign.BuiltInCornerTable} with the built-in card)" }, "technology.corner_table");
        _corner = Conditions(new Option<string>("--corner") { Description = $"Global process corner: TT, FF, SS, FS or SF (fast NMOS, slow PMOS), from the corner table (design field technology.corner; default {ProcessCorner.Typical.Name})" }, "technology.corner");
        _temperature = Conditions(new Option<double>("--temp")
        {
            Description = $"Temperature in Celsius, {OperatingConditions.MinTemperatureCelsius}..{OperatingConditions.MaxTemperatureCelsius} (e.g. -40C, 27, 125C) (design field technology.temperature_celsius; default {OperatingConditions.NominalTemperatureCelsius} C)",
            CustomParser = r => OptionParsing.Quantity(r, "--temp", "C"),
        }, "technology.temperature_celsius");
        Quantity("--vp-max", "array.vp_max_volts", "V", "Bitline precharge of MSB columns (VPmax)", a.VpMaxVolts, (d, v) => d with { Array = d.Array with { VpMaxVolts = v } });
        Quantity("--eval-window", "array.eval_window_seconds", "s", "Evaluation window", a.EvalWindowSeconds, (d, v) => d with { Array = d.Array with { EvalWindowSeconds = v } });
        Quantity("--bitline-cap", "array.bitline_capacitance_farads", "F", "Capacitance per bitline: extra load beyond the simulated rows and wire (0 = none)", a.BitlineCapacitanceFarads,
            (d, v) => d with { Array = d.Array with { BitlineCapacitanceFarads = v } });
        Quantity("--sumline-cap", "array.sum_line_capacitance_farads", "F", "Capacitance per sum line: extra load beyond the simulated rows and wire (0 = none)", a.SumLineCapacitanceFarads,
            (d, v) => d with { Array = d.Array with { SumLineCapacitanceFarads = v } });
        Quantity("--adc-sampling-cap", "array.adc_sampling_capacitance_farads", "F", "ADC sampling capacitor on each sum line (the SAR's CDAC half)", a.AdcSamplingCapacitanceFarads,
            (d, v) => d with { Array = d.Array with { AdcSamplingCapacitanceFarads = v } });
        Quantity("--precharge-boost", "array.precharge_boost_volts", "V", "Precharge PMOS gates are driven this far below 0 V", a.PrechargeBoostVolts,
            (d, v) => d with { Array = d.Array with { PrechargeBoostVolts = v } });
        Quantity("--share-boost", "array.share_boost_volts", "V", "Transmission-gate overdrive beyond the rails", a.ShareBoostVolts,
            (d, v) => d with { Array = d.Array with { ShareBoostVolts = v } });
        Choice("--rails", "array.rails", "Precharge and transmission-gate drive: boosted (-boost / VDD + boost from charge pumps; |Vgs| above VDD) or within-vdd (0..VDD, no pump)", a.Rails,
            (d, v) => d with { Array = d.Array with { Rails = v } });
        Quantity("--precharge-width", "array.precharge_width_ratio", "", "Width of the precharge PMOS in minimum widths", a.PrechargeWidthRatio,
            (d, v) => d with { Array = d.Array with { PrechargeWidthRatio = v } });
        Quantity("--share-width", "array.share_width_ratio", "", "Width of the transmission-gate devices in minimum widths", a.ShareWidthRatio,
            (d, v) => d with { Array = d.Array with { ShareWidthRatio = v } });
        Quantity("--precharge-time", "array.precharge_seconds", "s", "Precharge phase", a.PrechargeSeconds, (d, v) => d with { Array = d.Array with { PrechargeSeconds = v } });
        Quantity("--share-time", "array.share_seconds", "s", "Share phase (charge sum)", a.ShareSeconds, (d, v) => d with { Array = d.Array with { ShareSeconds = v } });
        Choice("--scan-protocol", "array.scan_protocol", "Query lines toggled for every row (toggle-per-row) or held while a node's rows are scanned, the row select opening each window (static-per-node)", a.ScanProtocol,
            (d, v) => d with { Array = d.Array with { ScanProtocol = v } });
        Choice("--sum-line-reset", "array.sum_line_reset", "Sum-line reset to VPmax: until-share (own gate line, on through precharge and evaluation) or with-precharge (1 ns with the bitlines; reads depend on the previous level)", a.SumLineReset,
            (d, v) => d with { Array = d.Array with { SumLineReset = v } });
        Quantity("--charge-pump-efficiency", "array.charge_pump_efficiency", "", "Efficiency of the pumps making the boosted rails from VDD (0..1; an assumption)", a.ChargePumpEfficiency,
            (d, v) => d with { Array = d.Array with { ChargePumpEfficiency = v } });
        Choice("--row-select", "array.row_select", "How a row is selected: row-gated (12T cell, unselected rows hold) or source-line-high (the paper's 10T)", a.RowSelect,
            (d, v) => d with { Array = d.Array with { RowSelect = v } });
        Quantity("--row-gate-width", "array.row_gate_width_ratio", "", "Width of the 12T row-gate devices in minimum widths", a.RowGateWidthRatio,
            (d, v) => d with { Array = d.Array with { RowGateWidthRatio = v } });
        Choice("--unselected-rows", "array.unselected_rows", "How the unselected rows are simulated: merged (one instance per column and bit; no mismatch) or full (every cell)", a.UnselectedRows,
            (d, v) => d with { Array = d.Array with { UnselectedRows = v } });
        var seed = new Option<ulong>("--stored-data-seed")
        {
            Description = $"Seed of the unselected rows' random stored data (design field array.stored_data_seed; default {a.StoredDataSeed})",
            CustomParser = r => (ulong)OptionParsing.Whole(r, "--stored-data-seed", 0, ulong.MaxValue, a.StoredDataSeed),
        };
        _overrides.Add(new(seed, "array.stored_data_seed", (d, p) => d with { Array = d.Array with { StoredDataSeed = p.GetValue(seed) } }));
        Whole("--columns", "array.columns", "Columns of the row (even; 2-bit elements use column pairs)", a.Columns, (d, v) => d with { Array = d.Array with { Columns = v } });
        Whole("--adc-bits", "adc.bits", "ADC resolution", Defaults.Adc.Bits, (d, v) => d with { Adc = d.Adc with { Bits = v } });
        Quantity("--adc-offset", "adc.offset_lsb", "", "ADC offset in LSB", Defaults.Adc.OffsetLsb, (d, v) => d with { Adc = d.Adc with { OffsetLsb = v } });
        Quantity("--adc-inl", "adc.inl_peak_lsb", "", "ADC integral non-linearity: bow peak at mid-scale in LSB", Defaults.Adc.InlPeakLsb,
            (d, v) => d with { Adc = d.Adc with { InlPeakLsb = v } });
        Quantity("--adc-comparator-offset-sigma", "adc.comparator_offset_sigma_lsb", "", "Per-die comparator offset sigma of each ADC, in LSB (0: none; default: the SPICE SAR's, uncalibrated)",
            Defaults.Adc.ComparatorOffsetSigmaLsb, (d, v) => d with { Adc = d.Adc with { ComparatorOffsetSigmaLsb = v } });
        Quantity("--adc-cap-mismatch", "adc.capacitor_mismatch_root_farads", "", "Pelgrom coefficient A_C of the ADC's DAC capacitors, sigma(dC/C) = A_C / sqrt(C), in sqrt(F) (0: none)",
            Defaults.Adc.CapacitorMismatchRootFarads, (d, v) => d with { Adc = d.Adc with { CapacitorMismatchRootFarads = v } });
        Quantity("--adc-unit-cap", "adc.unit_capacitance_farads", "F", "The ADC DAC's unit capacitor", Defaults.Adc.UnitCapacitanceFarads,
            (d, v) => d with { Adc = d.Adc with { UnitCapacitanceFarads = v } });
    }

    public IEnumerable<Option> All => [Design, .. _overrides.Select(o => o.Option)];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The design file field each override flag sets (e.g. array.eval_window_seconds -> --eval-window).</summary>
    public static IReadOnlyDictionary<string, string> FieldFlags { get; } =
        new DesignOptions()._overrides.ToDictionary(o => o.Field, o => o.Option.Name);

    /// <summary>
    /// The design a command runs: the file's (or the defaults), then every flag the user typed (the card last, so it
    /// is checked against the model names given with it), validated once.
    /// Returns the stamp the command records in its output.
    /// </summary>
    public (CircuitDesign Design, DesignStamp Stamp) Resolve(ParseResult parse)
    {
        string? path = parse.GetValue(Design);
        var design = path is null ? new CircuitDesign() : DesignFile.Read(path);
        bool Typed(Option o) => parse.GetResult(o) is { Implicit: false };
        if (!Typed(_card))
            foreach (var model in new[] { _nmos, _pmos })
                if (Typed(model))
                    throw BadInputException.For(model.Name, parse.GetValue(model), "given with --model-card (it names a model in that card)",
                        $"--model-card my.lib {model.Name} {parse.GetValue(model)}");
        foreach (var o in _overrides)
            if (o.Apply is not null && Typed(o.Option))
                design = o.Apply(design, parse);
        // The conditions last: a new card drops the built-in corner table, so the corner is looked up after it.
        var conditions = design.Technology.Conditions;
        string corner = Typed(_corner) ? parse.GetValue(_corner)! : conditions.Corner.Name;
        double temperature = Typed(_temperature) ? parse.GetValue(_temperature) : conditions.TemperatureCelsius;
        if (Typed(_card)) design = design.WithCard(parse.GetValue(_card)!);
        if (Typed(_cornerTable)) design = design.WithCornerTable(parse.GetValue(_cornerTable)!);
        if (Typed(_card) || Typed(_cornerTable) || Typed(_corner) || Typed(_temperature))
            design = design.WithConditions(corner, temperature);
        design = design.Validated();
        return (design, DesignStamp.Of(design, path));
    }
}

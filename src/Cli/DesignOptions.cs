using System.CommandLine;
using Mbi.Circuit.Design;
using Mbi.Circuit.Netlists;
using Mbi.Core.Units;

namespace Mbi.Cli;

/// <summary>
/// `--design FILE` and the flags that override one design field each, for every command that touches the
/// circuit (mc, sweep, cosim, energy, table1, reproduce). The flags carry no ranges and no defaults of their
/// own: the default is the design's (shown in --help), the range is the library's, and a library message
/// naming a field is shown with the flag that set it (<see cref="FlagFor"/>).
/// </summary>
internal sealed class DesignOptions
{
    private sealed record Override(Option Option, string Field, Func<CircuitDesign, ParseResult, CircuitDesign> Apply);

    private static readonly CircuitDesign Defaults = new();
    private readonly List<Override> _overrides = [];

    public Option<string?> Design { get; } = new("--design")
    {
        Description = "Design file (technology, array, ADC; `mbi design init` writes one). The flags below override single fields.",
    };

    public DesignOptions()
    {
        var a = Defaults.Array;
        var t = Defaults.Technology;
        Text("--nmos-model", "technology.nmos_model", "NMOS model name in the card", t.NmosModel, (d, v) => d with { Technology = d.Technology with { NmosModel = v } });
        Text("--pmos-model", "technology.pmos_model", "PMOS model name in the card", t.PmosModel, (d, v) => d with { Technology = d.Technology with { PmosModel = v } });
        Quantity("--vdd", "technology.vdd_volts", "V", "Supply voltage", t.VddVolts, (d, v) => d with { Technology = d.Technology with { VddVolts = v } });
        Text("--model-card", "technology.card", "Your own SPICE model card instead of PTM 16nm LP (with --nmos-model, --pmos-model)", CircuitDesign.BuiltInCard,
            (d, v) => d.WithCard(v));
        var tunneling = new Option<bool>("--gate-tunneling") { Description = "Keep BSIM4 gate tunnelling currents on (about 10x slower; moves results by ~0.2 mV)" };
        _overrides.Add(new(tunneling, "technology.gate_tunneling", (d, p) => d with { Technology = d.Technology with { GateTunneling = p.GetValue(tunneling) } }));
        Quantity("--vp-max", "array.vp_max_volts", "V", "Bitline precharge of MSB columns (VPmax)", a.VpMaxVolts, (d, v) => d with { Array = d.Array with { VpMaxVolts = v } });
        Quantity("--eval-window", "array.eval_window_seconds", "s", "Evaluation window", a.EvalWindowSeconds, (d, v) => d with { Array = d.Array with { EvalWindowSeconds = v } });
        Quantity("--bitline-cap", "array.bitline_capacitance_farads", "F", "Lumped capacitance per bitline (31-row load + wire)", a.BitlineCapacitanceFarads,
            (d, v) => d with { Array = d.Array with { BitlineCapacitanceFarads = v } });
        Quantity("--sumline-cap", "array.sum_line_capacitance_farads", "F", "Wire capacitance of each sum line", a.SumLineCapacitanceFarads,
            (d, v) => d with { Array = d.Array with { SumLineCapacitanceFarads = v } });
        Quantity("--precharge-boost", "array.precharge_boost_volts", "V", "Precharge PMOS gates are driven this far below 0 V", a.PrechargeBoostVolts,
            (d, v) => d with { Array = d.Array with { PrechargeBoostVolts = v } });
        Quantity("--share-boost", "array.share_boost_volts", "V", "Transmission-gate overdrive beyond the rails", a.ShareBoostVolts,
            (d, v) => d with { Array = d.Array with { ShareBoostVolts = v } });
        Whole("--columns", "array.columns", "Columns of the row (even; 2-bit elements use column pairs)", a.Columns, (d, v) => d with { Array = d.Array with { Columns = v } });
        Whole("--adc-bits", "adc.bits", "ADC resolution", Defaults.Adc.Bits, (d, v) => d with { Adc = d.Adc with { Bits = v } });
        Quantity("--adc-offset", "adc.offset_lsb", "", "ADC offset in LSB", Defaults.Adc.OffsetLsb, (d, v) => d with { Adc = d.Adc with { OffsetLsb = v } });
        Quantity("--adc-inl", "adc.inl_peak_lsb", "", "ADC integral non-linearity: bow peak at mid-scale in LSB", Defaults.Adc.InlPeakLsb,
            (d, v) => d with { Adc = d.Adc with { InlPeakLsb = v } });
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
        foreach (var o in _overrides)
            if (parse.GetResult(o.Option) is { Implicit: false })
                design = o.Apply(design, parse);
        design = design.Validated();
        return (design, DesignStamp.Of(design, path));
    }

    private void Quantity(string flag, string field, string unit, string description, double defaultValue, Func<CircuitDesign, double, CircuitDesign> apply)
    {
        string defaultText = unit.Length == 0 ? defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : Engineering.Format(defaultValue, unit);
        var option = new Option<double>(flag)
        {
            Description = $"{description} (design field {field}; default {defaultText})",
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (Engineering.TryParse(text, unit, out double value)) return value;
                result.AddError($"{flag} was '{text}'; it must be a number with an optional SI prefix{(unit.Length == 0 ? "" : " and unit " + unit)} (e.g. {defaultText}).");
                return 0;
            },
        };
        _overrides.Add(new(option, field, (d, p) => apply(d, p.GetValue(option))));
    }

    private void Whole(string flag, string field, string description, int defaultValue, Func<CircuitDesign, int, CircuitDesign> apply)
    {
        var option = new Option<int>(flag) { Description = $"{description} (design field {field}; default {defaultValue})" };
        _overrides.Add(new(option, field, (d, p) => apply(d, p.GetValue(option))));
    }

    private void Text(string flag, string field, string description, string defaultValue, Func<CircuitDesign, string, CircuitDesign> apply)
    {
        var option = new Option<string>(flag) { Description = $"{description} (design field {field}; default {defaultValue})" };
        _overrides.Add(new(option, field, (d, p) => apply(d, p.GetValue(option)!)));
    }
}

using Mbi.Circuit.Design;
using Mbi.Circuit.MonteCarlo;
using Mbi.Core.Units;

namespace Mbi.Cli.Commands;

/// <summary>
/// The options `mbi mc` and `mbi sweep` share: the die count, sigma(Vth) or Pelgrom's A_VT, seed, workers, saved
/// decks, and the design (<see cref="DesignOptions"/>). Built once here so both commands spell them the same way.
/// </summary>
internal sealed class CircuitOptions
{
    public Option<int> Samples { get; }
    public Option<double> SigmaVth { get; } = CommonOptions.Quantity("--sigma-vth", "V", "Std. deviation of every transistor's Vth shift", "60mV", 0, 0.5);
    public Option<double?> PelgromAvt { get; } = PelgromOption();
    public Option<string?> SaveDecks { get; } = SaveDecksOption("one subfolder point-N per sweep point");
    public Option<ulong> Seed { get; } = CommonOptions.Seed();
    public Option<int> Workers { get; } = CommonOptions.Workers();
    public Option<ReadOrder> ReadOrder { get; } = ReadOrderOption();
    public Option<DriverSimulation> Drivers { get; } = DriversOption();
    public DesignOptions Design { get; } = new();

    public CircuitOptions(int defaultSamples)
    {
        Samples = CommonOptions.Count("--samples", "Monte Carlo dies (also --dies, as cosim spells it)", defaultSamples, 1, 1_000_000);
        Samples.Aliases.Add("--dies");
    }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Samples, SigmaVth, PelgromAvt, SaveDecks, Seed, Workers, ReadOrder, Drivers })
            command.Options.Add(option);
        Design.AddTo(command);
    }

    /// <summary>
    /// --pelgrom-avt: A_VT in mV.um as datasheets and papers quote it ("1.36" or "1.36mV.um"); 1 mV.um = 1e-9 V.m.
    /// The range is the library's (VthMismatch), checked when the settings are validated.
    /// </summary>
    public static Option<double?> PelgromOption() => new("--pelgrom-avt")
    {
        Description = "Pelgrom coefficient A_VT in mV.um (e.g. 1.36 or 1.36mV.um; 1.36 gives 60 mV at W=32 nm, L=16 nm): each device's " +
                      "sigma(Vth) = A_VT / sqrt(W L) from its own size, instead of one --sigma-vth for all (default: off)",
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value.Trim() : "";
            string number = text.EndsWith("mV.um", StringComparison.OrdinalIgnoreCase) ? text[..^5] : text;
            if (double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double mvum) && double.IsFinite(mvum))
                return mvum * 1e-9;
            result.AddError($"--pelgrom-avt was '{text}'; it must be a number in mV.um, the unit optional (e.g. 1.36 or 1.36mV.um).");
            return null;
        },
    };

    /// <summary>--read-order staircase|random: the order each die reads its levels in (the permutation is drawn from --seed).</summary>
    public static Option<ReadOrder> ReadOrderOption() => OptionParsing.Choice("--read-order",
        "Order each die reads its distance levels in: staircase (one level at a time) or random (a permutation within " +
        "each mode drawn from --seed, so a read follows a level of any distance; results still reported per level) (default: staircase)",
        Circuit.MonteCarlo.ReadOrder.Staircase);

    /// <summary>--drivers replayed|simulated: the dies replay the nominal die's recorded driver outputs, or simulate every chain.</summary>
    public static Option<DriverSimulation> DriversOption() => OptionParsing.Choice("--drivers",
        "How the dies drive their lines: replayed (the nominal die simulates every driver chain and records its output; the dies " +
        "replay the recordings: the chains take no Vth draw; ~1.7x less CPU, sum lines within 0.03 mV) or simulated (every chain in every die) (default: replayed)",
        DriverSimulation.Replayed);

    /// <summary>--save-decks DIR: every deck the run simulates, runnable with `ngspice -b` (<paramref name="layout"/>).</summary>
    public static Option<string?> SaveDecksOption(string layout) => new("--save-decks")
    {
        Description = $"Folder for every deck simulated (nominal.cir, die-NNNNNN.cir; {layout}), each runnable with `ngspice -b` (default: none)",
    };

    /// <summary>The Monte Carlo settings and the stamp of the design they run.</summary>
    public (MonteCarloSettings Settings, CircuitDesign Design, DesignStamp Stamp) Settings(ParseResult parse)
    {
        var (design, stamp) = Design.Resolve(parse);
        string? decks = parse.GetValue(SaveDecks);
        var settings = design.ApplyTo(new MonteCarloSettings
        {
            Technology = design.Technology,
            Samples = parse.GetValue(Samples),
            Seed = parse.GetValue(Seed),
            SigmaVthVolts = parse.GetValue(SigmaVth),
            PelgromAvtVoltMeters = parse.GetValue(PelgromAvt),
            SaveDecksDirectory = decks is null ? null : OutputPaths.Folder("--save-decks", decks, "runs/decks"),
            Workers = parse.GetValue(Workers),
            ReadOrder = parse.GetValue(ReadOrder),
            Drivers = parse.GetValue(Drivers),
        }).Validated();
        return (settings, design, stamp);
    }

    /// <summary>One line per setting, for the human report.</summary>
    public static string Describe(MonteCarloSettings s, DesignStamp design)
    {
        var d = s.Design;
        string extra = d.BitlineCapacitanceFarads > 0 || d.SumLineCapacitanceFarads > 0
            ? $", extra load {Engineering.Format(d.BitlineCapacitanceFarads, "F")} per bitline, {Engineering.Format(d.SumLineCapacitanceFarads, "F")} per sum line" : "";
        return $"{s.Samples} dies, {s.Mismatch}, VPmax {Engineering.Format(d.VpMaxVolts, "V")}, VDD {Engineering.Format(s.Technology.VddVolts, "V")}, " +
               $"eval window {Engineering.Format(d.EvalWindowSeconds, "s")}, {DesignOptions.Kebab(d.RowSelect.ToString())} row select, " +
               $"{DesignOptions.Kebab(d.Rails.ToString())} rails ({Circuit.Netlists.GateStress.Of(s.Technology, d).Describe()}), " +
               $"{d.Rows} rows ({DesignOptions.Kebab(d.UnselectedRows.ToString())} unselected){extra}, {d.Columns} columns, {s.AdcBits}-bit ADC, " +
               $"{s.Technology.Name} at {s.Technology.Conditions}, seed {s.Seed}, levels read in {DesignOptions.Kebab(s.ReadOrder.ToString())} order, driver chains {DesignOptions.Kebab(s.Drivers.ToString())} in the dies; design {design.Source ?? "defaults"} (sha256 {design.Sha256[..12]})";
    }
}

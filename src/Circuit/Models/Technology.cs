using System.Reflection;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Models;

/// <summary>
/// A transistor technology: the BSIM model card text, the names of its nmos and pmos models, the
/// supply and the minimum device size, and the operating conditions (corner, temperature) every bench
/// is simulated at. The default is PTM 16 nm LP (netlists/models/ptm16lp.lib); a user's own card is
/// read with <see cref="FromFile"/>.
/// </summary>
public sealed partial record Technology
{
    /// <summary>The allowed supply range in volts (<see cref="VddVolts"/>).</summary>
    public const double MinVddVolts = 0.5, MaxVddVolts = 1.2;

    private readonly double _vddVolts;

    /// <summary>A display name for the technology (e.g. "PTM 16nm LP (ASU)" or the card's file name).</summary>
    public required string Name { get; init; }
    /// <summary>The SPICE model card text as read (see <see cref="ModelCardForNetlist"/> for what netlists get).</summary>
    public required string ModelCard { get; init; }
    /// <summary>Name of the card's NMOS model (e.g. ptmlp16n).</summary>
    public required string NmosModel { get; init; }
    /// <summary>Name of the card's PMOS model (e.g. ptmlp16p).</summary>
    public required string PmosModel { get; init; }

    /// <summary>
    /// The cell supply, which also sets the query-line swing and the control-gate levels of every bench
    /// (VPmax is the separate ArrayDesign.VpMaxVolts). 0.5..1.2 V; PTM 16 nm LP's nominal is 0.9 V.
    /// </summary>
    public required double VddVolts
    {
        get => _vddVolts;
        init
        {
            if (!(value >= MinVddVolts) || value > MaxVddVolts)
                throw BadInputException.For("VddVolts", Core.Units.Engineering.Format(value, "V"),
                    $"between {Core.Units.Engineering.Format(MinVddVolts, "V")} and {Core.Units.Engineering.Format(MaxVddVolts, "V")}", "0.9V");
            _vddVolts = value;
        }
    }

    /// <summary>The card's global corners and their source; null for a user's card given without a corner table.</summary>
    public TechnologyCorners? Corners { get; init; }

    /// <summary>Corner and temperature every bench of this technology is simulated at (default TT, 27 C).</summary>
    public OperatingConditions Conditions { get; init; } = OperatingConditions.Typical;
    /// <summary>Minimum (drawn) channel length in metres (16e-9 for PTM 16 nm).</summary>
    public required double LengthMeters { get; init; }
    /// <summary>Minimum device width in metres (32e-9 for PTM 16 nm).</summary>
    public required double WidthMeters { get; init; }

    /// <summary>
    /// Capacitance per metre of a minimum-pitch local copper wire (bitlines, query lines, sum lines):
    /// 0.2 fF/um = 2 pF/cm, the ITRS interconnect tables' figure for Metal 1 / intermediate wiring at
    /// the 16/14 nm nodes (ITRS 2013, Interconnect chapter; docs/circuit.md says what was and was not
    /// checked). Line loads are this times the line's length in cell pitches; the devices on a line are
    /// simulated, not added here.
    /// </summary>
    public double WireCapacitanceFaradsPerMeter { get; init; } = 0.2e-9;

    /// <summary>
    /// Cell pitch along a column (the bitline and query-line direction): 0.2 um. Derived from a published
    /// 16 nm-class 6T cell (TSMC 16FF high-density cell, 0.07 um^2, IEDM 2013): a thin cell about
    /// 0.2 um x 0.35 um, whose height the 10T/12T cells keep (their read stacks sit beside the 6T core).
    /// </summary>
    public double CellHeightMeters { get; init; } = 0.2e-6;

    /// <summary>
    /// Cell pitch along a row (the word-line and sum-line direction): 0.6 um, the 6T cell's 0.35 um plus
    /// the 10T read port's two stacks (about 0.25 um); an estimate, not a layout (docs/circuit.md).
    /// </summary>
    public double CellWidthMeters { get; init; } = 0.6e-6;

    /// <summary>
    /// Per-instance BSIM4 switches: the body and gate resistance networks are turned off; this halves
    /// the run time with no visible change in the sum-line voltages.
    /// </summary>
    public string DeviceFlags { get; init; } = "rbodymod=0 rgatemod=0";

    /// <summary>
    /// BSIM4 gate-tunnelling currents (igcmod, igbmod). Off by default: with them on a row transient
    /// takes about 10x longer and the settled sum-line voltages move by about 0.2 mV (measured on the
    /// nominal staircase; docs/circuit.md). They are model-level switches, so the card is rewritten.
    /// </summary>
    public bool GateTunneling { get; init; }

    /// <summary>
    /// The model card as written into netlists: gate tunnelling switched per <see cref="GateTunneling"/>,
    /// the corner's vth0/u0 rewritten in the two models, and a <c>.temp</c> line when the temperature is not
    /// the card's 27 C. At TT and 27 C the text is the card itself (so existing decks and journals are unchanged).
    /// </summary>
    public string ModelCardForNetlist
    {
        get
        {
            string card = GateTunneling ? ModelCard : TunnelingSwitch().Replace(ModelCard, m => m.Groups[1].Value + "0");
            if (Conditions.IsNominal) return card;
            var corner = Conditions.Corner;
            if (!corner.IsTypical)
            {
                card = ModelCardRewriter.Apply(card, NmosModel, corner.NmosAbsVthShiftVolts, corner.NmosMobilityFactor, Name);
                card = ModelCardRewriter.Apply(card, PmosModel, corner.PmosAbsVthShiftVolts, corner.PmosMobilityFactor, Name);
            }
            string t = Conditions.TemperatureCelsius.ToString("G12", System.Globalization.CultureInfo.InvariantCulture);
            return $"* operating conditions: corner {corner.Name} (|Vth| nmos {Signed(corner.NmosAbsVthShiftVolts)} V, u0 x{Factor(corner.NmosMobilityFactor)}; " +
                   $"pmos {Signed(corner.PmosAbsVthShiftVolts)} V, u0 x{Factor(corner.PmosMobilityFactor)}), {t} C\n" +
                   $".temp {t}\n" + card;
        }
    }

    /// <summary>This technology at a named corner (from <see cref="Corners"/>) and temperature.</summary>
    public Technology At(string corner, double temperatureCelsius)
    {
        ProcessCorner found = corner.Trim().Equals("TT", StringComparison.OrdinalIgnoreCase) && Corners is null
            ? ProcessCorner.Typical
            : (Corners ?? throw BadInputException.For("Corner", corner, $"TT: the card '{Name}' was given without a corner table", "TT, or give a corner table"))
                .Find(corner);
        return this with { Conditions = new OperatingConditions { Corner = found, TemperatureCelsius = temperatureCelsius } };
    }

    /// <summary>The same corner at another temperature (a sweep's temp axis).</summary>
    public Technology WithTemperature(double temperatureCelsius) => At(Conditions.Corner.Name, temperatureCelsius);

    /// <summary>Another corner at the same temperature (a sweep's corner axis).</summary>
    public Technology WithCorner(string corner) => At(corner, Conditions.TemperatureCelsius);

    private static string Signed(double v) => (v >= 0 ? "+" : "") + v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
    private static string Factor(double v) => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(ig[cb]mod\s*=\s*)1\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex TunnelingSwitch();

    /// <summary>The design file section these fields live in.</summary>
    public const string Section = "technology";

    /// <summary>Checks the numbers a design file can set; a message names the field (e.g. technology.vdd_volts).</summary>
    public Technology Validated()
    {
        Check(nameof(VddVolts), VddVolts, 0.1, 5, "V", "0.9V");
        Check(nameof(LengthMeters), LengthMeters, 1e-9, 1e-5, "m", "16nm");
        Check(nameof(WidthMeters), WidthMeters, 1e-9, 1e-4, "m", "32nm");
        Check(nameof(WireCapacitanceFaradsPerMeter), WireCapacitanceFaradsPerMeter, 0, 1e-8, "F/m", "0.2nF/m");
        Check(nameof(CellHeightMeters), CellHeightMeters, 1e-9, 1e-4, "m", "200nm");
        Check(nameof(CellWidthMeters), CellWidthMeters, 1e-9, 1e-4, "m", "600nm");
        return this;
    }

    private static void Check(string property, double value, double min, double max, string unit, string example)
    {
        if (!(value >= min && value <= max))
            throw BadInputException.For(Design.DesignField.Name(Section, property), Core.Units.Engineering.Format(value, unit),
                $"between {Core.Units.Engineering.Format(min, unit)} and {Core.Units.Engineering.Format(max, unit)}", example);
    }

    /// <summary>PTM 16 nm low-power bulk BSIM4 (nominal VDD 0.9 V), minimum-sized devices W=32 nm, L=16 nm.</summary>
    public static Technology Ptm16Lp() => new()
    {
        Name = "PTM 16nm LP (ASU)",
        ModelCard = Resources.Read("models.ptm16lp.lib"),
        NmosModel = "ptmlp16n",
        PmosModel = "ptmlp16p",
        VddVolts = 0.9,
        LengthMeters = 16e-9,
        WidthMeters = 32e-9,
        Corners = TechnologyCorners.Ptm16Lp(),
    };

    /// <summary>Reads a user's model card; it must define the two named models.</summary>
    /// <param name="corners">The card's corner table (<see cref="TechnologyCorners.FromFile"/>); null: only TT is available.</param>
    public static Technology FromFile(string path, string nmosModel, string pmosModel, double vddVolts,
        double lengthMeters, double widthMeters, TechnologyCorners? corners = null)
    {
        if (!File.Exists(path))
            throw BadInputException.For("technology.card", path, "an existing SPICE model card file", "netlists/models/ptm16lp.lib");
        string text = File.ReadAllText(path);
        foreach (string model in new[] { nmosModel, pmosModel })
            if (text.IndexOf(".model " + model, StringComparison.OrdinalIgnoreCase) < 0
                && text.IndexOf(".model  " + model, StringComparison.OrdinalIgnoreCase) < 0)
                throw new FileFormatException(path, $"no '.model {model}' line", "name the card's nmos and pmos models in technology.nmos_model and technology.pmos_model");
        return new Technology
        {
            Name = Path.GetFileName(path), ModelCard = text, NmosModel = nmosModel, PmosModel = pmosModel,
            VddVolts = vddVolts, LengthMeters = lengthMeters, WidthMeters = widthMeters, Corners = corners,
        };
    }
}

/// <summary>The netlist files embedded from netlists/.</summary>
internal static class Resources
{
    public static string Read(string relativeName)
    {
        string name = "Mbi.Circuit.netlists." + relativeName;
        using Stream? stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded netlist '{name}' is missing from Mbi.Circuit (check the csproj)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

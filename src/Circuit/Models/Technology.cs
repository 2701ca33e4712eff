using System.Reflection;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Models;

/// <summary>
/// A transistor technology: the BSIM model card text, the names of its nmos and pmos models, the
/// nominal supply and the minimum device size. The default is PTM 16 nm LP (netlists/models/ptm16lp.lib);
/// a user's own card is read with <see cref="FromFile"/>.
/// </summary>
internal sealed partial record Technology
{
    public required string Name { get; init; }
    public required string ModelCard { get; init; }
    public required string NmosModel { get; init; }
    public required string PmosModel { get; init; }
    public required double VddVolts { get; init; }
    public required double LengthMeters { get; init; }
    public required double WidthMeters { get; init; }

    /// <summary>
    /// Capacitance per metre of a minimum-pitch local wire (bitlines, query lines, word and source lines).
    /// PROVISIONAL (0.2 fF/um, the usual local-interconnect figure): the array work replaces it with a
    /// sourced value; line loads are built as this times the line length (cells x pitch).
    /// </summary>
    public double WireCapacitanceFaradsPerMeter { get; init; } = 0.2e-9;

    /// <summary>Cell pitch along a column (the bitline and query-line direction). PROVISIONAL, to be sourced.</summary>
    public double CellHeightMeters { get; init; } = 0.2e-6;

    /// <summary>Cell pitch along a row (the word-line and source-line direction). PROVISIONAL, to be sourced.</summary>
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

    /// <summary>The model card as written into netlists (gate tunnelling switched per <see cref="GateTunneling"/>).</summary>
    public string ModelCardForNetlist => GateTunneling
        ? ModelCard
        : TunnelingSwitch().Replace(ModelCard, m => m.Groups[1].Value + "0");

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
    };

    /// <summary>Reads a user's model card; it must define the two named models.</summary>
    public static Technology FromFile(string path, string nmosModel, string pmosModel, double vddVolts,
        double lengthMeters, double widthMeters)
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
            VddVolts = vddVolts, LengthMeters = lengthMeters, WidthMeters = widthMeters,
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

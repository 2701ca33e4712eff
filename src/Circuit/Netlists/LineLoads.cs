using System.Globalization;
using System.Text.RegularExpressions;
using Mbi.Circuit.Models;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Netlists;

/// <summary>
/// Capacitive loads of the array's lines, from the technology: a minimum transistor's gate capacitance
/// (from the model card: oxide Cox W L plus both overlap capacitances) and the wire (capacitance per metre
/// x cells x pitch). Query lines run along a column (all rows' query gates); word, source, precharge-gate
/// and transmission-gate lines run along a row.
/// </summary>
internal static partial class LineLoads
{
    private const double VacuumPermittivity = 8.8541878128e-12;

    /// <summary>
    /// Gate capacitance of one minimum NMOS in strong inversion: epsrox eps0 / toxe x W x L + (cgso + cgdo) x W,
    /// from the first model of the card (the fringe term cf is left out, so this is a lower bound).
    /// </summary>
    public static double MinimumGateFarads(Technology technology)
    {
        string card = technology.ModelCard;
        double toxe = Parameter(card, "toxe"), epsrox = Parameter(card, "epsrox");
        double cgso = Parameter(card, "cgso"), cgdo = Parameter(card, "cgdo");
        double w = technology.WidthMeters, l = technology.LengthMeters;
        return epsrox * VacuumPermittivity / toxe * w * l + (cgso + cgdo) * w;
    }

    /// <summary>Wire capacitance of a line across <paramref name="cells"/> cells of pitch <paramref name="pitchMeters"/>.</summary>
    public static double WireFarads(Technology technology, int cells, double pitchMeters) =>
        technology.WireCapacitanceFaradsPerMeter * cells * pitchMeters;

    private static double Parameter(string card, string name)
    {
        var m = Regex.Match(card, @"\b" + name + @"\s*=\s*([0-9.eE+-]+)", RegexOptions.IgnoreCase);
        if (!m.Success)
            throw new BadInputException($"the model card has no '{name}='; it must define it to size the drivers (e.g. the shipped PTM 16 nm LP card).");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}

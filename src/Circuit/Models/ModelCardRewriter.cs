using System.Globalization;
using System.Text.RegularExpressions;
using Mbi.Core.Errors;

namespace Mbi.Circuit.Models;

/// <summary>
/// Rewrites one model of a BSIM card for a global corner: vth0 moves by the |Vth| shift away from zero
/// (NMOS vth0 &gt; 0 rises, PMOS vth0 &lt; 0 falls) and u0 is scaled. Only the named model's block (from its
/// <c>.model</c> line to the next <c>.model</c>) is touched, and only the plain vth0/u0 parameters (not
/// the binning lvth0/wvth0/pvth0), so the rest of the card stays byte for byte.
/// </summary>
internal static partial class ModelCardRewriter
{
    public static string Apply(string card, string model, double absVthShiftVolts, double mobilityFactor, string technologyName)
    {
        var start = ModelLine(model).Match(card);
        if (!start.Success)
            throw new FileFormatException(technologyName, $"no '.model {model}' line to apply the corner to", "name the card's models correctly");
        int end = NextModel().Match(card, start.Index + start.Length) is { Success: true } next ? next.Index : card.Length;
        string block = card[start.Index..end];
        int vth0Count = 0, u0Count = 0;
        block = Parameter("vth0").Replace(block, m =>
        {
            vth0Count++;
            double v = Read(m, technologyName, model, "vth0");
            double shifted = v + (v < 0 ? -absVthShiftVolts : absVthShiftVolts);
            return m.Groups[1].Value + shifted.ToString("G12", CultureInfo.InvariantCulture);
        });
        block = Parameter("u0").Replace(block, m =>
        {
            u0Count++;
            double u = Read(m, technologyName, model, "u0");
            return m.Groups[1].Value + (u * mobilityFactor).ToString("G12", CultureInfo.InvariantCulture);
        });
        if (vth0Count != 1 || u0Count != 1)
            throw new FileFormatException(technologyName, $"model {model} has {vth0Count} vth0 and {u0Count} u0 parameters (a corner needs exactly one of each)",
                "give the card explicit vth0 and u0 values, or simulate it at TT only");
        return string.Concat(card.AsSpan(0, start.Index), block, card.AsSpan(end));
    }

    private static double Read(Match m, string technologyName, string model, string parameter)
    {
        if (!double.TryParse(m.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new FileFormatException(technologyName, $"model {model}: {parameter} = '{m.Groups[2].Value}' is not a plain number", "write it as a number to apply corners");
        return value;
    }

    private static Regex ModelLine(string model) =>
        new(@"^\s*\.model\s+" + Regex.Escape(model) + @"\s", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^\s*\.model\s", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex NextModel();

    private static Regex Parameter(string name) =>
        new(@"(?<![\w])(" + name + @"\s*=\s*)([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}

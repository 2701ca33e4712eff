using System.Globalization;
using Mbi.Core.Errors;

namespace Mbi.Core.Units;

/// <summary>
/// Engineering notation for physical quantities: parses "60mV", "1.5fF", "3ns", "0.9", "2e-9s" into SI
/// doubles and prints them back with a prefix ("28.1 mV"). SPICE-style "meg" is accepted for 1e6.
/// Negative values parse as typed ("-40C", "-40", "-5mV", also with the Unicode minus sign), and the
/// unit "C" (degrees Celsius, for temperatures) also accepts "°C".
/// </summary>
public static class Engineering
{
    // Sub-unit prefixes divide by an exact power of ten (3 / 1e9 is the double nearest 3e-9;
    // 3 * 1e-9 is not), so "3ns" prints back as 3E-09 and compares equal to 3e-9.
    private static readonly (string Prefix, double Multiplier, double Divisor)[] Prefixes =
    [
        ("meg", 1e6, 1), ("T", 1e12, 1), ("G", 1e9, 1), ("M", 1e6, 1), ("k", 1e3, 1),
        ("m", 1, 1e3), ("u", 1, 1e6), ("µ", 1, 1e6), ("n", 1, 1e9), ("p", 1, 1e12), ("f", 1, 1e15), ("a", 1, 1e18),
    ];

    /// <summary>Parses a value whose unit, if written, must be <paramref name="unit"/> (e.g. "V", "s", "F").</summary>
    /// <param name="text">The value as typed, e.g. "60mV".</param>
    /// <param name="unit">The SI unit the value is in.</param>
    /// <param name="optionName">Used in the error message, e.g. "--sigma-vth".</param>
    public static double Parse(string text, string unit, string optionName)
    {
        if (TryParse(text, unit, out double value)) return value;
        throw new BadInputException($"{optionName} was '{text}'; it must be {AcceptedForms(unit)}.");
    }

    /// <summary>What <see cref="TryParse"/> accepts for <paramref name="unit"/>, with examples, for error messages.</summary>
    public static string AcceptedForms(string unit) => unit switch
    {
        "" => "a plain number (e.g. 0.5, 5e-1)",
        "C" => "a temperature in Celsius, the unit C optional (e.g. -40, -40C, 125C)",
        _ => $"a number with an optional SI prefix (a f p n u m k meg G T) and optional unit {unit}, as SPICE writes it (e.g. {unit switch
        {
            "V" => "60m, 60mV, 0.06",
            "s" => "3n, 3ns, 3e-9",
            "F" => "4f, 4fF, 4e-15",
            _ => $"1m, 1m{unit}, 1e-3",
        }})",
    };

    /// <summary>Parses <paramref name="text"/> (e.g. "60mV") as an SI value in <paramref name="unit"/>; false if it is not a number in that unit.</summary>
    public static bool TryParse(string? text, string unit, out double value)
    {
        value = double.NaN;
        if (string.IsNullOrWhiteSpace(text)) return false;
        string s = text.Trim().Replace(" ", "").Replace('\u2212', '-');
        if (unit == "C" && s.EndsWith("°C", StringComparison.OrdinalIgnoreCase)) s = s[..^2] + "C";
        if (unit.Length > 0 && s.EndsWith(unit, StringComparison.Ordinal)) s = s[..^unit.Length];
        // A unit in the other case ("3nS", "60mv") is the unit, unless that letter is a prefix: "4f" is 4 femto (SPICE), not 4 F.
        else if (unit.Length > 0 && s.EndsWith(unit, StringComparison.OrdinalIgnoreCase) && !Prefixes.Any(p => p.Prefix == s[^unit.Length..])) s = s[..^unit.Length];
        double multiplier = 1, divisor = 1;
        foreach (var (prefix, up, down) in Prefixes)
        {
            if (s.Length > prefix.Length && s.EndsWith(prefix, StringComparison.Ordinal)
                && (char.IsDigit(s[^(prefix.Length + 1)]) || s[^(prefix.Length + 1)] == '.'))
            {
                s = s[..^prefix.Length];
                (multiplier, divisor) = (up, down);
                break;
            }
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
            return false;
        value = number * multiplier / divisor;
        return true;
    }

    /// <summary>Formats an SI value with an engineering prefix and the unit, e.g. 0.0281 V to "28.1 mV".</summary>
    public static string Format(double value, string unit, int significantDigits = 3)
    {
        if (value == 0 || !double.IsFinite(value))
            return value.ToString(CultureInfo.InvariantCulture) + " " + unit;
        double magnitude = Math.Abs(value);
        (string prefix, double scale) = magnitude switch
        {
            >= 1e12 => ("T", 1e12), >= 1e9 => ("G", 1e9), >= 1e6 => ("M", 1e6), >= 1e3 => ("k", 1e3),
            >= 1 => ("", 1.0), >= 1e-3 => ("m", 1e-3), >= 1e-6 => ("u", 1e-6), >= 1e-9 => ("n", 1e-9),
            >= 1e-12 => ("p", 1e-12), >= 1e-15 => ("f", 1e-15), _ => ("a", 1e-18),
        };
        double scaled = value / scale;
        int decimals = Math.Max(0, significantDigits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(scaled))));
        return scaled.ToString("F" + decimals, CultureInfo.InvariantCulture) + " " + prefix + unit;
    }
}

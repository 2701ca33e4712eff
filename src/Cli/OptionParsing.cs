using Mbi.Core.Units;

namespace Mbi.Cli;

/// <summary>
/// How every option's text becomes a value, with the house-style message for anything else: one parser for
/// whole numbers and one for quantities with engineering suffixes, shared by <see cref="CommonOptions"/> and
/// <see cref="DesignOptions"/>. They never throw; a bad value is reported through the parse result.
/// </summary>
internal static class OptionParsing
{
    /// <summary>
    /// A whole number in [min, max] with the house-style message for anything else ("abc", "1.5", "20k", a value past
    /// the type's range): "--samples was '1.5'; it must be a whole number between 1 and 1000000 (e.g. 200)." Never throws.
    /// </summary>
    public static decimal Whole(System.CommandLine.Parsing.ArgumentResult result, string name, decimal min, decimal max, ulong example)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        name = Typed(result, name);
        string range = min <= int.MinValue ? "" : max >= int.MaxValue ? $">= {min}" : $"between {min} and {max}";
        if (!decimal.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out decimal value))
        {
            string hint = text.Length > 1 && char.IsLetter(text[^1]) ? " written out in digits" : "";
            result.AddError($"{name} was '{text}'; it must be a whole number{hint}{(range.Length == 0 ? "" : " " + range)} (e.g. {example}).");
            return Math.Max(min, 0);
        }
        if (value < min || value > max)
        {
            result.AddError($"{name} was {text}; it must be {range} (e.g. {example}).");
            return Math.Max(min, 0);
        }
        return value;
    }

    /// <summary>The spelling the user typed (an alias such as --dies for --samples), for the message.</summary>
    public static string Typed(System.CommandLine.Parsing.ArgumentResult result, string name) =>
        result.Parent is System.CommandLine.Parsing.OptionResult { IdentifierToken.Value: string typed } && typed.StartsWith('-') ? typed : name;

    /// <summary>Parses a finite real in [min, max] or adds the house-style error (and returns null).</summary>
    public static double? Real(System.CommandLine.Parsing.ArgumentResult result, string name, double min, double max, string example, bool single = false)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        name = Typed(result, name);
        string range = RangeText(min, max, "");
        if (!double.TryParse(text.Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value)
            || !double.IsFinite(value) || single && !float.IsFinite((float)value))
        {
            result.AddError($"{name} was '{text}'; it must be a finite number{(range == "a finite number" ? "" : " " + range)} (e.g. {example}).");
            return null;
        }
        if (value < min || value > max)
        {
            result.AddError($"{name} was {text}; it must be {range} (e.g. {example}).");
            return null;
        }
        return value;
    }

    public static string RangeText(double min, double max, string unit)
    {
        // Unitless bounds are counts: print them as plain numbers, not "1.02 k".
        string Text(double v) => unit.Length == 0
            ? v.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : Engineering.Format(v, unit);
        return (double.IsNegativeInfinity(min), double.IsPositiveInfinity(max) || max == int.MaxValue) switch
        {
            (true, true) => "a finite number",
            (false, true) => $">= {Text(min)}",
            (true, false) => $"<= {Text(max)}",
            _ => $"between {Text(min)} and {Text(max)}",
        };
    }

    /// <summary>A number with an optional SI prefix and unit ("60mV", "3ns", "1.5fF"); no range (the caller's or the library's).</summary>
    public static double Quantity(System.CommandLine.Parsing.ArgumentResult result, string flag, string unit) =>
        TryQuantity(result, flag, unit, out double value) ? value : 0;

    /// <summary>As <see cref="Quantity"/>, saying whether the text was a quantity (if not, the error is already reported).</summary>
    public static bool TryQuantity(System.CommandLine.Parsing.ArgumentResult result, string flag, string unit, out double value)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (Engineering.TryParse(text, unit, out value)) return true;
        result.AddError($"{flag} was '{text}'; it must be {Engineering.AcceptedForms(unit)}.");
        return false;
    }

    /// <summary>
    /// An enum option typed in kebab case (RowGated -> row-gated), any letter case, with the house-style message for anything
    /// else: "--drivers was 'fast'; it must be one of replayed, simulated (e.g. replayed)." Help and completion list the names.
    /// </summary>
    public static System.CommandLine.Option<T> Choice<T>(string flag, string description, T defaultValue) where T : struct, Enum
    {
        var names = Enum.GetValues<T>().ToDictionary(v => Kebab(v.ToString()), v => v);
        var option = new System.CommandLine.Option<T>(flag)
        {
            Description = description,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (names.TryGetValue(text.Trim().ToLowerInvariant(), out T value)) return value;
                result.AddError($"{flag} was '{text}'; it must be one of {string.Join(", ", names.Keys)} (e.g. {Kebab(defaultValue.ToString())}).");
                return defaultValue;
            },
            DefaultValueFactory = _ => defaultValue,
        };
        option.HelpName = string.Join("|", names.Keys);
        option.CompletionSources.Clear();
        option.CompletionSources.Add(names.Keys.ToArray());
        return option;
    }

    /// <summary>RowGated -> row-gated, as the flags spell enum values.</summary>
    public static string Kebab(string name) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}

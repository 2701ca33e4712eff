using Mbi.Circuit.Design;
using Mbi.Core.Units;

namespace Mbi.Cli;

/// <summary>How each override flag is built: its parser, its help text (the design field and the default) and how it sets the field.</summary>
internal sealed partial class DesignOptions
{
    private T Conditions<T>(T option, string field) where T : Option
    {
        _overrides.Add(new(option, field, null));
        return option;
    }

    private void Quantity(string flag, string field, string unit, string description, double defaultValue, Func<CircuitDesign, double, CircuitDesign> apply)
    {
        string defaultText = unit.Length == 0 ? defaultValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : Engineering.Format(defaultValue, unit);
        var option = new Option<double>(flag)
        {
            Description = $"{description} (design field {field}; default {defaultText})",
            CustomParser = result => OptionParsing.Quantity(result, flag, unit), // the range is the library's, checked when the design is validated
        };
        _overrides.Add(new(option, field, (d, p) => apply(d, p.GetValue(option))));
    }

    private void Whole(string flag, string field, string description, int defaultValue, Func<CircuitDesign, int, CircuitDesign> apply)
    {
        var option = new Option<int>(flag)
        {
            Description = $"{description} (design field {field}; default {defaultValue})",
            CustomParser = r => (int)OptionParsing.Whole(r, flag, int.MinValue, int.MaxValue, (ulong)defaultValue),
        };
        _overrides.Add(new(option, field, (d, p) => apply(d, p.GetValue(option))));
    }

    /// <summary>An enum field, typed in kebab case (RowGated -> row-gated).</summary>
    private void Choice<T>(string flag, string field, string description, T defaultValue, Func<CircuitDesign, T, CircuitDesign> apply) where T : struct, Enum
    {
        var option = OptionParsing.Choice(flag, $"{description} (design field {field}; default {Kebab(defaultValue.ToString())})", defaultValue);
        _overrides.Add(new(option, field, (d, p) => apply(d, p.GetValue(option))));
    }

    /// <summary>RowGated -> row-gated, as the flags spell enum values.</summary>
    public static string Kebab(string name) => OptionParsing.Kebab(name);

    private Option<string> Text(string flag, string field, string description, string defaultValue, Func<CircuitDesign, string, CircuitDesign> apply)
    {
        var option = new Option<string>(flag) { Description = $"{description} (design field {field}; default {defaultValue})" };
        _overrides.Add(new(option, field, (d, p) => apply(d, p.GetValue(option)!)));
        return option;
    }
}

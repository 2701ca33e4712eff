using Mbi.Circuit.Adc;

namespace Mbi.Cli.Commands;

/// <summary>`--adc spice|neurosim|survey`: which ADC model prices a conversion (<see cref="AdcEnergyModel"/>).</summary>
internal static class AdcModelOption
{
    public static Option<AdcModel?> Create() => new("--adc")
    {
        Description = "ADC energy model: spice (Mbi's transistor-level SAR in ngspice, 32 conversions, about 2.5 min), " +
                      "neurosim (NeuroSim's SAR fit, the paper's ref. [9]) or survey (Walden FoM from Murmann's ADC survey) " +
                      "(default: spice; the band always spans all three)",
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            foreach (var model in Enum.GetValues<AdcModel>())
                if (string.Equals(text.Trim(), model.ToString(), StringComparison.OrdinalIgnoreCase)) return model;
            result.AddError($"--adc was '{text}'; it must be spice, neurosim or survey (e.g. neurosim).");
            return null;
        },
    };
}

using Mbi.Core.Errors;

namespace Mbi.Circuit.Leakage;

/// <summary>
/// Leakage energy of an inference: leaking cells x static power per cell x inference time x (1 - power-gating
/// fraction), plus the periphery's static power x time (the periphery is taken as not gated). The power-gating
/// fraction is the share of cells whose supply is cut while the inference runs; it defaults to 0 (no gating:
/// every stored cell leaks for the whole inference), which is what the array as designed does.
/// </summary>
internal sealed record LeakageEnergy
{
    public required double Cells { get; init; }
    public required double CellPowerWatts { get; init; }
    public required double PeripheryPowerWatts { get; init; }
    public required double InferenceSeconds { get; init; }
    public double PowerGatingFraction { get; init; }

    public LeakageEnergy Validated()
    {
        if (!(Cells >= 0)) throw BadInputException.For("cells", Cells, ">= 0", "42e6");
        if (!(CellPowerWatts >= 0)) throw BadInputException.For("cell leakage power", CellPowerWatts, ">= 0 W", "3.3e-12");
        if (!(PeripheryPowerWatts >= 0)) throw BadInputException.For("periphery leakage power", PeripheryPowerWatts, ">= 0 W", "1e-9");
        if (!(InferenceSeconds >= 0)) throw BadInputException.For("inference time", InferenceSeconds, ">= 0 s", "6.5e-6");
        if (!(PowerGatingFraction is >= 0 and < 1)) throw BadInputException.For("power_gating_fraction", PowerGatingFraction, "in [0, 1)", "0");
        return this;
    }

    public double CellJoules => Cells * CellPowerWatts * InferenceSeconds * (1 - PowerGatingFraction);
    public double PeripheryJoules => PeripheryPowerWatts * InferenceSeconds;
    public double TotalJoules => CellJoules + PeripheryJoules;
}

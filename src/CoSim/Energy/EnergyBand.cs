using Mbi.Core.Errors;

namespace Mbi.CoSim.Energy;

/// <summary>
/// An energy with its spread: minimum, typical and maximum (joules). A single figure is a band of width zero; a
/// published efficiency range gives Min (best) and Max (worst) with Typical = Min, the published best case.
/// </summary>
internal readonly record struct EnergyBand
{
    public EnergyBand(double min, double typical, double max)
    {
        if (!(min >= 0 && min <= typical && typical <= max && double.IsFinite(max)))
            throw new BadInputException($"energy band was ({min:G4}, {typical:G4}, {max:G4}) J; it must satisfy 0 <= min <= typical <= max (e.g. 1e-9, 2e-9, 3e-9).");
        Min = min;
        Typical = typical;
        Max = max;
    }

    public double Min { get; }
    public double Typical { get; }
    public double Max { get; }

    public bool IsPoint => Min == Max;

    public static EnergyBand Point(double joules) => new(joules, joules, joules);

    public EnergyBand Scaled(double factor) => new(Min * factor, Typical * factor, Max * factor);
}

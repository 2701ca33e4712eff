using Mbi.Core.Errors;

namespace Mbi.Algorithm.Memorization.Keys;

/// <summary>
/// The weights of Eq. 1, D = (a M_p + b M_h + c M_l) / (a + b + c). Only their ratios matter for the
/// nearest key; the normalisation keeps a threshold T comparable between weightings.
/// </summary>
public readonly record struct DistanceWeights
{
    /// <summary>Weights a (patch), b (hidden), c (location); each finite and >= 0, not all zero.</summary>
    public DistanceWeights(double patch, double hidden, double location)
    {
        Check(nameof(patch), patch);
        Check(nameof(hidden), hidden);
        Check(nameof(location), location);
        if (patch + hidden + location <= 0)
            throw BadInputException.For("distance weights (a, b, c)", $"({patch}, {hidden}, {location})", "not all zero", "1, 1, 1");
        (Patch, Hidden, Location) = (patch, hidden, location);
    }

    /// <summary>a: weight of the patch distance.</summary>
    public double Patch { get; }
    /// <summary>b: weight of the hidden-state distance.</summary>
    public double Hidden { get; }
    /// <summary>c: weight of the location distance.</summary>
    public double Location { get; }

    /// <summary>a + b + c (the normaliser of Eq. 1).</summary>
    public double Sum => Patch + Hidden + Location;

    /// <summary>a = b = c: the unweighted distance the paper compares against.</summary>
    public static DistanceWeights Unweighted => new(1, 1, 1);

    /// <summary>The weight of <paramref name="component"/>.</summary>
    public double Of(KeyComponent component) => component switch
    {
        KeyComponent.Patch => Patch,
        KeyComponent.Hidden => Hidden,
        _ => Location,
    };

    /// <summary>"a=..., b=..., c=..." (invariant culture).</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"a={Patch:G4}, b={Hidden:G4}, c={Location:G4}");

    private static void Check(string name, double value)
    {
        if (!double.IsFinite(value) || value < 0)
            throw BadInputException.For($"distance weight {name}", value, "a finite number >= 0", "1");
    }
}

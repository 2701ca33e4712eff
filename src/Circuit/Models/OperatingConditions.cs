using Mbi.Core.Errors;

namespace Mbi.Circuit.Models;

/// <summary>
/// Where on the process/temperature map a die is simulated: the global process corner and the junction
/// temperature. Carried by <see cref="Technology"/> (the supply is <see cref="Technology.VddVolts"/>), so
/// every bench that writes <see cref="Technology.ModelCardForNetlist"/> inherits them without change.
/// Each range is declared once, on its property.
/// </summary>
public sealed record OperatingConditions
{
    /// <summary>The allowed temperature range, in degrees Celsius.</summary>
    public const double MinTemperatureCelsius = -55, MaxTemperatureCelsius = 150;

    /// <summary>The card's own nominal temperature (PTM's tnom).</summary>
    public const double NominalTemperatureCelsius = 27;

    private readonly double _temperatureCelsius = NominalTemperatureCelsius;
    private readonly ProcessCorner _corner = ProcessCorner.Typical;

    /// <summary>Simulation temperature (ngspice <c>.temp</c>), -55..150 C.</summary>
    public double TemperatureCelsius
    {
        get => _temperatureCelsius;
        init
        {
            if (!(value >= MinTemperatureCelsius) || value > MaxTemperatureCelsius)
                throw BadInputException.For("TemperatureCelsius", value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) + " C",
                    $"between {MinTemperatureCelsius} C and {MaxTemperatureCelsius} C", "-40C or 125C");
            _temperatureCelsius = value;
        }
    }

    /// <summary>The global process corner (from the technology's <see cref="TechnologyCorners"/>).</summary>
    public ProcessCorner Corner
    {
        get => _corner;
        init => _corner = value ?? throw BadInputException.For("Corner", null, "a process corner such as TT, FF, SS, FS or SF", "SS");
    }

    /// <summary>TT at 27 C: the card as written.</summary>
    public static OperatingConditions Typical { get; } = new();

    /// <summary>True at TT and 27 C (the model card is written into netlists unchanged).</summary>
    public bool IsNominal => Corner.IsTypical && TemperatureCelsius == NominalTemperatureCelsius;

    /// <summary>e.g. "SS, 125 C".</summary>
    public override string ToString() =>
        $"{Corner.Name}, {TemperatureCelsius.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} C";
}

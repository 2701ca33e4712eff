using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;

namespace Mbi.Circuit.Design;

/// <summary>
/// One hardware design point: the transistor technology (and where its model card came from), the
/// array's electrical design and phase timing, and the ADC. What a design file holds
/// (<see cref="DesignFile"/>), what every circuit command runs and records in its output.
/// </summary>
internal sealed record CircuitDesign
{
    /// <summary>The shipped PTM 16 nm LP card (netlists/models/ptm16lp.lib), as a design file names it.</summary>
    public const string BuiltInCard = "builtin:ptm16lp";

    /// <summary>Where the model card came from: <see cref="BuiltInCard"/> or a file path.</summary>
    public string Card { get; init; } = BuiltInCard;
    public Technology Technology { get; init; } = Technology.Ptm16Lp();
    public ArrayDesign Array { get; init; } = new();
    public AdcDesign Adc { get; init; } = new();

    /// <summary>Checks every section; a message names the design-file field (e.g. array.eval_window_seconds).</summary>
    public CircuitDesign Validated()
    {
        Technology.Validated();
        Array.Validated();
        Adc.Validated();
        return this;
    }

    /// <summary>The design with the model card read from <paramref name="path"/> (it must define the design's nmos and pmos models).</summary>
    public CircuitDesign WithCard(string path)
    {
        var t = Technology;
        var read = Technology.FromFile(path, t.NmosModel, t.PmosModel, t.VddVolts, t.LengthMeters, t.WidthMeters);
        return this with { Card = path, Technology = t with { ModelCard = read.ModelCard, Name = read.Name } };
    }

    /// <summary>The Monte Carlo settings with this design's technology, array and ADC.</summary>
    public MonteCarloSettings ApplyTo(MonteCarloSettings settings) => settings with
    {
        Technology = Technology,
        Design = Array,
        AdcBits = Adc.Bits,
        AdcOffsetLsb = Adc.OffsetLsb,
        AdcInlPeakLsb = Adc.InlPeakLsb,
    };

    /// <summary>The design a Monte Carlo run used (its card source is not in the settings, so it is given).</summary>
    public static CircuitDesign From(MonteCarloSettings settings, string card) => new()
    {
        Card = card,
        Technology = settings.Technology,
        Array = settings.Design,
        Adc = settings.Adc,
    };
}

using Mbi.Circuit.Adc;
using Mbi.Circuit.Models;
using Mbi.Circuit.MonteCarlo;
using Mbi.Circuit.Netlists;
using Mbi.Circuit.Periphery;

namespace Mbi.Circuit.Design;

/// <summary>
/// One hardware design point: the transistor technology (and where its model card came from), the
/// array's electrical design and phase timing, and the ADC. What a design file holds
/// (<see cref="DesignFile"/>), what every circuit command runs and records in its output.
/// </summary>
public sealed record CircuitDesign
{
    /// <summary>The shipped PTM 16 nm LP card (netlists/models/ptm16lp.lib), as a design file names it.</summary>
    public const string BuiltInCard = "builtin:ptm16lp";

    /// <summary>Where the model card came from: <see cref="BuiltInCard"/> or a file path.</summary>
    public string Card { get; init; } = BuiltInCard;

    /// <summary>The shipped PTM 16 nm LP corner table (netlists/models/ptm16lp.corners.json), as a design file names it.</summary>
    public const string BuiltInCornerTable = "builtin:ptm16lp";

    /// <summary>
    /// Where the technology's corner table came from: <see cref="BuiltInCornerTable"/>, a file path, or null (a user's
    /// card given without one: only TT is available).
    /// </summary>
    public string? CornerTable { get; init; } = BuiltInCornerTable;
    /// <summary>The transistor technology: model card, supply, device size, corner and temperature.</summary>
    public Technology Technology { get; init; } = Technology.Ptm16Lp();
    /// <summary>The array's electrical design and phase timing.</summary>
    public ArrayDesign Array { get; init; } = new();
    /// <summary>The sum-line ADC: resolution and static errors.</summary>
    public AdcDesign Adc { get; init; } = new();
    /// <summary>
    /// The value store's read: timing and device sizes (its rows and columns are not the design's: the energy bands give it
    /// the array's rows and one column per value bit of the model's table). A design file holds it as the optional
    /// <c>value_read</c> section, written only when it differs from the defaults, so designs without it keep their hash.
    /// </summary>
    internal ValueReadDesign ValueRead { get; init; } = new();

    /// <summary>Checks every section; a message names the design-file field (e.g. array.eval_window_seconds).</summary>
    public CircuitDesign Validated()
    {
        Technology.Validated();
        Array.Validated();
        Adc.Validated();
        ValueRead.Validated();
        return this;
    }

    /// <summary>
    /// The design with the model card read from <paramref name="path"/> (it must define the design's nmos and pmos models).
    /// The built-in corner table describes PTM's card, not this one, so it is dropped and the corner is TT (at the design's
    /// temperature) until <see cref="WithCornerTable"/> gives the card's own and <see cref="WithConditions"/> picks a corner in it.
    /// </summary>
    public CircuitDesign WithCard(string path)
    {
        var t = Technology;
        var read = Technology.FromFile(path, t.NmosModel, t.PmosModel, t.VddVolts, t.LengthMeters, t.WidthMeters);
        return this with
        {
            Card = path, CornerTable = null,
            Technology = t with { ModelCard = read.ModelCard, Name = read.Name, Corners = null, Conditions = t.Conditions with { Corner = ProcessCorner.Typical } },
        };
    }

    /// <summary>The design with the corner table read from <paramref name="path"/> (<see cref="BuiltInCornerTable"/>: the shipped one); the corner is TT until <see cref="WithConditions"/> picks one.</summary>
    public CircuitDesign WithCornerTable(string path)
    {
        var corners = path == BuiltInCornerTable ? TechnologyCorners.Ptm16Lp() : TechnologyCorners.FromFile(path);
        var t = Technology with { Corners = corners };
        return this with { CornerTable = path, Technology = t.At(ProcessCorner.Typical.Name, t.Conditions.TemperatureCelsius) };
    }

    /// <summary>The design at corner <paramref name="corner"/> (a name in its corner table) and <paramref name="temperatureCelsius"/>.</summary>
    public CircuitDesign WithConditions(string corner, double temperatureCelsius) => this with { Technology = Technology.At(corner, temperatureCelsius) };

    /// <summary>The Monte Carlo settings with this design's technology, array and ADC.</summary>
    public MonteCarloSettings ApplyTo(MonteCarloSettings settings) => settings with
    {
        Technology = Technology,
        Design = Array,
        AdcBits = Adc.Bits,
        AdcOffsetLsb = Adc.OffsetLsb,
        AdcInlPeakLsb = Adc.InlPeakLsb,
        AdcComparatorOffsetSigmaLsb = Adc.ComparatorOffsetSigmaLsb,
        AdcCapacitorMismatchRootFarads = Adc.CapacitorMismatchRootFarads,
        AdcUnitCapacitanceFarads = Adc.UnitCapacitanceFarads,
        AdcSarClockPeriodSeconds = Adc.SarClockPeriodSeconds,
    };

    /// <summary>The design a Monte Carlo run used (its card source is not in the settings, so it is given).</summary>
    public static CircuitDesign From(MonteCarloSettings settings, string card, string? cornerTable) => new()
    {
        Card = card,
        CornerTable = cornerTable,
        Technology = settings.Technology,
        Array = settings.Design,
        Adc = settings.Adc,
    };
}

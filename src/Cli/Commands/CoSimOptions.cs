using Mbi.Circuit.Design;
using Mbi.CoSim.Arrays;
using Mbi.CoSim.Mapping;
using Mbi.CoSim.Studies;

namespace Mbi.Cli.Commands;

/// <summary>The options the co-simulation commands (cosim, energy, reproduce) share, spelled and validated once.</summary>
internal sealed class CoSimOptions
{
    public Option<string?> Lut { get; } = new("--lut") { Description = "Distilled lookup table (.lut); default: distil one from --model in-process." };
    public Option<string> Model { get; } = CommonOptions.Model();
    public Option<int> Rows { get; } = CommonOptions.Count("--rows", "LUT rows when distilling in-process", 100_000, 32);
    public Option<int> TrainImages { get; } = CommonOptions.Count("--train-images", "Training images distilled in-process", 55_000, 1, 55_000);
    public Option<int> Images { get; } = CommonOptions.Count("--test-images", "Test images run through the arrays (from the start of the MNIST test set)", 1000, 1, 10_000);
    public Option<string> Coding { get; } = new("--coding") { Description = "Column coding of 2-bit patch elements: binary (paper, 2 columns) or thermometer (3 columns, exact Manhattan) (default binary).", DefaultValueFactory = _ => "binary" };
    public Option<string?> Weights { get; } = new("--weights") { Description = "Distance weights a,b,c (patch, hidden, location); default the LUT's." };
    public Option<ulong> Seed { get; } = CommonOptions.Seed();
    public Option<string?> Mnist { get; } = CommonOptions.Mnist();
    public Option<string?> EnergyConfig { get; } = new("--energy-config") { Description = "Per-component energy file (default config/energy.json)." };
    public Option<string> Cache { get; } = new("--cache") { Description = "Where ngspice results are cached: the compact model's characterisation and the energy accountant's points (default .build/cache).", DefaultValueFactory = _ => ".build/cache" };
    public Option<int> Workers { get; } = CommonOptions.Workers();
    public DesignOptions Design { get; } = new();

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Lut, Model, Rows, TrainImages, Images, Coding, Weights, Seed, Mnist, EnergyConfig, Cache, Workers })
            command.Options.Add(option);
        Design.AddTo(command);
    }

    public static ColumnCoding ParseCoding(string text, string option = "--coding") => text switch
    {
        "binary" => ColumnCoding.Binary,
        "thermometer" => ColumnCoding.Thermometer,
        _ => throw BadInputException.For(option, text, "binary or thermometer", "binary"),
    };

    public LookupSetupOptions Setup(ParseResult parse) => new()
    {
        LutPath = parse.GetValue(Lut),
        ModelPath = parse.GetValue(Model)!,
        Rows = parse.GetValue(Rows),
        TrainImages = parse.GetValue(TrainImages),
        TestImages = parse.GetValue(Images),
        Coding = ParseCoding(parse.GetValue(Coding)!),
        Weights = parse.GetValue(Weights) is string w ? LookupOptions.ParseWeights(w) : null,
        Seed = parse.GetValue(Seed),
        Mnist = parse.GetValue(Mnist),
    };

    /// <summary>
    /// energy and table1 price the ADC at energy.json's adc.bits (the NeuroSim fit and Mbi's SPICE SAR are at that
    /// resolution); a design at another resolution would be priced wrongly without a word, so it is refused.
    /// (cosim re-prices the NeuroSim fit at the design's resolution instead.)
    /// </summary>
    public static void RequireConfigAdcBits(CircuitDesign design, Mbi.CoSim.Energy.EnergyConfig config)
    {
        if (design.Adc.Bits != config.AdcBits)
            throw BadInputException.For("--adc-bits", design.Adc.Bits,
                $"{config.AdcBits} here (design field adc.bits): this command prices the ADC at the resolution of {config.Path} (adc.bits) " +
                "and of Mbi's SPICE SAR; cosim takes any resolution", config.AdcBits.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public int EffectiveWorkers(ParseResult parse) => CommonOptions.EffectiveWorkers(parse.GetValue(Workers));

    /// <summary>The compact model of <paramref name="design"/>'s arrays (characterised by ngspice once, then cached).</summary>
    public CompactCalibration Calibration(ParseResult parse, CircuitDesign design, int maxBitsPerElement) =>
        Terminal.WithProgress("cosim", p => CompactCalibration.LoadOrCharacterise(design.Technology, design.Array, maxBitsPerElement,
            parse.GetValue(Cache), EffectiveWorkers(parse), p));
}

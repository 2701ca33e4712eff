using Mbi.Algorithm.Ram;

namespace Mbi.Cli.Commands;
/// <summary>The options that describe a RAM, shared with `mbi sweep-ram`.</summary>
internal sealed class RamModelOptions
{
    public Option<string> Preset { get; } = new("--preset")
    {
        Description = "Starting configuration: 'mbi' (4x4 patches at 2 scales x3, 5 glimpses, 1-bit hidden 64, 2-bit patch, 15-point grid) or 'reference' (6 glimpses of 8x8, hidden 256, full precision).",
        DefaultValueFactory = _ => "mbi",
    };
    public Option<int?> Patch { get; } = new("--patch") { Description = "Patch side g in pixels after pooling." };
    public Option<int?> Scales { get; } = new("--scales") { Description = "Patches per glimpse k." };
    public Option<int?> ScaleFactor { get; } = new("--scale-factor") { Description = "Each patch is this many times wider than the last (s)." };
    public Option<int?> Glimpses { get; } = new("--glimpses") { Description = "Glimpses per image." };
    public Option<int?> Hidden { get; } = new("--hidden") { Description = "Length of the recurrent hidden state." };
    public Option<int?> GlimpseHidden { get; } = new("--glimpse-hidden") { Description = "Width of h_g." };
    public Option<int?> LocationHidden { get; } = new("--location-hidden") { Description = "Width of h_l." };
    public Option<int?> GlimpseFeatures { get; } = new("--glimpse-features") { Description = "Width of g." };
    public Option<int?> ExtraCoreLayers { get; } = new("--extra-core-layers") { Description = "Extra fully connected layers in the core (Fig. 3(c))." };
    public Option<int?> HiddenBits { get; } = new("--hidden-bits") { Description = "Bits of the hidden state, 1..8, 0 = full precision." };
    public Option<int?> PatchBits { get; } = new("--patch-bits") { Description = "Bits per patch pixel, 1..8, 0 = full precision." };
    public Option<int?> LocationLevels { get; } = new("--location-levels") { Description = "Location grid points per axis, 0 = continuous." };
    public Option<float?> Sigma { get; } = new("--sigma") { Description = "Standard deviation of the Gaussian location policy." };

    public IEnumerable<Option> All => [Preset, Patch, Scales, ScaleFactor, Glimpses, Hidden, GlimpseHidden, LocationHidden,
        GlimpseFeatures, ExtraCoreLayers, HiddenBits, PatchBits, LocationLevels, Sigma];

    public RamConfig Read(ParseResult parse)
    {
        string preset = parse.GetValue(Preset) ?? "mbi";
        RamConfig c = preset switch
        {
            "mbi" => RamConfig.Mbi,
            "reference" => RamConfig.Reference,
            _ => throw BadInputException.For("--preset", preset, "'mbi' or 'reference'", "mbi"),
        };
        return (c with
        {
            PatchSize = parse.GetValue(Patch) ?? c.PatchSize,
            Scales = parse.GetValue(Scales) ?? c.Scales,
            ScaleFactor = parse.GetValue(ScaleFactor) ?? c.ScaleFactor,
            Glimpses = parse.GetValue(Glimpses) ?? c.Glimpses,
            Hidden = parse.GetValue(Hidden) ?? c.Hidden,
            GlimpseHidden = parse.GetValue(GlimpseHidden) ?? c.GlimpseHidden,
            LocationHidden = parse.GetValue(LocationHidden) ?? c.LocationHidden,
            GlimpseFeatures = parse.GetValue(GlimpseFeatures) ?? c.GlimpseFeatures,
            ExtraCoreLayers = parse.GetValue(ExtraCoreLayers) ?? c.ExtraCoreLayers,
            HiddenBits = parse.GetValue(HiddenBits) ?? c.HiddenBits,
            PatchBits = parse.GetValue(PatchBits) ?? c.PatchBits,
            LocationLevels = parse.GetValue(LocationLevels) ?? c.LocationLevels,
            PolicySigma = parse.GetValue(Sigma) ?? c.PolicySigma,
        }).Validated();
    }
}

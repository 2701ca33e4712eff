using Mbi.Algorithm.Ram;

namespace Mbi.Cli.Commands;
/// <summary>The options that describe a RAM, shared with `mbi sweep-ram`.</summary>
internal sealed class RamModelOptions
{
    public Option<string> Preset { get; } = new("--preset")
    {
        Description = "Starting configuration: 'mbi' (4x4 patches at 2 scales x3, 5 glimpses, 1-bit hidden 64, 2-bit patch, 15-point grid) or 'reference' (6 glimpses of 8x8, hidden 256, full precision) (default mbi).",
        DefaultValueFactory = _ => "mbi",
    };
    public Option<int?> Patch { get; } = Whole("--patch", "Patch side g in pixels after pooling.");
    public Option<int?> Scales { get; } = Whole("--scales", "Patches per glimpse k.");
    public Option<int?> ScaleFactor { get; } = Whole("--scale-factor", "Each patch is this many times wider than the last (s).");
    public Option<int?> PatchPool { get; } = Whole("--patch-pool",
        "Pixels per element of the first patch along each axis, 1..8 (default 1: pixel for pixel). 2 makes every patch twice as wide at the same elements, so the key is unchanged: with the mbi preset, 8 and 24 pixels instead of 4 and 12.");
    public Option<int?> CoarseGain { get; } = Whole("--coarse-gain",
        "Multiply every patch after the first by this whole number, 1..8, before the patch quantizer, clipped to 1 (default 1: as they are). A coarse element averages many pixels and a stroke rarely fills half of one, so at 1 its top levels go nearly unused; the key is unchanged.");
    public Option<int?> Glimpses { get; } = Whole("--glimpses", "Glimpses per image.");
    public Option<int?> Hidden { get; } = Whole("--hidden", "Length of the recurrent hidden state.");
    public Option<int?> GlimpseHidden { get; } = Whole("--glimpse-hidden", "Width of h_g.");
    public Option<int?> LocationHidden { get; } = Whole("--location-hidden", "Width of h_l.");
    public Option<int?> GlimpseFeatures { get; } = Whole("--glimpse-features", "Width of g.");
    public Option<int?> ExtraCoreLayers { get; } = Whole("--extra-core-layers", "Extra fully connected layers in the core (Fig. 3(c)).");
    public Option<int?> CoreWidth { get; } = Whole("--core-width",
        "Width of the extra core layers' full-precision ReLU units before the quantized hidden state (with --extra-core-layers; default: the hidden length). No key bit: the key holds the hidden state only.");
    public Option<int?> HiddenBits { get; } = Whole("--hidden-bits", "Bits of the hidden state, 1..8, 0 = full precision.");
    public Option<int?> PatchBits { get; } = Whole("--patch-bits", "Bits per patch pixel, 1..8, 0 = full precision.");
    public Option<int?> LocationLevels { get; } = Whole("--location-levels", "Location grid points per axis, 0 = continuous.");
    public Option<int?> HeadHidden { get; } = Whole("--head-hidden",
        "Width of a hidden ReLU layer in the classifier, 0 = linear (the paper's). The classifier is no part of the key: MBI stores its class.");
    public Option<HeadInput> HeadInput { get; } = OptionParsing.Choice("--head-input",
        "What the classifier reads after the last glimpse: the hidden state h_T (the paper's), the last core layer's pre-activation (h_T before its quantizer), or the first core layer's activation (core-features; needs --extra-core-layers) (default hidden-state).",
        Algorithm.Ram.HeadInput.HiddenState);
    public Option<float?> Sigma { get; } = new("--sigma")
    {
        Description = "Standard deviation of the Gaussian location policy.",
        CustomParser = r => (float?)OptionParsing.Real(r, "--sigma", 0, double.PositiveInfinity, "0.1", single: true),
    };

    /// <summary>A whole-number override; its range is the library's (RamConfig), checked when the configuration is validated.</summary>
    private static Option<int?> Whole(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r => (int?)(int)OptionParsing.Whole(r, name, int.MinValue, int.MaxValue, 4),
    };

    public IEnumerable<Option> All => [Preset, Patch, Scales, ScaleFactor, PatchPool, CoarseGain, Glimpses, Hidden, GlimpseHidden, LocationHidden,
        GlimpseFeatures, ExtraCoreLayers, CoreWidth, HiddenBits, PatchBits, LocationLevels, HeadHidden, HeadInput, Sigma];

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
            PatchPool = parse.GetValue(PatchPool) ?? c.PatchPool,
            CoarseGain = parse.GetValue(CoarseGain) ?? c.CoarseGain,
            Glimpses = parse.GetValue(Glimpses) ?? c.Glimpses,
            Hidden = parse.GetValue(Hidden) ?? c.Hidden,
            GlimpseHidden = parse.GetValue(GlimpseHidden) ?? c.GlimpseHidden,
            LocationHidden = parse.GetValue(LocationHidden) ?? c.LocationHidden,
            GlimpseFeatures = parse.GetValue(GlimpseFeatures) ?? c.GlimpseFeatures,
            ExtraCoreLayers = parse.GetValue(ExtraCoreLayers) ?? c.ExtraCoreLayers,
            CoreWidth = parse.GetValue(CoreWidth) ?? c.CoreWidth,
            HiddenBits = parse.GetValue(HiddenBits) ?? c.HiddenBits,
            PatchBits = parse.GetValue(PatchBits) ?? c.PatchBits,
            LocationLevels = parse.GetValue(LocationLevels) ?? c.LocationLevels,
            HeadHidden = parse.GetValue(HeadHidden) ?? c.HeadHidden,
            HeadInput = parse.GetResult(HeadInput) is { Implicit: false } ? parse.GetValue(HeadInput) : c.HeadInput,
            PolicySigma = parse.GetValue(Sigma) ?? c.PolicySigma,
        }).Validated();
    }

    /// <summary>
    /// The configuration of a model continued with --init: the stored one, except the options that change no
    /// weight's shape (--hidden-bits, --patch-bits, --sigma), which may be typed to change the quantization
    /// between legs (e.g. a leg at 8-bit hidden state, then a leg at 1 bit). Every other model option is ignored.
    /// </summary>
    public RamConfig Continuing(ParseResult parse, RamConfig stored) => (stored with
    {
        HiddenBits = parse.GetValue(HiddenBits) ?? stored.HiddenBits,
        PatchBits = parse.GetValue(PatchBits) ?? stored.PatchBits,
        PolicySigma = parse.GetValue(Sigma) ?? stored.PolicySigma,
    }).Validated();
}

using Mbi.Algorithm.Memorization;
using Mbi.Core.Errors;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// Every size of the recurrent attention model (Mnih et al. 2014) and its quantization.
/// Bit widths of 0 mean full precision; LocationLevels 0 means continuous locations.
/// </summary>
internal sealed record RamConfig
{
    /// <summary>True when the classifier is the paper's: linear on the last hidden state (model files keep format version 1).</summary>
    public bool HasPaperHead => HeadHidden == 0 && HeadInput == HeadInput.HiddenState;

    public int PatchSize { get; init; } = 8;
    public int Scales { get; init; } = 1;
    public int ScaleFactor { get; init; } = 2;
    /// <summary>
    /// Pixels per element of the first patch along each axis: 1 (the paper's) reads it pixel for pixel; 2 makes it
    /// 2 x PatchSize pixels wide, average-pooled to PatchSize x PatchSize, and every later patch twice as wide too. It
    /// changes no key bit (the patch still has PatchElements elements).
    /// </summary>
    public int PatchPool { get; init; } = 1;
    /// <summary>
    /// Every patch after the first has its pooled averages multiplied by this whole number (clipped to 1) before the patch
    /// quantizer: a coarse element averages many pixels, and a stroke rarely fills half of one, so at 1 (the paper's)
    /// its top levels go nearly unused. It changes no key bit.
    /// </summary>
    public int CoarseGain { get; init; } = 1;
    public int Glimpses { get; init; } = 6;
    /// <summary>Width of h_g = ReLU(W1 patch).</summary>
    public int GlimpseHidden { get; init; } = 128;
    /// <summary>Width of h_l = ReLU(W2 l).</summary>
    public int LocationHidden { get; init; } = 128;
    /// <summary>Width of g = ReLU(W3 h_g + W4 h_l).</summary>
    public int GlimpseFeatures { get; init; } = 256;
    /// <summary>Length of the recurrent hidden state h_t.</summary>
    public int Hidden { get; init; } = 256;
    /// <summary>Extra fully connected layers inside the core after the recurrent one (Fig. 3(c)).</summary>
    public int ExtraCoreLayers { get; init; }
    /// <summary>
    /// Width of every core layer but the last (full precision, ReLU); 0 means <see cref="Hidden"/>. Only with extra core
    /// layers: the last core layer is always the Hidden-wide (quantized) state, so the key is unchanged at any width.
    /// </summary>
    public int CoreWidth { get; init; }
    public int HiddenBits { get; init; }
    public int PatchBits { get; init; }
    /// <summary>
    /// Width of the classifier's hidden ReLU layer; 0 (the paper's) is a linear classifier. The classifier is
    /// not part of any key: MBI stores the class it gives, so its size costs no key bit.
    /// </summary>
    public int HeadHidden { get; init; }
    /// <summary>What the classifier reads at the last step (see <see cref="Ram.HeadInput"/>).</summary>
    public HeadInput HeadInput { get; init; } = HeadInput.HiddenState;
    public int LocationLevels { get; init; }
    /// <summary>Standard deviation of the Gaussian location policy (in units of the [-1, 1] frame).</summary>
    public float PolicySigma { get; init; } = 0.1f;
    public int ImageSize { get; init; } = 28;
    public int Classes { get; init; } = 10;

    public int PatchElements => PatchSize * PatchSize * Scales;

    /// <summary>Output width of core layer <paramref name="layer"/> (0 = the recurrent one): the last is the hidden state.</summary>
    public int CoreLayerWidth(int layer) => layer == ExtraCoreLayers || CoreWidth == 0 ? Hidden : CoreWidth;

    /// <summary>Width of what the classifier reads: the first core layer's width for <see cref="HeadInput.CoreFeatures"/>, else the hidden length.</summary>
    public int HeadInputWidth => HeadInput == HeadInput.CoreFeatures ? CoreLayerWidth(0) : Hidden;

    /// <summary>The paper's reference: 6 glimpses of 8x8 at one scale, hidden 256, full precision.</summary>
    public static RamConfig Reference => new();

    /// <summary>
    /// The MBI configuration: 5 glimpses of 4x4 patches at 2 scales (4 and 12 pixels wide), 2-bit patch,
    /// 1-bit hidden of 64, a 15-point location grid. Key = 32 x 2 = 64 patch columns (2 arrays of 32),
    /// 64 hidden columns (2 arrays), location 2 x 4 bits (1 array): five 32-column arrays.
    /// (3x3 at 3 scales x2, 54 patch columns, reached 95.4% with the same training; 4x4 x3 reached 96.2%.)
    /// </summary>
    public static RamConfig Mbi => new()
    {
        PatchSize = 4, Scales = 2, ScaleFactor = 3, Glimpses = 5, Hidden = 64,
        GlimpseHidden = 128, LocationHidden = 128, GlimpseFeatures = 256,
        HiddenBits = 1, PatchBits = 2, LocationLevels = 15, PolicySigma = 0.1f,
    };

    /// <summary>Throws a <see cref="BadInputException"/> naming the first out-of-range size (by its parameter name, e.g. patch_size); returns this.</summary>
    public RamConfig Validated()
    {
        Check("patch_size", PatchSize, 1, ImageSize, "8");
        Check("scales", Scales, 1, 8, "2");
        Check("scale_factor", ScaleFactor, 1, 8, "2");
        Check("patch_pool", PatchPool, 1, 8, "2 (1 = pixel for pixel)");
        Check("coarse_gain", CoarseGain, 1, 8, "2 (1 = the averages as they are)");
        Check("glimpses", Glimpses, 1, 64, "6");
        Check("glimpse_hidden", GlimpseHidden, 1, 4096, "128");
        Check("location_hidden", LocationHidden, 1, 4096, "128");
        Check("glimpse_features", GlimpseFeatures, 1, 4096, "256");
        Check("hidden", Hidden, 1, 4096, "256");
        Check("extra_core_layers", ExtraCoreLayers, 0, 8, "1");
        if (CoreWidth != 0)
        {
            Check("core_width", CoreWidth, 1, 4096, "512 (0 = the hidden length)");
            if (ExtraCoreLayers == 0)
                throw BadInputException.For("core_width", CoreWidth, "0 (unset) without extra core layers: it is the width of the core layers before the last; " +
                    "give --extra-core-layers 1 with it, or leave it out");
        }
        Check("hidden_bits", HiddenBits, 0, 8, "1 (0 = full precision)");
        Check("patch_bits", PatchBits, 0, 8, "2 (0 = full precision)");
        Check("head_hidden", HeadHidden, 0, 4096, "256 (0 = a linear classifier)");
        if (!Enum.IsDefined(HeadInput))
            throw BadInputException.For("head_input", (int)HeadInput, "0 (hidden state), 1 (pre-activation) or 2 (core features)", "0");
        if (HeadInput == HeadInput.CoreFeatures && ExtraCoreLayers == 0)
            throw new BadInputException("head input core-features reads the first of several core layers: give --extra-core-layers 1 (and --core-width), " +
                "or another --head-input.");
        if (LocationLevels != 0) Check("location_levels", LocationLevels, 2, 256, "15 (0 = continuous)");
        if (!(PolicySigma > 0f && PolicySigma <= 1f))
            throw BadInputException.For("policy_sigma", PolicySigma, "in (0, 1]", "0.1");
        Check("image size", ImageSize, 1, 4096, "28");
        Check("classes", Classes, 2, 1000, "10");
        return this;
    }

    /// <summary>True when the model is an MBI step function: 1-bit hidden, quantized patch, grid locations.</summary>
    public bool IsMbiCompatible => HiddenBits == 1 && PatchBits > 0 && LocationLevels >= 2;

    /// <summary>The key shape MBI distils this model into.</summary>
    public GlimpseKeySpec ToKeySpec()
    {
        if (!IsMbiCompatible)
            throw new BadInputException($"this model (hidden bits {HiddenBits}, patch bits {PatchBits}, location levels {LocationLevels}) is not an MBI model: " +
                "MBI needs hidden_bits 1, patch_bits 1..8 and location_levels >= 2. Train one with `mbi train --preset mbi`.");
        return new GlimpseKeySpec(PatchSize, Scales, ScaleFactor, PatchBits, Hidden, LocationLevels, Glimpses, ImageSize, Classes, PatchPool, CoarseGain);
    }

    public string Describe() =>
        $"{Glimpses} glimpses of {Scales}x{PatchSize}x{PatchSize} (x{ScaleFactor}{(PatchPool != 1 ? $", first patch {PatchSize * PatchPool} pixels wide" : "")}{(CoarseGain != 1 ? $", coarse gain {CoarseGain}" : "")}), h_g {GlimpseHidden}, h_l {LocationHidden}, g {GlimpseFeatures}, " +
        $"hidden {Hidden}{(ExtraCoreLayers > 0 ? $" + {ExtraCoreLayers} core layers{(CoreWidth > 0 ? $" (width {CoreWidth})" : "")}" : "")}, " +
        $"bits hidden {Bits(HiddenBits)} / patch {Bits(PatchBits)}, location {(LocationLevels == 0 ? "continuous" : $"{LocationLevels}-point grid")}, sigma {PolicySigma}" +
        (HasPaperHead ? "" :
            $", classifier {(HeadHidden == 0 ? "linear" : $"{HeadHidden} ReLU + linear")} on the last step's {HeadInput.Describe()}");

    private static string Bits(int bits) => bits == 0 ? "fp32" : bits.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Check(string name, int value, int min, int max, string example)
    {
        if (value < min || value > max)
            throw BadInputException.For(name, value, $"between {min} and {max}", example);
    }
}

/// <summary>
/// What the RAM's classifier reads after the last glimpse. MBI's last lookup stores the class, so either is a
/// step function of the same key (patch, previous hidden bits, location) and adds no key bit.
/// </summary>
internal enum HeadInput
{
    /// <summary>The last hidden state h_T, quantized as every other hidden state (the paper's).</summary>
    HiddenState = 0,
    /// <summary>The last core layer's pre-activation at the last step: h_T before its quantizer, so the class is not squeezed through the hidden bits.</summary>
    PreActivation = 1,
    /// <summary>
    /// The first core layer's activation at the last step (full precision, <see cref="RamConfig.CoreLayerWidth"/>(0) wide; needs an
    /// extra core layer): a nonlinear function of h_(T-1) and g_T that is not squeezed through the hidden state's width.
    /// </summary>
    CoreFeatures = 2,
}

internal static class HeadInputNames
{
    /// <summary>What the classifier reads, in words ("hidden state", "pre-activation", "first core layer").</summary>
    public static string Describe(this HeadInput input) => input switch
    {
        HeadInput.HiddenState => "hidden state",
        HeadInput.PreActivation => "pre-activation",
        _ => "first core layer",
    };
}

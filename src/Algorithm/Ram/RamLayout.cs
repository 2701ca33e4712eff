namespace Mbi.Algorithm.Ram;

/// <summary>One weight matrix (Rows = inputs, Cols = outputs, stored row-major) or bias (Rows = 1) inside the flat parameter vector.</summary>
internal readonly record struct ParameterSlice(string Name, int Offset, int Rows, int Cols)
{
    public int Length => Rows * Cols;
    public Span<float> Of(float[] parameters) => parameters.AsSpan(Offset, Length);
    public ReadOnlySpan<float> Of(ReadOnlySpan<float> parameters) => parameters.Slice(Offset, Length);
}

/// <summary>
/// Where each weight lives in the model's single flat parameter vector (the gradient and Adam's moments
/// share the layout). Matrices are stored inputs x outputs so that a forward layer is y = x·W + b.
/// </summary>
internal sealed class RamLayout
{
    private readonly List<ParameterSlice> _all = [];

    public RamLayout(RamConfig config)
    {
        int p = config.PatchElements, hg = config.GlimpseHidden, hl = config.LocationHidden;
        int g = config.GlimpseFeatures, h = config.Hidden, classes = config.Classes;
        W1 = Add("W1", p, hg); B1 = Add("b1", 1, hg);
        W2 = Add("W2", 2, hl); B2 = Add("b2", 1, hl);
        W3 = Add("W3", hg, g); W4 = Add("W4", hl, g); B3 = Add("b3", 1, g);
        int w0 = config.CoreLayerWidth(0);
        V = Add("V", g, w0); U = Add("U", h, w0); BH = Add("bh", 1, w0);
        var extra = new ParameterSlice[config.ExtraCoreLayers];
        var extraBias = new ParameterSlice[config.ExtraCoreLayers];
        for (int j = 0; j < config.ExtraCoreLayers; j++)
        {
            extra[j] = Add($"E{j + 1}", config.CoreLayerWidth(j), config.CoreLayerWidth(j + 1));
            extraBias[j] = Add($"be{j + 1}", 1, config.CoreLayerWidth(j + 1));
        }
        (Extra, ExtraBias) = (extra, extraBias);
        WL = Add("Wl", h, 2); BL = Add("bl", 1, 2);
        int classifierInputs = config.HeadHidden > 0 ? config.HeadHidden : config.HeadInputWidth;
        WC = Add("Wc", classifierInputs, classes); BC = Add("bc", 1, classes);
        WB = Add("Wb", h, 1); BB = Add("bb", 1, 1);
        if (config.HeadHidden > 0)
        {
            WK = Add("Wk", config.HeadInputWidth, config.HeadHidden);
            BK = Add("bk", 1, config.HeadHidden);
        }
    }

    public ParameterSlice W1 { get; }
    public ParameterSlice B1 { get; }
    public ParameterSlice W2 { get; }
    public ParameterSlice B2 { get; }
    public ParameterSlice W3 { get; }
    public ParameterSlice W4 { get; }
    public ParameterSlice B3 { get; }
    public ParameterSlice V { get; }
    public ParameterSlice U { get; }
    public ParameterSlice BH { get; }
    public IReadOnlyList<ParameterSlice> Extra { get; }
    public IReadOnlyList<ParameterSlice> ExtraBias { get; }
    /// <summary>Location network mean: mu = tanh(h·Wl + bl).</summary>
    public ParameterSlice WL { get; }
    public ParameterSlice BL { get; }
    /// <summary>Classifier hidden layer (only with a head hidden layer): k = ReLU(x·Wk + bk), x the classifier's input.</summary>
    public ParameterSlice WK { get; }
    public ParameterSlice BK { get; }
    /// <summary>Classifier: logits = x·Wc + bc (x = k with a head hidden layer).</summary>
    public ParameterSlice WC { get; }
    public ParameterSlice BC { get; }
    /// <summary>REINFORCE baseline: b_t = h_t·Wb + bb.</summary>
    public ParameterSlice WB { get; }
    public ParameterSlice BB { get; }

    public int Count { get; private set; }
    public IReadOnlyList<ParameterSlice> All => _all;

    private ParameterSlice Add(string name, int rows, int cols)
    {
        var slice = new ParameterSlice(name, Count, rows, cols);
        _all.Add(slice);
        Count += rows * cols;
        return slice;
    }
}

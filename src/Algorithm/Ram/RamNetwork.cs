using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Numerics;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Ram;

/// <summary>How the location policy picks the next glimpse: its mean (evaluation), or a Gaussian draw (training).</summary>
/// <remarks>
/// With <paramref name="ShiftPixels"/> &gt; 0 (training only) each image is also translated by a random
/// whole number of pixels in [-ShiftPixels, ShiftPixels] per axis for its whole episode (data augmentation),
/// drawn from the same per-sample stream before any policy noise. With <paramref name="HiddenFlip"/> &gt; 0
/// (training only, 1-bit hidden state) every bit of h_t that feeds a later glimpse is flipped with that probability,
/// drawn from its own per-sample stream ("ram-hidden-flip"), so the flips never move the policy noise. With
/// <paramref name="PatchNoise"/> &gt; 0 (training only, quantized patches) every patch element of every glimpse is moved
/// one level up or down with that probability (inward at the end levels), from its own per-sample stream ("ram-patch-noise").
/// With <paramref name="RotateDegrees"/> or <paramref name="ScaleJitter"/> &gt; 0 (training only) each image is first rotated
/// by a uniform angle in [-RotateDegrees, RotateDegrees] and scaled by a uniform factor in [1 - ScaleJitter, 1 + ScaleJitter]
/// about its centre (<see cref="AffineWarp"/>), both drawn from their own per-sample stream ("ram-augment-affine"); the
/// shift then applies to the warped image.
/// With <paramref name="ElasticAlpha"/> &gt; 0 (training only) each image (after the rotation and scaling, if any) is then
/// distorted elastically (<see cref="ElasticWarp"/>: a random displacement field smoothed by a Gaussian of
/// <paramref name="ElasticSigma"/> pixels, scaled by ElasticAlpha), drawn from its own per-sample stream ("ram-augment-elastic").
/// With <paramref name="OffsetX"/> / <paramref name="OffsetY"/> (the deterministic policy only) every image is translated by
/// that fixed whole number of pixels: the glimpse sensor reads the image buffer that far from the glimpse centre.
/// With <paramref name="StochasticHidden"/> (training only, 1-bit hidden state) every bit of h_t that feeds a later glimpse is
/// drawn as 1 with probability clip(pre, 0, 1) instead of thresholded, from its own per-sample stream ("ram-hidden-stochastic").
/// With <paramref name="Lookups"/> (training only) h_t of some glimpses is the nearest stored key's next hidden state
/// (<see cref="LookupSubstitution"/>).
/// </remarks>
internal readonly record struct LocationPolicy(bool Sample, ulong Seed, long FirstSampleIndex, int ShiftPixels = 0, float HiddenFlip = 0f,
    float PatchNoise = 0f, LookupSubstitution? Lookups = null, float RotateDegrees = 0f, float ScaleJitter = 0f, int OffsetX = 0, int OffsetY = 0,
    float ElasticAlpha = 0f, float ElasticSigma = 4f, bool StochasticHidden = false)
{
    public static LocationPolicy Mean => new(false, 0, 0);

    /// <summary>The location mean with every image translated by the same whole-pixel offset (one pass of <see cref="EvaluationPasses"/>).</summary>
    public static LocationPolicy MeanOffset(int offsetX, int offsetY) => new(false, 0, 0, OffsetX: offsetX, OffsetY: offsetY);
    public static readonly ulong StreamId = SeededRandom.StreamId("ram-location-policy");
    public static readonly ulong FlipStreamId = SeededRandom.StreamId("ram-hidden-flip");
    public static readonly ulong StochasticHiddenStreamId = SeededRandom.StreamId("ram-hidden-stochastic");
    public static readonly ulong PatchNoiseStreamId = SeededRandom.StreamId("ram-patch-noise");
    public static readonly ulong AffineStreamId = SeededRandom.StreamId("ram-augment-affine");
    public static readonly ulong ElasticStreamId = SeededRandom.StreamId("ram-augment-elastic");
}

/// <summary>
/// The forward and backward pass of the recurrent attention model over a block of images: a
/// workspace holding every activation of every glimpse step (for backpropagation through time), with
/// no allocation per sample or step. One instance per worker; the weights are passed in.
/// <list type="bullet">
/// <item>glimpse: h_g = ReLU(patch·W1 + b1), h_l = ReLU(l·W2 + b2), g = ReLU(h_g·W3 + h_l·W4 + b3)</item>
/// <item>core: h_t = act(h_{t-1}·U + g_t·V + bh), then optional extra layers a = ReLU(a·E + be); act is
/// ReLU at full precision or the b-bit quantizer of <see cref="Quantizer.Activate"/></item>
/// <item>location: mu_t = tanh(h_t·Wl + bl), l_{t+1} = grid(mu_t + sigma·eps); baseline b_t = h_t·Wb + bb</item>
/// <item>classifier: softmax(x·Wc + bc), or softmax(ReLU(x·Wk + bk)·Wc + bc) with a head hidden layer; x is h_T,
/// or the last core layer's pre-activation at the last step (<see cref="HeadInput.PreActivation"/>)</item>
/// </list>
/// </summary>
internal sealed partial class RamNetwork
{
    private readonly RamConfig _config;
    private readonly RamLayout _layout;
    private readonly GlimpseSensor _sensor;
    private readonly LocationGrid _grid;
    private readonly int _steps, _layers;
    // The widest core layer: every core layer's slot in _corePre / _core (and the backward's core buffers) is this wide.
    private readonly int _coreStride;

    // Activations, [step][row][width] flat.
    private readonly float[] _location, _patch, _glimpseHidden, _locationHidden, _features;
    // Core layers, [step][layer][row][hidden]: pre-activations and activations; the last layer's is h_t.
    private readonly float[] _corePre, _core;
    private readonly float[] _mean, _draw, _baseline;
    private readonly float[] _logits, _probabilities, _head, _dHead;
    private readonly int[] _predictions;
    private readonly float[] _zeroHidden;
    private readonly SeededRandom?[] _noise;
    private readonly int[] _shiftX, _shiftY;
    // Each row's warped image when affine or elastic augmentation is on (rows x ImageSize^2).
    private readonly float[] _warped;
    // The elastic distortion's workspace (made on first use, kept while its sigma is asked for) and one image of scratch.
    private ElasticWarp? _elastic;
    private readonly float[] _unwarped;
    // +1 / -1 per bit of h_t (t < T - 1) when the last forward flipped bits, 0 where a lookup replaced h_t; the backward
    // multiplies its gate by it.
    private readonly float[] _flipSign;
    private bool _flipped, _signed;
    // The last glimpse's previous hidden state when lookups replaced some rows' inputs (rows x Hidden; read only then).
    private readonly float[] _lastPrevious;
    private bool _lastReplaced;

    public RamNetwork(RamConfig config, int capacity)
    {
        _config = config;
        _layout = new RamLayout(config);
        _sensor = new GlimpseSensor(config.PatchSize, config.Scales, config.ScaleFactor, config.ImageSize, config.PatchPool, config.CoarseGain);
        _grid = new LocationGrid(config.LocationLevels);
        Capacity = capacity;
        _steps = config.Glimpses;
        _layers = 1 + config.ExtraCoreLayers;
        _coreStride = Math.Max(config.Hidden, config.CoreLayerWidth(0));
        int t = _steps, h = config.Hidden;
        _location = new float[t * capacity * 2];
        _patch = new float[t * capacity * config.PatchElements];
        _glimpseHidden = new float[t * capacity * config.GlimpseHidden];
        _locationHidden = new float[t * capacity * config.LocationHidden];
        _features = new float[t * capacity * config.GlimpseFeatures];
        _corePre = new float[t * _layers * capacity * _coreStride];
        _core = new float[t * _layers * capacity * _coreStride];
        _mean = new float[t * capacity * 2];
        _draw = new float[t * capacity * 2];
        _baseline = new float[t * capacity];
        _logits = new float[capacity * config.Classes];
        _head = new float[capacity * config.HeadHidden];
        _dHead = new float[capacity * config.HeadHidden];
        _probabilities = new float[capacity * config.Classes];
        _predictions = new int[capacity];
        _zeroHidden = new float[capacity * h];
        _softStudent = new float[config.Classes];
        _noise = new SeededRandom?[capacity];
        _shiftX = new int[capacity];
        _shiftY = new int[capacity];
        _warped = new float[capacity * config.ImageSize * config.ImageSize];
        _unwarped = new float[config.ImageSize * config.ImageSize];
        _flipSign = new float[t * capacity * h];
        _lastPrevious = new float[capacity * h];
        AllocateBackward(out _dHidden, out _dPrevious, out _dPre, out _dActivation, out _dFeatures,
            out _dGlimpseHidden, out _dLocationHidden, out _dMean, out _dBaseline, out _dLogits);
    }

    public RamConfig Config => _config;
    public RamLayout Layout => _layout;
    public int Capacity { get; }

    /// <summary>Training only: weight a 1-bit hidden state's straight-through derivative by the triangle 2 - 4 |pre - 0.5| (<see cref="HiddenGradient.Triangle"/>).</summary>
    public bool TriangleGradient { get; init; }
    public ReadOnlySpan<int> Predictions => _predictions;
    public ReadOnlySpan<float> Probabilities => _probabilities;
    /// <summary>The classifier's logits of the last <see cref="Forward"/>, rows x Classes.</summary>
    public ReadOnlySpan<float> Logits => _logits;

    /// <summary>h_t of the given step (the last core layer's activation), rows x Hidden.</summary>
    public ReadOnlySpan<float> Hidden(int step, int rows) => CoreSlice(_core, step, _layers - 1, rows);

    /// <summary>The last core layer's pre-activation at <paramref name="step"/> (h_t before its quantizer), rows x Hidden.</summary>
    internal ReadOnlySpan<float> CorePreActivation(int step, int rows) => CoreSlice(_corePre, step, _layers - 1, rows);

    /// <summary>The last glimpse's previous hidden state as fed (a stored key's where a lookup replaced the inputs), rows x Hidden.</summary>
    internal ReadOnlySpan<float> LastPrevious(int rows) => _lastReplaced ? _lastPrevious.AsSpan(0, rows * _config.Hidden) : Hidden(_steps - 2, rows);

    /// <summary>The patch each row saw in the given step (quantized, noise included), rows x PatchElements.</summary>
    public ReadOnlySpan<float> Patches(int step, int rows) => Block(_patch, step, rows, _config.PatchElements);

    /// <summary>The (snapped) location each row looked at in the given step, rows x 2 as (x, y).</summary>
    public ReadOnlySpan<float> Locations(int step, int rows) => Block(_location, step, rows, 2);

    /// <summary>Runs every glimpse step and the classifier on images[indices[0..rows)].</summary>
    public void Forward(ReadOnlySpan<float> parameters, MnistImages images, ReadOnlySpan<int> indices, LocationPolicy policy)
    {
        int rows = indices.Length;
        System.Diagnostics.Debug.Assert(rows <= Capacity);
        for (int i = 0; i < rows; i++)
        {
            _noise[i] = policy.Sample ? new SeededRandom(policy.Seed, LocationPolicy.StreamId, (ulong)(policy.FirstSampleIndex + i)) : null;
            bool shift = policy.Sample && policy.ShiftPixels > 0;
            _shiftX[i] = shift ? _noise[i]!.NextInt(2 * policy.ShiftPixels + 1) - policy.ShiftPixels : policy.Sample ? 0 : policy.OffsetX;
            _shiftY[i] = shift ? _noise[i]!.NextInt(2 * policy.ShiftPixels + 1) - policy.ShiftPixels : policy.Sample ? 0 : policy.OffsetY;
        }
        bool affine = policy.Sample && (policy.RotateDegrees > 0f || policy.ScaleJitter > 0f);
        int pixels = _config.ImageSize * _config.ImageSize;
        if (affine)
            for (int i = 0; i < rows; i++)
            {
                var rng = new SeededRandom(policy.Seed, LocationPolicy.AffineStreamId, (ulong)(policy.FirstSampleIndex + i));
                double degrees = (2 * rng.NextDouble() - 1) * policy.RotateDegrees;
                double scale = 1 + (2 * rng.NextDouble() - 1) * policy.ScaleJitter;
                AffineWarp.Apply(images.Image(indices[i]), _config.ImageSize, degrees * Math.PI / 180, scale, _warped.AsSpan(i * pixels, pixels));
            }
        bool elastic = policy.Sample && policy.ElasticAlpha > 0f;
        if (elastic)
        {
            if (_elastic is null || _elastic.Sigma != policy.ElasticSigma)
                _elastic = new ElasticWarp(_config.ImageSize, policy.ElasticSigma);
            for (int i = 0; i < rows; i++)
            {
                Span<float> row = _warped.AsSpan(i * pixels, pixels);
                // The affine warp already wrote this row: distort a copy of it; otherwise read the image itself.
                if (affine) row.CopyTo(_unwarped);
                ReadOnlySpan<float> source = affine ? _unwarped : images.Image(indices[i]);
                _elastic.Draw(new SeededRandom(policy.Seed, LocationPolicy.ElasticStreamId, (ulong)(policy.FirstSampleIndex + i)), policy.ElasticAlpha);
                _elastic.Apply(source, row);
            }
        }
        bool warped = affine || elastic;

        _flipped = policy.Sample && policy.HiddenFlip > 0f && _config.HiddenBits == 1;
        LookupSubstitution? lookups = policy.Sample ? policy.Lookups : null;
        _signed = _flipped || lookups is not null;
        bool patchNoise = policy.Sample && policy.PatchNoise > 0f && _config.PatchBits > 0;
        bool stochastic = policy.Sample && policy.StochasticHidden && _config.HiddenBits == 1;
        float start = _grid.Snap(0f);
        Span<float> firstLocation = Block(_location, 0, rows, 2);
        firstLocation.Fill(start);
        for (int t = 0; t < _steps; t++)
        {
            Span<float> patch = Block(_patch, t, rows, _config.PatchElements);
            ReadOnlySpan<float> location = Block(_location, t, rows, 2);
            for (int i = 0; i < rows; i++)
            {
                Span<float> row = patch.Slice(i * _config.PatchElements, _config.PatchElements);
                ReadOnlySpan<float> image = warped ? _warped.AsSpan(i * pixels, pixels) : images.Image(indices[i]);
                _sensor.Extract(image, location[2 * i], location[2 * i + 1], row, _shiftX[i], _shiftY[i]);
                if (_config.PatchBits > 0)
                    for (int e = 0; e < row.Length; e++) row[e] = Quantizer.Round(row[e], _config.PatchBits);
                if (patchNoise) MovePatchLevels(row, policy, i, t);
            }
            ReadOnlySpan<float> previous = t == 0 ? _zeroHidden.AsSpan(0, rows * _config.Hidden) : Hidden(t - 1, rows);
            if (t == _steps - 1)
            {
                _lastReplaced = lookups is not null && t > 0 && ReplaceLastInputs(t, rows, indices, policy, lookups, previous);
                if (_lastReplaced) previous = _lastPrevious.AsSpan(0, rows * _config.Hidden);
            }
            GlimpseAndCore(parameters, t, rows, previous);
            if (t < _steps - 1)
            {
                if (stochastic) DrawHidden(t, rows, policy);
                if (_signed) Block(_flipSign, t, rows, _config.Hidden).Fill(1f);
                if (_flipped) FlipHidden(t, rows, policy);
                if (lookups is not null) SubstituteHidden(t, rows, indices, policy, lookups, previous);
                LocationAndBaseline(parameters, t, rows);
            }
        }
        Classify(parameters, ClassifierInput(_steps - 1, rows), rows, _logits, _probabilities, _predictions);
    }

    /// <summary>Draws each bit of h_t as 1 with probability clip(pre, 0, 1) (one draw per bit, per-sample stream): stochastic binarisation.</summary>
    private void DrawHidden(int t, int rows, LocationPolicy policy)
    {
        int h = _config.Hidden;
        Span<float> ht = CoreSlice(_core, t, _layers - 1, rows);
        ReadOnlySpan<float> pre = CoreSlice(_corePre, t, _layers - 1, rows);
        for (int i = 0; i < rows; i++)
        {
            var rng = new SeededRandom(policy.Seed, LocationPolicy.StochasticHiddenStreamId, (ulong)((policy.FirstSampleIndex + i) * _steps + t));
            for (int j = i * h; j < (i + 1) * h; j++)
                ht[j] = rng.NextDouble() < Math.Clamp(pre[j], 0f, 1f) ? 1f : 0f;
        }
    }

    /// <summary>Flips each bit of h_t with probability HiddenFlip (one draw per bit, per-sample flip stream) and records the signs.</summary>
    private void FlipHidden(int t, int rows, LocationPolicy policy)
    {
        int h = _config.Hidden;
        Span<float> ht = CoreSlice(_core, t, _layers - 1, rows);
        Span<float> sign = Block(_flipSign, t, rows, h);
        for (int i = 0; i < rows; i++)
        {
            var rng = new SeededRandom(policy.Seed, LocationPolicy.FlipStreamId, (ulong)((policy.FirstSampleIndex + i) * _steps + t));
            for (int j = i * h; j < (i + 1) * h; j++)
            {
                bool flip = rng.NextDouble() < policy.HiddenFlip;
                sign[j] = flip ? -1f : 1f;
                if (flip) ht[j] = 1f - ht[j];
            }
        }
    }

    /// <summary>
    /// Replaces h_t of the rows whose draw says so by the nearest stored key's next hidden state (a constant of the weights:
    /// its gate sign is 0, so no gradient flows through it).
    /// </summary>
    private void SubstituteHidden(int t, int rows, ReadOnlySpan<int> indices, LocationPolicy policy, LookupSubstitution lookups, ReadOnlySpan<float> previous)
    {
        int h = _config.Hidden, p = _config.PatchElements;
        Span<float> ht = CoreSlice(_core, t, _layers - 1, rows);
        Span<float> sign = Block(_flipSign, t, rows, h);
        ReadOnlySpan<float> patch = Block(_patch, t, rows, p);
        ReadOnlySpan<float> location = Block(_location, t, rows, 2);
        for (int i = 0; i < rows; i++)
        {
            if (!lookups.Draw(policy.FirstSampleIndex + i, t, _steps)) continue;
            lookups.Substitute(indices[i], patch.Slice(i * p, p), previous.Slice(i * h, h), location[2 * i], location[2 * i + 1], ht.Slice(i * h, h));
            sign.Slice(i * h, h).Clear();
        }
    }

    /// <summary>
    /// The last glimpse by a lookup for the rows whose draw says so: their patch and location buffers and previous hidden
    /// state (in <see cref="_lastPrevious"/>) become the nearest stored key's, and h_(T-2)'s gate sign becomes 0 (it no longer
    /// feeds this row's last step). Returns whether any row was replaced.
    /// </summary>
    private bool ReplaceLastInputs(int t, int rows, ReadOnlySpan<int> indices, LocationPolicy policy, LookupSubstitution lookups, ReadOnlySpan<float> previous)
    {
        int h = _config.Hidden, p = _config.PatchElements;
        Span<float> last = _lastPrevious.AsSpan(0, rows * h);
        previous.CopyTo(last);
        Span<float> patch = Block(_patch, t, rows, p);
        Span<float> location = Block(_location, t, rows, 2);
        Span<float> sign = Block(_flipSign, t - 1, rows, h);
        bool any = false;
        for (int i = 0; i < rows; i++)
        {
            if (!lookups.Draw(policy.FirstSampleIndex + i, t, _steps)) continue;
            lookups.SubstituteInputs(indices[i], patch.Slice(i * p, p), last.Slice(i * h, h), location.Slice(2 * i, 2));
            sign.Slice(i * h, h).Clear();
            any = true;
        }
        return any;
    }

    /// <summary>
    /// Moves each quantized element of one row's patch one level with probability PatchNoise (up or down with equal odds,
    /// inward at level 0 and the top level), from the per-sample, per-step stream ("ram-patch-noise", sample x steps + t).
    /// The patch is an input, so nothing changes in the backward pass.
    /// </summary>
    private void MovePatchLevels(Span<float> row, LocationPolicy policy, int i, int t)
    {
        int bits = _config.PatchBits, top = (1 << bits) - 1;
        var rng = new SeededRandom(policy.Seed, LocationPolicy.PatchNoiseStreamId, (ulong)((policy.FirstSampleIndex + i) * _steps + t));
        for (int e = 0; e < row.Length; e++)
        {
            bool move = rng.NextDouble() < policy.PatchNoise;
            bool up = rng.NextDouble() < 0.5;
            if (!move) continue;
            int level = Quantizer.Level(row[e], bits);
            level = level == 0 ? 1 : level == top ? top - 1 : level + (up ? 1 : -1);
            row[e] = Quantizer.Value(level, bits);
        }
    }

    /// <summary>What the classifier reads if step t is the last: h_t, or the last core layer's pre-activation (rows x Hidden).</summary>
    internal ReadOnlySpan<float> ClassifierInput(int t, int rows) =>
        _config.HeadInput switch
        {
            HeadInput.PreActivation => CoreSlice(_corePre, t, _layers - 1, rows),
            HeadInput.CoreFeatures => CoreSlice(_core, t, 0, rows),
            _ => Hidden(t, rows),
        };

    /// <summary>
    /// One glimpse step from the patch and location already in step <paramref name="t"/>'s buffers and the
    /// previous hidden state: fills h_g, h_l, g and every core layer of step t.
    /// </summary>
    internal void GlimpseAndCore(ReadOnlySpan<float> w, int t, int rows, ReadOnlySpan<float> previousHidden)
    {
        var c = _config;
        Span<float> hg = Block(_glimpseHidden, t, rows, c.GlimpseHidden);
        Span<float> hl = Block(_locationHidden, t, rows, c.LocationHidden);
        Span<float> g = Block(_features, t, rows, c.GlimpseFeatures);
        Affine(Block(_patch, t, rows, c.PatchElements), rows, w, _layout.W1, _layout.B1, hg);
        Relu(hg);
        Affine(Block(_location, t, rows, 2), rows, w, _layout.W2, _layout.B2, hl);
        Relu(hl);
        Affine(hg, rows, w, _layout.W3, _layout.B3, g);
        Accumulate(hl, rows, w, _layout.W4, g);
        Relu(g);

        Span<float> pre = CoreSlice(_corePre, t, 0, rows);
        Affine(previousHidden, rows, w, _layout.U, _layout.BH, pre);
        Accumulate(g, rows, w, _layout.V, pre);
        Activate(pre, CoreSlice(_core, t, 0, rows), LayerBits(0));
        for (int j = 1; j < _layers; j++)
        {
            Span<float> layerPre = CoreSlice(_corePre, t, j, rows);
            Affine(CoreSlice(_core, t, j - 1, rows), rows, w, _layout.Extra[j - 1], _layout.ExtraBias[j - 1], layerPre);
            Activate(layerPre, CoreSlice(_core, t, j, rows), LayerBits(j));
        }
    }

    /// <summary>The location policy's mean, the next location (drawn or mean, snapped) and the baseline.</summary>
    private void LocationAndBaseline(ReadOnlySpan<float> w, int t, int rows)
    {
        ReadOnlySpan<float> h = Hidden(t, rows);
        ReadOnlySpan<float> mean = LocationMean(w, t, rows);
        Span<float> draw = Block(_draw, t, rows, 2);
        Span<float> next = Block(_location, t + 1, rows, 2);
        for (int i = 0; i < 2 * rows; i++)
        {
            var rng = _noise[i / 2];
            draw[i] = rng is null ? mean[i] : mean[i] + _config.PolicySigma * (float)rng.NextGaussian();
            next[i] = _grid.Snap(draw[i]);
        }
        Affine(h, rows, w, _layout.WB, _layout.BB, Block(_baseline, t, rows, 1));
    }

    /// <summary>The location policy's mean after step t, tanh(h_t·Wl + bl), rows x 2 as (x, y).</summary>
    internal ReadOnlySpan<float> LocationMean(ReadOnlySpan<float> w, int t, int rows)
    {
        Span<float> mean = Block(_mean, t, rows, 2);
        Affine(Hidden(t, rows), rows, w, _layout.WL, _layout.BL, mean);
        System.Numerics.Tensors.TensorPrimitives.Tanh(mean, mean);
        return mean;
    }

    /// <summary>logits = x·Wc + bc (x = ReLU(input·Wk + bk) with a head hidden layer), softmax, argmax (ties to the lower class).</summary>
    internal void Classify(ReadOnlySpan<float> w, ReadOnlySpan<float> input, int rows, Span<float> logits, Span<float> probabilities, Span<int> predictions)
    {
        int classes = _config.Classes;
        if (_config.HeadHidden > 0)
        {
            Span<float> head = _head.AsSpan(0, rows * _config.HeadHidden);
            Affine(input, rows, w, _layout.WK, _layout.BK, head);
            Relu(head);
            input = head;
        }
        Affine(input, rows, w, _layout.WC, _layout.BC, logits);
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> z = logits.Slice(i * classes, classes);
            System.Numerics.Tensors.TensorPrimitives.SoftMax(z, probabilities.Slice(i * classes, classes));
            predictions[i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(z);
        }
    }

    internal int LayerBits(int layer) => layer == _layers - 1 ? _config.HiddenBits : 0;

    internal Span<float> PatchBuffer(int t, int rows) => Block(_patch, t, rows, _config.PatchElements);
    internal Span<float> LocationBuffer(int t, int rows) => Block(_location, t, rows, 2);
    internal ReadOnlySpan<float> DrawBuffer(int t, int rows) => Block(_draw, t, rows, 2);
    internal ReadOnlySpan<float> BaselineBuffer(int t, int rows) => Block(_baseline, t, rows, 1);

    /// <summary>y = x·W + b for rows rows: y starts as the bias, then the product is accumulated.</summary>
    private static void Affine(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> w, ParameterSlice weight, ParameterSlice bias, Span<float> y)
    {
        ReadOnlySpan<float> b = bias.Of(w);
        for (int i = 0; i < rows; i++) b.CopyTo(y.Slice(i * weight.Cols, weight.Cols));
        Accumulate(x, rows, w, weight, y);
    }

    private static void Accumulate(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> w, ParameterSlice weight, Span<float> y) =>
        Gemm.Multiply(rows, weight.Cols, weight.Rows, x, weight.Rows, 1, weight.Of(w), weight.Cols, y, weight.Cols, accumulate: true);

    private static void Relu(Span<float> x) => System.Numerics.Tensors.TensorPrimitives.Max(x, 0f, x);

    private static void Activate(ReadOnlySpan<float> pre, Span<float> post, int bits)
    {
        if (bits == 0) { System.Numerics.Tensors.TensorPrimitives.Max(pre, 0f, post); return; }
        for (int i = 0; i < pre.Length; i++) post[i] = Quantizer.Activate(pre[i], bits, out _);
    }

    private Span<float> Block(float[] buffer, int step, int rows, int width) =>
        buffer.AsSpan(step * Capacity * width, rows * width);

    private Span<float> CoreSlice(float[] buffer, int step, int layer, int rows) =>
        buffer.AsSpan((step * _layers + layer) * Capacity * _coreStride, rows * _config.CoreLayerWidth(layer));
}

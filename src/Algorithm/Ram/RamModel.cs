using System.Buffers.Binary;
using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using Mbi.Core.Progress;
using Mbi.Core.Randomness;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// A recurrent attention model: its configuration and its flat parameter vector. Saved as a
/// <see cref="ChecksummedFile"/> (magic "MBI_RAM_") whose payload is the configuration
/// (version 1: 14 int32 and 1 float32, little-endian, in the order of <see cref="ToBytes"/>; version 2 adds two
/// int32 after the 14, the classifier's hidden width and input; version 3 adds one more, the core width; version 4 one more,
/// the first patch's pooling), the parameter
/// count (int32) and the parameters (float32, in <see cref="RamLayout"/> order). A model with the paper's classifier is
/// written as version 1, one with a core width of 0 as version 2 at most and one with a patch pool of 1 as version 3 at most,
/// so their bytes are those of every earlier Mbi.
/// </summary>
internal sealed class RamModel
{
    public const string Magic = "MBI_RAM_";
    public const uint Version = 5;
    private const uint PaperHeadVersion = 1, HeadVersion = 2, CoreWidthVersion = 3, PatchPoolVersion = 4;
    private const string HowToMake = "Train one with `mbi train --out FILE` (or use models/ram-mbi.ram).";
    private const int PaperHeadFields = 14, HeadFields = 16, CoreWidthFields = 17, PatchPoolFields = 18, CoarseGainFields = 19;

    public RamModel(RamConfig config, float[] parameters)
    {
        Config = config.Validated();
        Layout = new RamLayout(config);
        if (parameters.Length != Layout.Count)
            throw new ArgumentException($"{parameters.Length} parameters for a layout of {Layout.Count}", nameof(parameters));
        Parameters = parameters;
    }

    public RamConfig Config { get; }
    public RamLayout Layout { get; }
    /// <summary>The weights, in <see cref="RamLayout"/> order. Training updates them in place.</summary>
    internal float[] Parameters { get; }

    /// <summary>
    /// Fresh weights from the seed: every matrix uniform in ±sqrt(6 / (inputs + outputs)) (Glorot),
    /// the location and baseline heads scaled by 0.1 so the first glimpses stay near the centre, biases zero
    /// except the quantized hidden layer's (the last core layer's), which start at the middle of the quantizer's window (0.5).
    /// </summary>
    public static RamModel Initialize(RamConfig config, ulong seed)
    {
        var layout = new RamLayout(config.Validated());
        var parameters = new float[layout.Count];
        var rng = new SeededRandom(seed, SeededRandom.StreamId("ram-init"), 0);
        // The quantized hidden state is the last core layer's output: bh without extra layers, else the last extra bias.
        string quantizedBias = config.ExtraCoreLayers == 0 ? "bh" : $"be{config.ExtraCoreLayers}";
        foreach (var slice in layout.All)
        {
            Span<float> values = slice.Of(parameters);
            if (slice.Rows == 1)
            {
                values.Fill(slice.Name == quantizedBias && config.HiddenBits > 0 ? 0.5f : 0f);
                continue;
            }
            float limit = MathF.Sqrt(6f / (slice.Rows + slice.Cols));
            if (slice.Name is "Wl" or "Wb") limit *= 0.1f;
            for (int i = 0; i < values.Length; i++) values[i] = (float)((rng.NextDouble() * 2 - 1) * limit);
        }
        return new RamModel(config, parameters);
    }

    public RamModel Clone() => new(Config, (float[])Parameters.Clone());

    /// <summary>
    /// The same classifier read one layer lower: a model whose head reads the last core layer's pre-activation z = a·E + e (one
    /// extra core layer, a its first core layer's activation) becomes one whose head reads a itself, with the head's first
    /// matrix folded through the layer: W' = E·W, b' = b + e·W (in double, rounded once to float), so the logits agree to
    /// rounding. Training can then use all of a's width, which the 64-wide z squeezed.
    /// </summary>
    public RamModel WithHeadOnCoreFeatures()
    {
        var c = Config;
        if (c.ExtraCoreLayers != 1 || c.HeadInput != HeadInput.PreActivation)
            throw new BadInputException($"--head-on-core moves a classifier that reads the pre-activation of a two-layer core (one extra core layer); " +
                $"this model has {c.ExtraCoreLayers} extra core layer(s) and reads its {c.HeadInput.Describe()}. Widen it first with --widen-core, " +
                "or train one with --extra-core-layers 1 --head-input core-features.");
        ParameterSlice first = c.HeadHidden > 0 ? Layout.WK : Layout.WC, firstBias = c.HeadHidden > 0 ? Layout.BK : Layout.BC;
        float[] p = Parameters;
        ParameterSlice e = Layout.Extra[0], eb = Layout.ExtraBias[0];
        int h = c.Hidden, outputs = first.Cols;
        // z·W = a·(E·W) + e·W: the first matrix and bias of the head, folded through the last core layer in double.
        return Reshaped(c with { HeadInput = HeadInput.CoreFeatures }, (slice, into) =>
        {
            if (slice.Name != first.Name && slice.Name != firstBias.Name) return false;
            bool bias = slice.Name == firstBias.Name;
            for (int r = 0; r < slice.Rows; r++)
                for (int o = 0; o < outputs; o++)
                {
                    double sum = bias ? p[firstBias.Offset + o] : 0;
                    for (int j = 0; j < h; j++)
                        sum += (double)(bias ? p[eb.Offset + j] : p[e.Offset + r * h + j]) * p[first.Offset + j * outputs + o];
                    into[r * outputs + o] = (float)sum;
                }
            return true;
        });
    }

    /// <summary>
    /// The same function with a wider core: a model without extra core layers becomes one with a full-precision ReLU layer
    /// of <paramref name="width"/> units before its quantized state. Its first 2H units carry the old pre-activation p and -p
    /// (U' = [U, -U, R], V' = [V, -V, R'], b' = [b, -b, 0]) and the new layer gives ReLU(p) - ReLU(-p) = p exactly
    /// (E = [I; -I; 0], bias 0), so every hidden bit, location and class is the old model's, bit for bit; the other
    /// width - 2H units start with Glorot input weights (stream "ram-widen-core") and zero output weights, and only
    /// training makes them matter. Every other weight is copied.
    /// </summary>
    public RamModel WithWiderCore(int width, ulong seed)
    {
        var c = Config;
        int h = c.Hidden;
        if (c.ExtraCoreLayers != 0)
            throw new BadInputException($"--widen-core: the model already has {c.ExtraCoreLayers} extra core layer(s); widening starts from a model without any " +
                "(its core is one layer); continue this one with --init alone.");
        if (width < 2 * h || width > 4096)
            throw BadInputException.For("widen_core", width, $"between {2 * h} (twice the hidden length {h}, to carry p and -p) and 4096", $"{8 * h}");
        var rng = new SeededRandom(seed, SeededRandom.StreamId("ram-widen-core"), 0);
        float[] p = Parameters;
        return Reshaped(c with { ExtraCoreLayers = 1, CoreWidth = width }, (slice, into) =>
        {
            switch (slice.Name)
            {
                case "U" or "V" or "bh":
                    int from = (slice.Name switch { "U" => Layout.U, "V" => Layout.V, _ => Layout.BH }).Offset;
                    float limit = MathF.Sqrt(6f / (slice.Rows + slice.Cols));
                    for (int r = 0; r < slice.Rows; r++)
                        for (int k = 0; k < width; k++)
                            into[r * width + k] = k < h ? p[from + r * h + k] : k < 2 * h ? -p[from + r * h + k - h]
                                : slice.Rows == 1 ? 0f : (float)((rng.NextDouble() * 2 - 1) * limit);
                    return true;
                case "E1":
                    for (int k = 0; k < h; k++) { into[k * h + k] = 1f; into[(h + k) * h + k] = -1f; }
                    return true;
                case "be1":
                    return true;
                default:
                    return false;
            }
        });
    }

    private delegate bool SliceFill(ParameterSlice slice, Span<float> into);

    /// <summary>
    /// A model of <paramref name="config"/> whose slices <paramref name="fill"/> writes, in layout order, where it returns true;
    /// every other slice is this model's slice of the same name, copied.
    /// </summary>
    private RamModel Reshaped(RamConfig config, SliceFill fill)
    {
        var layout = new RamLayout(config.Validated());
        var parameters = new float[layout.Count];
        var old = Layout.All.ToDictionary(slice => slice.Name);
        foreach (var slice in layout.All)
            if (!fill(slice, slice.Of(parameters))) old[slice.Name].Of(Parameters).CopyTo(slice.Of(parameters));
        return new RamModel(config, parameters);
    }

    public byte[] ToBytes()
    {
        var c = Config;
        int[] fields = [c.PatchSize, c.Scales, c.ScaleFactor, c.Glimpses, c.GlimpseHidden, c.LocationHidden, c.GlimpseFeatures,
            c.Hidden, c.ExtraCoreLayers, c.HiddenBits, c.PatchBits, c.LocationLevels, c.ImageSize, c.Classes, c.HeadHidden, (int)c.HeadInput, c.CoreWidth, c.PatchPool, c.CoarseGain];
        int n = FieldsOf(FormatVersion);
        var payload = new byte[4 * n + 4 + 4 + 4 * Parameters.Length];
        for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4 * i), fields[i]);
        BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(4 * n), c.PolicySigma);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4 * n + 4), Parameters.Length);
        for (int i = 0; i < Parameters.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(4 * n + 8 + 4 * i), Parameters[i]);
        return payload;
    }

    /// <summary>
    /// The file format this model is written in: 5 with a coarse gain, else 4 with a patch pool, else 3 with a core width, else 1
    /// with the paper's classifier, else 2 (so every earlier model keeps its bytes).
    /// </summary>
    public uint FormatVersion => Config.CoarseGain != 1 ? Version : Config.PatchPool != 1 ? PatchPoolVersion : Config.CoreWidth != 0 ? CoreWidthVersion
        : Config.HasPaperHead ? PaperHeadVersion : HeadVersion;

    private static int FieldsOf(uint version) => version switch
    {
        PaperHeadVersion => PaperHeadFields, HeadVersion => HeadFields, CoreWidthVersion => CoreWidthFields, PatchPoolVersion => PatchPoolFields, _ => CoarseGainFields,
    };

    /// <summary>Writes the model (temp name + rename). A model with weights that are NaN or infinite is refused: nothing is written.</summary>
    public void Save(string path)
    {
        int bad = NonFiniteWeights(Parameters);
        if (bad > 0)
            throw new MbiException($"{path}: not written: {bad} of {Parameters.Length} weights are NaN or infinite (the training diverged); " +
                "train again with a lower learning rate.");
        ChecksummedFile.Write(path, Magic, FormatVersion, ToBytes());
    }

    /// <summary>How many of <paramref name="weights"/> are NaN or infinite.</summary>
    public static int NonFiniteWeights(ReadOnlySpan<float> weights)
    {
        int bad = 0;
        foreach (float w in weights) if (!float.IsFinite(w)) bad++;
        return bad;
    }

    public static RamModel Load(string path)
    {
        byte[] payload = ChecksummedFile.Read(path, Magic, PaperHeadVersion, Version, "RAM model", HowToMake, out uint version);
        int configFields = FieldsOf(version);
        if (payload.Length < 4 * configFields + 8)
            throw new FileFormatException(path, $"payload of {payload.Length} bytes is too short for a RAM configuration", HowToMake);
        var f = new int[CoarseGainFields];
        f[PatchPoolFields - 1] = 1;
        f[CoarseGainFields - 1] = 1;
        for (int i = 0; i < configFields; i++) f[i] = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4 * i));
        RamConfig config;
        try
        {
            config = new RamConfig
            {
                PatchSize = f[0], Scales = f[1], ScaleFactor = f[2], Glimpses = f[3], GlimpseHidden = f[4], LocationHidden = f[5],
                GlimpseFeatures = f[6], Hidden = f[7], ExtraCoreLayers = f[8], HiddenBits = f[9], PatchBits = f[10],
                LocationLevels = f[11], ImageSize = f[12], Classes = f[13], HeadHidden = f[14], HeadInput = (HeadInput)f[15], CoreWidth = f[16],
                PatchPool = f[17], CoarseGain = f[18],
                PolicySigma = BinaryPrimitives.ReadSingleLittleEndian(payload.AsSpan(4 * configFields)),
            }.Validated();
        }
        catch (BadInputException e)
        {
            throw new FileFormatException(path, $"the stored configuration is invalid ({e.Message})", HowToMake);
        }
        // Every model reads MNIST: 28 x 28 images, 10 classes. A file that says otherwise would fail deep in the sensor.
        if (config.ImageSize != MnistDataset.Side || config.Classes != 10)
            throw new FileFormatException(path, $"the stored configuration is for {config.ImageSize} x {config.ImageSize} images and {config.Classes} classes; " +
                $"Mbi's models read MNIST ({MnistDataset.Side} x {MnistDataset.Side} images, 10 classes)", HowToMake);
        int count = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4 * configFields + 4));
        int expected = new RamLayout(config).Count;
        if (count != expected || payload.Length != 4 * configFields + 8 + 4L * count)
            throw new FileFormatException(path, $"holds {count} parameters in {payload.Length} bytes, but its configuration ({config.Describe()}) needs {expected}", HowToMake);
        var parameters = new float[count];
        for (int i = 0; i < count; i++)
            parameters[i] = BinaryPrimitives.ReadSingleLittleEndian(payload.AsSpan(4 * configFields + 8 + 4 * i));
        int bad = NonFiniteWeights(parameters);
        if (bad > 0)
            throw new FileFormatException(path, $"{bad} of {count} weights are NaN or infinite (written by a training run that diverged)", HowToMake);
        return new RamModel(config, parameters);
    }

    /// <summary>
    /// Classifies every image with the deterministic policy (the location mean) on both cores; returns
    /// the fraction correct and writes each prediction. With <paramref name="passes"/> &gt; 1 each image is classified
    /// that many times, pass k on the image translated by <see cref="EvaluationPasses.Offset"/>(k), and the class is the
    /// argmax of the summed softmax outputs (ties to the lower class); one pass is the ordinary evaluation, bit for bit.
    /// </summary>
    public double Evaluate(MnistImages images, Span<int> predictions, IProgress<ProgressUpdate>? progress = null, string stage = "evaluate",
        int passes = 1) =>
        EvaluatePasses(images, predictions, passes, null, progress, stage).Accuracy;

    /// <summary>
    /// <see cref="Evaluate(MnistImages, Span{int}, IProgress{ProgressUpdate}?, string, int)"/> with an early stop: with
    /// <paramref name="stopConfidence"/> P, an image whose first pass gives its top class a softmax probability of at least
    /// P keeps that pass's class and runs no more passes; only the others run passes 2..M (on the images still open), and
    /// their class is the argmax of all M summed softmax outputs. Without P every image runs every pass. Reports the
    /// forward passes really run, so the cost per image is <see cref="PassesEvaluation.MeanPasses"/> passes.
    /// </summary>
    public PassesEvaluation EvaluatePasses(MnistImages images, Span<int> predictions, int passes, double? stopConfidence,
        IProgress<ProgressUpdate>? progress = null, string stage = "evaluate")
    {
        CheckPasses(passes);
        CheckStopConfidence(stopConfidence, passes);
        const int block = 200;
        int blocks = (images.Count + block - 1) / block;
        var predicted = new int[images.Count];
        int done = 0, classes = Config.Classes, stopped = 0;
        long forwards = 0;
        Parallel.For(0, blocks, () => (Network: new RamNetwork(Config, block), Sum: new double[block * Config.Classes]), (b, _, work) =>
        {
            int start = b * block, rows = Math.Min(block, images.Count - start);
            Span<int> indices = stackalloc int[rows];
            for (int i = 0; i < rows; i++) indices[i] = start + i;
            var network = work.Network;
            if (passes == 1)
            {
                network.Forward(Parameters, images, indices, LocationPolicy.Mean);
                network.Predictions[..rows].CopyTo(predicted.AsSpan(start, rows));
                Interlocked.Add(ref forwards, rows);
            }
            else
            {
                Span<double> sum = work.Sum.AsSpan(0, rows * classes);
                sum.Clear();
                // Rows of this block still open (all of them, unless the first pass is confident enough) and their images.
                Span<int> open = stackalloc int[rows];
                Span<int> openImages = stackalloc int[rows];
                int openCount = rows;
                for (int i = 0; i < rows; i++) (open[i], openImages[i]) = (i, start + i);
                for (int pass = 0; pass < passes && openCount > 0; pass++)
                {
                    var (x, y) = EvaluationPasses.Offset(pass);
                    network.Forward(Parameters, images, openImages[..openCount], LocationPolicy.MeanOffset(x, y));
                    Interlocked.Add(ref forwards, openCount);
                    ReadOnlySpan<float> p = network.Probabilities[..(openCount * classes)];
                    for (int i = 0; i < openCount; i++)
                        for (int c = 0; c < classes; c++) sum[open[i] * classes + c] += p[i * classes + c];
                    if (pass == 0 && stopConfidence is double confidence)
                    {
                        int kept = 0;
                        for (int i = 0; i < openCount; i++)
                        {
                            float top = p[i * classes];
                            for (int c = 1; c < classes; c++) top = Math.Max(top, p[i * classes + c]);
                            if (top >= confidence) continue;
                            (open[kept], openImages[kept]) = (open[i], openImages[i]);
                            kept++;
                        }
                        Interlocked.Add(ref stopped, openCount - kept);
                        openCount = kept;
                    }
                }
                for (int i = 0; i < rows; i++)
                {
                    ReadOnlySpan<double> row = sum.Slice(i * classes, classes);
                    int best = 0;
                    for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
                    predicted[start + i] = best;
                }
            }
            int finished = Interlocked.Increment(ref done);
            progress?.Report(new ProgressUpdate(stage, finished, blocks));
            return work;
        }, _ => { });
        int correct = 0;
        for (int i = 0; i < images.Count; i++) if (predicted[i] == images.Label(i)) correct++;
        if (predictions.Length >= predicted.Length) predicted.CopyTo(predictions);
        return new PassesEvaluation((double)correct / images.Count, images.Count, passes, stopConfidence, stopped, forwards);
    }

    /// <summary>Refuses a stop confidence outside [0, 1] or given with a single pass, naming it.</summary>
    public static void CheckStopConfidence(double? stopConfidence, int passes)
    {
        if (stopConfidence is not double p) return;
        if (!(p >= 0 && p <= 1))
            throw BadInputException.For("stop_confidence", p, "a softmax probability from 0 to 1", "0.98");
        if (passes == 1)
            throw BadInputException.For("stop_confidence", p, "given with passes M > 1 (it stops the later passes early)", "passes 5 with stop confidence 0.98");
    }

    /// <summary>Refuses a pass count outside 1..<see cref="EvaluationPasses.Max"/>, naming it.</summary>
    public static void CheckPasses(int passes)
    {
        if (passes < 1 || passes > EvaluationPasses.Max)
            throw BadInputException.For("passes", passes, $"an integer from 1 to {EvaluationPasses.Max}", "1 (one pass) or 5 (the image and its four 1-pixel shifts)");
    }

    public double Evaluate(MnistImages images, IProgress<ProgressUpdate>? progress = null, string stage = "evaluate") =>
        Evaluate(images, Span<int>.Empty, progress, stage);
}

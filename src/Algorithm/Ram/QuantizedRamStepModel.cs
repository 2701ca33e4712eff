using Mbi.Algorithm.Memorization;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// A trained MBI-configuration RAM seen as the step function MBI distils: key (patch levels, previous
/// hidden bits, grid location) to value (next hidden bits, next grid location; the class after the last
/// step). It runs the same kernels in the same order as training's evaluation pass, so chaining Step
/// from <see cref="InitialState"/> reproduces <see cref="RamModel.Evaluate(Mnist.MnistImages, IProgress{Core.Progress.ProgressUpdate}?, string)"/>
/// bit for bit. Thread-safe: each thread gets its own small workspace; no allocation per step.
/// </summary>
public sealed class QuantizedRamStepModel : IGlimpseStepModel
{
    private readonly RamModel _model;
    private readonly LocationGrid _grid;
    private readonly ThreadLocal<Workspace> _workspace;

    internal QuantizedRamStepModel(RamModel model)
    {
        _model = model;
        Spec = model.Config.ToKeySpec();
        Sensor = new QuantizedGlimpseSensor(Spec);
        _grid = new LocationGrid(model.Config.LocationLevels);
        _workspace = new ThreadLocal<Workspace>(() => new Workspace(model.Config));
    }

    /// <summary>Loads a model file and checks that it is an MBI model (1-bit hidden, quantized patch, location grid).</summary>
    public static QuantizedRamStepModel Load(string path) => new(RamModel.Load(path));

    /// <summary>The key spec of the model's steps.</summary>
    public GlimpseKeySpec Spec { get; }
    /// <summary>The model's quantized glimpse sensor.</summary>
    public IQuantizedSensor Sensor { get; }
    internal RamModel Model => _model;

    /// <summary>Hidden bits (0/1) and grid location before the first glimpse.</summary>
    public void InitialState(Span<byte> hiddenBits, out int locationX, out int locationY)
    {
        CheckLength(hiddenBits.Length, Spec.HiddenBits, nameof(hiddenBits));
        hiddenBits[..Spec.HiddenBits].Clear();
        locationX = locationY = _grid.CentreIndex;
    }

    /// <summary>
    /// One glimpse step: next hidden bits and next grid location from the patch, hidden bits and location, and
    /// the class the classifier gives if this step is the last (on the next hidden bits, or on the step's
    /// pre-activation for a model with <see cref="HeadInput.PreActivation"/>).
    /// </summary>
    public void Step(ReadOnlySpan<byte> patchLevels, ReadOnlySpan<byte> hiddenBits, int locationX, int locationY,
        Span<byte> nextHiddenBits, out int nextLocationX, out int nextLocationY, out int stepClass)
    {
        CheckLength(patchLevels.Length, Spec.PatchElements, nameof(patchLevels));
        CheckLength(hiddenBits.Length, Spec.HiddenBits, nameof(hiddenBits));
        CheckLength(nextHiddenBits.Length, Spec.HiddenBits, nameof(nextHiddenBits));
        if ((uint)locationX >= (uint)Spec.LocationLevels || (uint)locationY >= (uint)Spec.LocationLevels)
            throw new ArgumentOutOfRangeException(nameof(locationX), $"location ({locationX}, {locationY}) is outside the {Spec.LocationLevels}-point grid");

        var work = _workspace.Value!;
        var network = work.Network;
        Span<float> patch = network.PatchBuffer(0, 1);
        for (int i = 0; i < Spec.PatchElements; i++)
        {
            if (patchLevels[i] >= Spec.PatchLevels)
                throw new ArgumentOutOfRangeException(nameof(patchLevels), $"patch level {patchLevels[i]} at {i} is not below {Spec.PatchLevels}");
            patch[i] = Quantizer.Value(patchLevels[i], Spec.PatchBits);
        }
        Span<float> location = network.LocationBuffer(0, 1);
        location[0] = _grid.Value(locationX);
        location[1] = _grid.Value(locationY);
        for (int i = 0; i < Spec.HiddenBits; i++) work.Previous[i] = hiddenBits[i] != 0 ? 1f : 0f;

        network.GlimpseAndCore(_model.Parameters, 0, 1, work.Previous);
        ReadOnlySpan<float> hidden = network.Hidden(0, 1);
        for (int i = 0; i < Spec.HiddenBits; i++) nextHiddenBits[i] = hidden[i] > 0.5f ? (byte)1 : (byte)0;
        ReadOnlySpan<float> mean = network.LocationMean(_model.Parameters, 0, 1);
        nextLocationX = _grid.Index(mean[0]);
        nextLocationY = _grid.Index(mean[1]);
        network.Classify(_model.Parameters, network.ClassifierInput(0, 1), 1, work.Logits, work.Probabilities, work.Prediction);
        stepClass = work.Prediction[0];
    }

    private static void CheckLength(int length, int needed, string name)
    {
        if (length < needed)
            throw new ArgumentException($"{name} holds {length} elements; the key spec needs {needed}", name);
    }

    private sealed class Workspace(RamConfig config)
    {
        public RamNetwork Network { get; } = new(config, 1);
        public float[] Previous { get; } = new float[config.Hidden];
        public float[] Logits { get; } = new float[config.Classes];
        public float[] Probabilities { get; } = new float[config.Classes];
        public int[] Prediction { get; } = new int[1];
    }
}

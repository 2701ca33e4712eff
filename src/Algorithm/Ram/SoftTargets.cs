using System.Numerics.Tensors;
using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using Mbi.Core.Progress;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// A teacher's class distribution at temperature T for every training image (knowledge distillation,
/// Hinton et al. 2015): q_i = softmax(z_teacher(image i) / T), stored flat, image after image. The teacher
/// may be any RAM (here the full-precision reference): only its output distribution is copied, computed
/// once with its deterministic policy (the location mean) on the unshifted image.
/// </summary>
internal sealed class SoftTargets
{
    private readonly float[] _probabilities;

    /// <summary>Wraps <paramref name="probabilities"/> (count x classes, each row a distribution) taken at <paramref name="temperature"/>.</summary>
    public SoftTargets(float[] probabilities, int classes, float temperature)
    {
        if (classes < 2 || probabilities.Length == 0 || probabilities.Length % classes != 0)
            throw new ArgumentException($"{probabilities.Length} probabilities do not make rows of {classes} classes", nameof(probabilities));
        if (!(temperature > 0f && temperature <= 100f))
            throw BadInputException.For("temperature", temperature, "in (0, 100]", "4");
        for (int row = 0; row < probabilities.Length / classes; row++)
        {
            ReadOnlySpan<float> q = probabilities.AsSpan(row * classes, classes);
            float sum = 0f;
            foreach (float p in q)
            {
                if (!(p >= 0f && p <= 1f)) throw new ArgumentException($"row {row} holds {p}, not a probability", nameof(probabilities));
                sum += p;
            }
            // float32 softmax rows sum to 1 within a few ulps per class; 1e-3 only catches rows that are not distributions.
            if (MathF.Abs(sum - 1f) > 1e-3f) throw new ArgumentException($"row {row} sums to {sum}, not 1", nameof(probabilities));
        }
        (_probabilities, Classes, Temperature) = (probabilities, classes, temperature);
    }

    public int Classes { get; }
    public int Count => _probabilities.Length / Classes;
    public float Temperature { get; }

    /// <summary>The teacher's distribution for image <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Of(int index) => _probabilities.AsSpan(index * Classes, Classes);

    /// <summary>Runs <paramref name="teacher"/> (location mean, both cores, deterministic) on every image and softens its logits by <paramref name="temperature"/>.</summary>
    public static SoftTargets FromTeacher(RamModel teacher, MnistImages images, float temperature, IProgress<ProgressUpdate>? progress = null) =>
        FromTeachers([teacher], images, temperature, progress);

    /// <summary>
    /// An ensemble of teachers: the mean of their softened distributions, softmax(z_m / T) averaged over the models m
    /// (each run as <see cref="FromTeacher(RamModel, MnistImages, float, IProgress{ProgressUpdate})"/>, summed in the given order).
    /// With <paramref name="passes"/> &gt; 1 every teacher also reads each image in that many passes
    /// (<see cref="EvaluationPasses"/>: the image offset by 0-2 pixels, as `eval --passes`), and the target is the mean over
    /// teachers and passes.
    /// </summary>
    public static SoftTargets FromTeachers(IReadOnlyList<RamModel> teachers, MnistImages images, float temperature, IProgress<ProgressUpdate>? progress = null,
        int passes = 1)
    {
        RamModel.CheckPasses(passes);
        if (teachers.Count == 0) throw new ArgumentException("no teacher", nameof(teachers));
        if (!(temperature > 0f && temperature <= 100f))
            throw BadInputException.For("temperature", temperature, "in (0, 100]", "4");
        int classes = teachers[0].Config.Classes;
        if (teachers.Any(t => t.Config.Classes != classes))
            throw BadInputException.For("teachers", string.Join(", ", teachers.Select(t => t.Config.Classes)), "models of one number of classes");
        var sum = new float[images.Count * classes];
        foreach (var teacher in teachers)
            for (int pass = 0; pass < passes; pass++)
                TensorPrimitives.Add(sum, Single(teacher, images, temperature, progress, EvaluationPasses.Offset(pass)), sum);
        if (teachers.Count * passes > 1) TensorPrimitives.Multiply(sum, 1f / (teachers.Count * passes), sum);
        return new SoftTargets(sum, classes, temperature);
    }

    private static float[] Single(RamModel teacher, MnistImages images, float temperature, IProgress<ProgressUpdate>? progress, (int X, int Y) offset)
    {
        const int block = 200;
        int classes = teacher.Config.Classes, blocks = (images.Count + block - 1) / block, done = 0;
        var probabilities = new float[images.Count * classes];
        Parallel.For(0, blocks, () => new RamNetwork(teacher.Config, block), (b, _, network) =>
        {
            int start = b * block, rows = Math.Min(block, images.Count - start);
            Span<int> indices = stackalloc int[rows];
            for (int i = 0; i < rows; i++) indices[i] = start + i;
            network.Forward(teacher.Parameters, images, indices, LocationPolicy.MeanOffset(offset.X, offset.Y));
            for (int i = 0; i < rows; i++)
            {
                Span<float> q = probabilities.AsSpan((start + i) * classes, classes);
                TensorPrimitives.Multiply(network.Logits.Slice(i * classes, classes), 1f / temperature, q);
                TensorPrimitives.SoftMax(q, q);
            }
            progress?.Report(new ProgressUpdate("teacher", Interlocked.Increment(ref done), blocks));
            return network;
        }, _ => { });
        return probabilities;
    }
}

/// <summary>
/// The distillation term of the loss: (1 - Weight) CE(label, p) + Weight T^2 KL(q || softmax(z / T)), whose
/// gradient on the logits z is (1 - Weight)(p - y) + Weight T (softmax(z / T) - q).
/// </summary>
internal readonly record struct Distillation(SoftTargets Targets, float Weight)
{
    public float Temperature => Targets.Temperature;
}

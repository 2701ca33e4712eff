using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;

namespace Mbi.Cli.Commands;

/// <summary>`mbi train`'s knowledge-distillation options: a teacher RAM, the weight of its soft targets and their temperature.</summary>
internal sealed class TeacherOptions
{
    public Option<string?> Teacher { get; } = new("--teacher")
    {
        Description = "Distil from this trained RAM (e.g. models/ram-reference.ram), or from an ensemble given as a comma-separated list of RAM files: its output distribution (an ensemble's: the mean of its members') on every training image becomes a soft target.",
    };
    public Option<float> Weight { get; } = CommonOptions.Single("--distill-weight",
        "Weight of the teacher's soft targets in the classifier loss, in [0, 1] (the labels get 1 - weight; used only with --teacher)", 0.7f, 0, 1);
    public Option<float> Temperature { get; } = CommonOptions.Single("--temperature",
        "Temperature T of the soft targets: softmax(logits / T) for teacher and student, in (0, 100]", 4f, 1e-3, 100);

    public Option<int> Passes { get; } = CommonOptions.Count("--teacher-passes",
        "Each teacher reads every training image in this many passes (the image offset by 0-2 pixels, as `eval --passes`) and its soft target is their mean", 1, 1, EvaluationPasses.Max);

    public IEnumerable<Option> All => [Teacher, Weight, Temperature, Passes];

    /// <summary>The distillation weight the training options get: the flag's value with a teacher, 0 without one.</summary>
    public float WeightFor(ParseResult parse) => parse.GetValue(Teacher) is null ? 0f : parse.GetValue(Weight);

    /// <summary>The teacher models of --teacher, one or an ensemble (each loaded before anything slow, so a bad file fails at once), or null.</summary>
    public IReadOnlyList<RamModel>? Load(ParseResult parse)
    {
        if (parse.GetValue(Teacher) is not { } list) return null;
        string[] paths = list.Split(',', StringSplitOptions.TrimEntries);
        if (paths.Any(p => p.Length == 0))
            throw BadInputException.For("--teacher", list, "one RAM file or a comma-separated list of them, none empty", "a.ram,b.ram");
        return paths.Select(RamModel.Load).ToArray();
    }

    /// <summary>The <paramref name="teachers"/>' soft targets on <paramref name="train"/> (an ensemble's mean), or null without one.</summary>
    public SoftTargets? Targets(ParseResult parse, IReadOnlyList<RamModel>? teachers, MnistImages train)
    {
        if (teachers is null) return null;
        float temperature = parse.GetValue(Temperature);
        int passes = parse.GetValue(Passes);
        var targets = Terminal.WithProgress("teacher", progress => SoftTargets.FromTeachers(teachers, train, temperature, progress, passes));
        Terminal.Note($"teacher {parse.GetValue(Teacher)} ({(teachers.Count == 1 ? teachers[0].Config.Describe() : $"an ensemble of {teachers.Count} RAMs")}): " +
                      $"soft targets at T = {temperature} on {train.Count} training images{(passes > 1 ? $", {passes} passes each" : "")}, weight {parse.GetValue(Weight)}");
        return targets;
    }
}

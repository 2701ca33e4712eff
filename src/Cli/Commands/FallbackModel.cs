using System.Text.Json;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;

namespace Mbi.Cli.Commands;

/// <summary>
/// --fallback-model FILE: mixed MBI's fallback network when it is not the table's --model. Any trained RAM (full precision
/// included) classifies the images the gate does not serve; its file and configuration go into the commands' text and JSON.
/// </summary>
internal sealed record FallbackModel(string Path, RamModel Model)
{
    /// <summary>The RAM's configuration, as `mbi eval` describes it.</summary>
    public string Description => Model.Config.Describe();

    /// <summary>The RAM at <paramref name="path"/>, read now so a missing or damaged file fails before any lookup; null for no path.</summary>
    public static FallbackModel? Load(string? path) => path is null ? null : new FallbackModel(path, RamModel.Load(path));

    /// <summary>Refuses a RAM for another number of classes or image size than <paramref name="table"/>'s, before any lookup runs.</summary>
    public void CheckFits(LookupTable table) => CheckFits(table.Spec);

    /// <summary>Refuses a RAM for another number of classes or image size than keys of <paramref name="spec"/> serve.</summary>
    public void CheckFits(GlimpseKeySpec spec) => MbiEvaluation.CheckFallback(Model.Config, Path, spec);

    /// <summary>
    /// The class of every image from the network that classifies what the gate does not serve: <paramref name="fallback"/>
    /// when --fallback-model was given, else the table's own --model <paramref name="model"/>.
    /// </summary>
    public static int[] ClassesOf(FallbackModel? fallback, QuantizedRamStepModel model, LookupTable table, MnistImages images, string command) =>
        fallback?.Classes(table, images, command) ?? Terminal.WithProgress(command, p => MbiEvaluation.RunModel(model, images, p));

    /// <summary>The fallback's class of every image (its own evaluation pass).</summary>
    public int[] Classes(LookupTable table, MnistImages images, string command) =>
        Terminal.WithProgress(command, p => MbiEvaluation.RunFallback(Model, Path, table.Spec, images, p));

    /// <summary>The fraction of <paramref name="images"/> that <paramref name="classes"/> gets right (the fallback alone).</summary>
    public static double Accuracy(ReadOnlySpan<int> classes, MnistImages images)
    {
        int correct = 0;
        for (int i = 0; i < classes.Length; i++) if (classes[i] == images.Label(i)) correct++;
        return correct / (double)classes.Length;
    }

    /// <summary>
    /// <paramref name="report"/> as the one JSON object a command prints, with a "fallback_model" field (<paramref name="fields"/>)
    /// appended when a fallback was given; without one, <paramref name="report"/> itself, so the output is what it was before the flag.
    /// </summary>
    public static object Json(object report, FallbackModel? fallback, Func<FallbackModel, object> fields) =>
        WithField(report, "fallback_model", fallback is null ? null : fields(fallback));

    /// <summary>
    /// <paramref name="report"/> with a field <paramref name="name"/> = <paramref name="value"/> appended, or
    /// <paramref name="report"/> itself when <paramref name="value"/> is null: a field a flag adds leaves every other output as it was.
    /// </summary>
    public static object WithField(object report, string name, object? value)
    {
        if (value is null) return report;
        var node = JsonSerializer.SerializeToNode(report, report.GetType(), Terminal.Json)!.AsObject();
        node[name] = JsonSerializer.SerializeToNode(value, value.GetType(), Terminal.Json);
        return node;
    }

    /// <summary>
    /// Refuses --fallback-model beside --fallback-check (infer, tune-mixed): with the check as the fallback there is no
    /// network to give.
    /// </summary>
    public static void RefuseBesideCheck(string? fallbackPath, bool toCheck)
    {
        if (toCheck && fallbackPath is not null)
            throw BadInputException.For("--fallback-model", fallbackPath, "left out with --fallback-check (the images not served take the image check's class; no network)",
                "--fallback-check alone, or --fallback-model alone");
    }

    /// <summary>One line for the commands' text: which network classifies the images the gate does not serve, and how well alone.</summary>
    public string Line(double accuracy, int images, string split) => string.Format(CultureInfo.InvariantCulture,
        "fallback network (images not served by lookups): {0} ({1}), alone {2:P2} on the {3} {4} images", Path, Description, accuracy, images, split);
}

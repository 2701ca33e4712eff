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

    /// <summary>Refuses a RAM for another number of classes or image size than <paramref name="table"/>'s, before any lookup runs.</summary>
    public void CheckFits(LookupTable table) => MbiEvaluation.CheckFallback(Model.Config, Path, table.Spec);

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
    public static object Json(object report, FallbackModel? fallback, Func<FallbackModel, object> fields)
    {
        if (fallback is null) return report;
        var node = JsonSerializer.SerializeToNode(report, report.GetType(), Terminal.Json)!.AsObject();
        node["fallback_model"] = JsonSerializer.SerializeToNode(fields(fallback), Terminal.Json);
        return node;
    }

    /// <summary>One line for the commands' text: which network classifies the images the gate does not serve, and how well alone.</summary>
    public string Line(double accuracy, int images, string split) => string.Format(CultureInfo.InvariantCulture,
        "fallback network (images not served by lookups): {0} ({1}), alone {2:P2} on the {3} {4} images", Path, Description, accuracy, images, split);
}

using Mbi.Algorithm.Mnist;
using Mbi.Core.Errors;
using Mbi.Core.Progress;

namespace Mbi.Algorithm.Ram;

/// <summary>
/// Model soups (Wortsman et al., ICML 2022): the weights of several fine-tunes of one model, averaged element by
/// element. Fine-tunes that start from the same weights stay in one basin of the loss, so their average is a model
/// too, often better than each ingredient, at the cost of one model (an ensemble would need a table per member in MBI).
/// The configuration, and so the key and the MBI hardware, is that of every ingredient; models of different
/// configurations are refused. The mean is taken in double precision in a fixed order, so the same ingredients
/// in the same order give the same bytes.
/// </summary>
internal static class RamSoup
{
    /// <summary>The element-wise mean of the ingredients' weights. All must share one configuration.</summary>
    public static RamModel Uniform(IReadOnlyList<RamModel> ingredients, IReadOnlyList<string>? names = null)
    {
        if (ingredients.Count == 0) throw new BadInputException("a soup needs at least one model; give --models A.ram,B.ram.");
        var first = ingredients[0];
        for (int m = 1; m < ingredients.Count; m++)
            if (ingredients[m].Config != first.Config)
                throw new BadInputException($"{Name(names, m)} ({ingredients[m].Config.Describe()}) is not the configuration of {Name(names, 0)} " +
                    $"({first.Config.Describe()}); a soup averages fine-tunes of one model: give models trained with --init from the same file.");
        int count = first.Parameters.Length;
        var mean = new float[count];
        for (int i = 0; i < count; i++)
        {
            double sum = 0;
            for (int m = 0; m < ingredients.Count; m++) sum += ingredients[m].Parameters[i];
            mean[i] = (float)(sum / ingredients.Count);
        }
        return new RamModel(first.Config, mean);
    }

    /// <summary>One step of <see cref="Greedy"/>: the ingredient tried, the soup's validation accuracy with it, and whether it stayed.</summary>
    public sealed record Step(int Ingredient, double IngredientAccuracy, double SoupAccuracy, bool Kept);

    /// <summary>
    /// The greedy soup: ingredients sorted by their own validation accuracy (best first, ties by order given), each
    /// added to the soup only if the soup's validation accuracy does not fall. Every choice is made on
    /// <paramref name="validation"/>; returns the soup and every step tried.
    /// </summary>
    public static (RamModel Soup, IReadOnlyList<Step> Steps, IReadOnlyList<int> Kept) Greedy(IReadOnlyList<RamModel> ingredients,
        MnistImages validation, IReadOnlyList<string>? names = null, IProgress<ProgressUpdate>? progress = null)
    {
        Uniform(ingredients, names); // refuses mixed configurations before any evaluation
        var own = new double[ingredients.Count];
        for (int m = 0; m < ingredients.Count; m++)
        {
            own[m] = ingredients[m].Evaluate(validation);
            progress?.Report(new ProgressUpdate("soup", m + 1, 2 * ingredients.Count));
        }
        int[] order = Enumerable.Range(0, ingredients.Count).OrderByDescending(m => own[m]).ThenBy(m => m).ToArray();
        var kept = new List<int> { order[0] };
        var steps = new List<Step> { new(order[0], own[order[0]], own[order[0]], true) };
        double best = own[order[0]];
        for (int k = 1; k < order.Length; k++)
        {
            int m = order[k];
            var trial = Uniform(kept.Append(m).Select(i => ingredients[i]).ToList());
            double accuracy = trial.Evaluate(validation);
            bool keep = accuracy >= best;
            if (keep) { kept.Add(m); best = accuracy; }
            steps.Add(new Step(m, own[m], accuracy, keep));
            progress?.Report(new ProgressUpdate("soup", ingredients.Count + k + 1, 2 * ingredients.Count));
        }
        return (Uniform(kept.Select(i => ingredients[i]).ToList()), steps, kept);
    }

    private static string Name(IReadOnlyList<string>? names, int m) => names is null ? $"model {m + 1}" : names[m];
}

using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.Errors;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi soup --models A.ram,B.ram,... --out FILE`: averages the weights of fine-tunes of one model (a model soup),
/// uniformly or greedily on the validation split. It reports validation accuracy only: score the soup on the test
/// set once, with `mbi eval`, after choosing.
/// </summary>
internal static class SoupCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models")
        {
            Description = "Comma-separated RAM files of one configuration, e.g. fine-tunes of one model at several seeds (each trained with --init from the same file).",
            Required = true,
        };
        var greedy = new Option<bool>("--greedy")
        {
            Description = "Greedy soup: add the models best first by their own validation accuracy, keeping each only if the soup's validation accuracy does not fall (default: the uniform mean of all).",
        };
        var output = new Option<string>("--out") { Description = "Model file to write (a metrics JSON is written beside it as FILE.metrics.json)", Required = true };
        var splitSeed = CommonOptions.SplitSeed("Seed that drew the ingredients' validation split (their --split-seed, else their --seed) (default 1)");
        var validation = CommonOptions.Validation();
        var mnist = CommonOptions.Mnist();
        var json = CommonOptions.Json();
        var command = new Command("soup", "Average the weights of several fine-tunes of one RAM (a model soup), uniformly or greedily on the validation split; validation accuracy only.")
            { models, greedy, output, splitSeed, validation, mnist, json };
        command.SetAction(parse =>
        {
            string list = parse.GetValue(models)!;
            string[] paths = list.Split(',', StringSplitOptions.TrimEntries);
            if (paths.Length < 2 || paths.Any(p => p.Length == 0))
                throw BadInputException.For("--models", list, "two or more RAM files, comma-separated, none empty", "ft-s1.ram,ft-s2.ram,ft-s3.ram");
            string outPath = OutputPaths.File("--out", parse.GetValue(output), "models/soup.ram");
            OutputPaths.File("--out", TrainCommand.MetricsPath(outPath), "models/soup.ram");
            var ingredients = paths.Select(RamModel.Load).ToArray();
            RamSoup.Uniform(ingredients, paths); // mixed configurations fail here, before MNIST is read
            ulong split = parse.GetValue(splitSeed) ?? 1;
            var (_, held) = ValidationSplit.Load(parse.GetValue(mnist), parse.GetValue(validation), split);
            bool isGreedy = parse.GetValue(greedy);

            RamModel soup;
            IReadOnlyList<RamSoup.Step>? steps = null;
            IReadOnlyList<int> kept;
            double[] own;
            if (isGreedy)
            {
                (soup, steps, kept) = Terminal.WithProgress("soup", progress => RamSoup.Greedy(ingredients, held, paths, progress));
                own = new double[ingredients.Length];
                foreach (var step in steps) own[step.Ingredient] = step.IngredientAccuracy;
            }
            else
            {
                soup = RamSoup.Uniform(ingredients, paths);
                kept = Enumerable.Range(0, ingredients.Length).ToArray();
                own = Terminal.WithProgress("soup", progress => ingredients.Select((m, i) =>
                {
                    double a = m.Evaluate(held);
                    progress.Report(new Mbi.Core.Progress.ProgressUpdate("soup", i + 1, ingredients.Length + 1));
                    return a;
                }).ToArray());
            }
            double soupAccuracy = soup.Evaluate(held);
            soup.Save(outPath);
            var metrics = new
            {
                kind = isGreedy ? "greedy soup" : "uniform soup",
                model = outPath,
                validation_accuracy = soupAccuracy,
                validation_images = held.Count,
                split_seed = split,
                ingredients = paths.Select((p, i) => new { model = p, validation_accuracy = own[i], kept = kept.Contains(i) }).ToArray(),
                greedy_steps = steps?.Select(s => new { model = paths[s.Ingredient], soup_validation_accuracy = s.SoupAccuracy, kept = s.Kept }).ToArray(),
                configuration = TrainCommand.Configuration(soup.Config),
                note = "validation only; score the chosen soup on the test set once with `mbi eval`",
            };
            string metricsPath = TrainCommand.MetricsPath(outPath);
            Core.IO.AtomicFile.WriteAllText(metricsPath, Terminal.ToJson(metrics) + "\n");
            if (parse.GetValue(json)) Terminal.PrintJson(metrics);
            else
            {
                for (int i = 0; i < paths.Length; i++)
                    Console.WriteLine($"{paths[i]}: validation {100 * own[i]:F2}%{(kept.Contains(i) ? "" : " (left out)")}");
                Console.WriteLine($"{metrics.kind} of {kept.Count}: validation {100 * soupAccuracy:F2}% on {held.Count} images (split seed {split}); model {outPath}, metrics {metricsPath}");
                Console.WriteLine("score it on the test set once, after choosing: mbi eval --model " + parse.GetValue(output));
            }
            return 0;
        });
        return command;
    }
}

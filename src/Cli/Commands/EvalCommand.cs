using Mbi.Algorithm.Memorization;
using System.Diagnostics;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;

namespace Mbi.Cli.Commands;

/// <summary>`mbi eval --model FILE`: re-measures a trained RAM's accuracy on the MNIST test set.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var steps = new Option<bool>("--check-steps")
        {
            Description = "For an MBI model, also classify every image by chaining the IGlimpseStepModel step function (what MBI distils) and report whether it agrees with the batch pass.",
        };
        var json = CommonOptions.Json();
        var mnist = CommonOptions.Mnist();
        var command = new Command("eval", "Measure a trained recurrent attention model's accuracy on the MNIST test set.") { model, steps, mnist, json };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(model)!;
            bool asJson = parse.GetValue(json);
            var ram = RamModel.Load(path);
            var test = MnistDataset.LoadTest(parse.GetValue(mnist));
            var clock = Stopwatch.StartNew();
            var predictions = new int[test.Count];
            double accuracy = Terminal.WithProgress("eval", progress => ram.Evaluate(test, predictions, progress));
            double seconds = clock.Elapsed.TotalSeconds;
            int? stepDisagreements = null, distinctLocations = null;
            double? stepAccuracy = null;
            if (parse.GetValue(steps))
            {
                // The step function alone (sensor, Step, Classify), as distillation chains it, against the batch pass.
                var visited = new HashSet<(int X, int Y)>();
                int[] chained = MbiEvaluation.RunModel(new QuantizedRamStepModel(ram), test, visited: visited);
                stepAccuracy = chained.Where((c, i) => c == test.Label(i)).Count() / (double)test.Count;
                (stepDisagreements, distinctLocations) = (chained.Where((c, i) => c != predictions[i]).Count(), visited.Count);
            }

            var result = new
            {
                test_accuracy = accuracy,
                test_error = 1 - accuracy,
                images = test.Count,
                seconds,
                images_per_second = test.Count / seconds,
                step_model_accuracy = stepAccuracy,
                step_model_disagreements = stepDisagreements,
                step_model_distinct_locations = distinctLocations,
                model = path,
                mbi_compatible = ram.Config.IsMbiCompatible,
                parameters = ram.Layout.Count,
                configuration = TrainCommand.Configuration(ram.Config),
            };
            if (asJson) Terminal.PrintJson(result);
            else
            {
                Console.WriteLine($"{path}: {ram.Config.Describe()}");
                Console.WriteLine($"test accuracy {100 * accuracy:F2}% (error {100 * (1 - accuracy):F2}%) on {test.Count} images in {seconds:F1} s ({test.Count / seconds:F0} images/s)");
                if (stepAccuracy is not null)
                    Console.WriteLine($"step-function chain: {100 * stepAccuracy:F2}%, {stepDisagreements} images disagree with the batch pass; glimpses visited {distinctLocations} distinct grid points");
            }
            return 0;
        });
        return command;
    }
}

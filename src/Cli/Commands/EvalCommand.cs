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
        var imageSet = new ImageSetOptions(
            "Images to score: test (the 10,000 MNIST test images) or validation (the held-out training images of --split-seed, to choose between models without the test set) (default test)",
            "With --on validation: the seed that drew the model's validation split (its --split-seed, else its --seed) (default 1)");
        var passes = CommonOptions.Passes("Classify each image this many times and take the class of the summed softmax outputs");
        var stopConfidence = CommonOptions.StopConfidence();
        var json = CommonOptions.Json();
        var mnist = CommonOptions.Mnist();
        var command = new Command("eval", "Measure a trained recurrent attention model's accuracy on the MNIST test set (or its validation split).")
            { model, steps };
        imageSet.AddTo(command);
        foreach (Option option in new Option[] { passes, stopConfidence, mnist, json }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(model)!;
            bool asJson = parse.GetValue(json);
            bool onValidation = imageSet.OnValidation(parse);
            ulong? split = imageSet.SplitSeedUsed(parse);
            int passCount = parse.GetValue(passes);
            double? stop = parse.GetValue(stopConfidence);
            CommonOptions.RequirePassesForStop(stop, passCount, "--stop-confidence", 5);
            var ram = RamModel.Load(path);
            long macsPerPass = RamFlops.ForwardMacs(ram.Config);
            var test = onValidation ? imageSet.ValidationImages(parse, parse.GetValue(mnist)) : MnistDataset.LoadTest(parse.GetValue(mnist));
            string set = imageSet.Set(parse);
            var clock = Stopwatch.StartNew();
            var predictions = new int[test.Count];
            var run = Terminal.WithProgress("eval", progress => ram.EvaluatePasses(test, predictions, passCount, stop, progress));
            double accuracy = run.Accuracy;
            double seconds = clock.Elapsed.TotalSeconds;
            int? stepDisagreements = null, distinctLocations = null;
            double? stepAccuracy = null;
            if (parse.GetValue(steps))
            {
                // The step function alone (sensor, Step, Classify), as distillation chains it, against the batch pass.
                var visited = new HashSet<(int X, int Y)>();
                int[] chained = MbiEvaluation.RunModel(new QuantizedRamStepModel(ram), test, visited: visited);
                // The chain is one pass: compare it with the batch pass's single-pass classes.
                if (passCount > 1) ram.Evaluate(test, predictions);
                stepAccuracy = chained.Where((c, i) => c == test.Label(i)).Count() / (double)test.Count;
                (stepDisagreements, distinctLocations) = (chained.Where((c, i) => c != predictions[i]).Count(), visited.Count);
            }

            var result = new
            {
                images_scored = set,
                split_seed = split,
                test_accuracy = onValidation ? (double?)null : accuracy,
                test_error = onValidation ? (double?)null : 1 - accuracy,
                validation_accuracy = onValidation ? accuracy : (double?)null,
                images = test.Count,
                passes = passCount,
                pass_offsets_pixels = EvaluationPasses.Offsets(passCount),
                stop_confidence = stop,
                images_stopped_after_first_pass = stop is null ? (int?)null : run.StoppedAfterFirstPass,
                mean_passes_per_image = run.MeanPasses,
                multiply_adds_per_image = run.MeanPasses * macsPerPass,
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
                Console.WriteLine($"{set} accuracy {100 * accuracy:F2}% (error {100 * (1 - accuracy):F2}%) on {test.Count} images{(passCount > 1 ? $", {passCount} passes (image offsets {EvaluationPasses.Describe(passCount)}; summed softmax)" : "")}{(onValidation ? $" (split seed {split})" : "")} in {seconds:F1} s ({test.Count / seconds:F0} images/s)");
                if (stop is double p)
                    Console.WriteLine($"early stop at top softmax probability >= {p}: {run.StoppedAfterFirstPass} of {test.Count} images stopped after the first pass; the others ran all {passCount}");
                Console.WriteLine(run.MeanPasses == passCount
                    ? $"cost: {passCount * macsPerPass:N0} multiply-adds per image ({passCount} pass{(passCount > 1 ? "es" : "")} x {macsPerPass:N0}; the classifier and location network included)"
                    : $"cost: {run.MeanPasses * macsPerPass:N0} multiply-adds per image on average ({run.MeanPasses:F3} passes x {macsPerPass:N0}; the classifier and location network included)");
                if (stepAccuracy is not null)
                    Console.WriteLine($"step-function chain: {100 * stepAccuracy:F2}%, {stepDisagreements} images disagree with the batch pass; glimpses visited {distinctLocations} distinct grid points");
            }
            return 0;
        });
        return command;
    }
}

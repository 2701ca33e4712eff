using System.CommandLine;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.CoSim.Reports.Svg;
using Mbi.Core.IO;
using Mbi.Core.Progress;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi sweep-ram`: the paper's Fig. 3 as CSV + SVG, one short training per point around a base
/// configuration (the MBI preset unless told otherwise).
/// </summary>
internal static class SweepRamCommand
{
    public static Command Create()
    {
        var model = new RamModelOptions();
        var training = new TrainingOptionSet(defaultEpochs: 2, defaultTrainLimit: 10_000);
        var panels = new Option<string>("--panels") { Description = "Which panels of Fig. 3 to run: any of a, b, c (default abc)", DefaultValueFactory = _ => "abc" };
        var output = new Option<string>("--out") { Description = "Folder for fig3.csv and fig3a/b/c.svg (default runs/sweep-ram)", DefaultValueFactory = _ => "runs/sweep-ram" };
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var mnist = CommonOptions.Mnist();
        var command = new Command("sweep-ram", "Reproduce Fig. 3: accuracy vs glimpses, patch size, scale, patches (a), bit widths (b), hidden length and core layers (c).");
        foreach (var option in model.All.Concat(training.All)) command.Options.Add(option);
        command.Options.Add(panels); command.Options.Add(output); command.Options.Add(seed); command.Options.Add(mnist); command.Options.Add(json);
        command.SetAction(parse =>
        {
            RamConfig baseConfig = model.Read(parse);
            ulong seedValue = parse.GetValue(seed);
            TrainingOptions options = training.Read(parse, seedValue);
            string folder = OutputPaths.Folder("--out", parse.GetValue(output), "runs/sweep-ram");
            var points = RamSweep.Fig3(baseConfig, parse.GetValue(panels) ?? "abc");
            var data = MnistDataset.Load(parse.GetValue(mnist));
            var (train, validation) = training.Split(data, parse, seedValue);
            Terminal.Note($"seed {seedValue}; base {baseConfig.Describe()}");
            Terminal.Note($"{points.Count} points, each {options.Epochs} epochs on {train.Count} training images (batch {options.BatchSize}), tested on {data.Test.Count}");

            var results = Terminal.WithProgress("sweep-ram", progress =>
            {
                var list = new List<SweepResult>();
                foreach (var point in points)
                {
                    progress.Report(new ProgressUpdate("points", list.Count, points.Count, $"{point.Parameter} = {point.ValueText} ({point.Series})"));
                    var result = RamSweep.Run(point, train, validation, data.Test, options, null);
                    list.Add(result);
                    if (Console.IsErrorRedirected)
                        Terminal.Note($"{point.Panel} {point.Series}: {point.Parameter} = {point.ValueText}: test {100 * result.TestAccuracy:F2}% ({result.TrainSeconds:F0} s)");
                }
                progress.Report(new ProgressUpdate("points", list.Count, points.Count, "done"));
                return list;
            });

            Directory.CreateDirectory(folder);
            var csv = new CsvWriter("panel", "series", "parameter", "value", "test_accuracy", "validation_accuracy", "train_seconds", "epochs", "train_images", "seed", "configuration");
            foreach (var r in results)
                csv.Row(r.Point.Panel, r.Point.Series, r.Point.Parameter, r.Point.ValueText, r.TestAccuracy, r.ValidationAccuracy, r.TrainSeconds,
                    options.Epochs, train.Count, seedValue, r.Point.Config.Describe());
            string csvPath = Path.Combine(folder, "fig3.csv");
            csv.Save(csvPath);
            var charts = Charts(results, options.Epochs, train.Count, folder);

            var summary = new
            {
                csv = csvPath,
                svg = charts,
                seed = seedValue,
                epochs_per_point = options.Epochs,
                train_images = train.Count,
                total_train_seconds = results.Sum(r => r.TrainSeconds),
                points = results.Select(r => new
                {
                    panel = r.Point.Panel, series = r.Point.Series, parameter = r.Point.Parameter, value = r.Point.ValueText,
                    test_accuracy = r.TestAccuracy, validation_accuracy = r.ValidationAccuracy, train_seconds = r.TrainSeconds,
                }).ToArray(),
            };
            if (parse.GetValue(json)) Terminal.PrintJson(summary);
            else
            {
                foreach (var r in results)
                    Console.WriteLine($"({r.Point.Panel}) {r.Point.Series,-22} {r.Point.Parameter,-13} {r.Point.ValueText,5}: test {100 * r.TestAccuracy:F2}%");
                Console.WriteLine($"wrote {csvPath} and {string.Join(", ", charts)}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>One SVG per panel; bit widths plot full precision at 32.</summary>
    private static IReadOnlyList<string> Charts(IReadOnlyList<SweepResult> results, int epochs, int trainImages, string folder)
    {
        var paths = new List<string>();
        foreach (var panel in results.GroupBy(r => r.Point.Panel))
        {
            string xLabel = panel.Key switch { "a" => "parameter value", "b" => "bits (32 = full precision)", _ => "hidden length" };
            var chart = new SvgChart($"Fig. 3({panel.Key}): test accuracy, {epochs} epochs on {trainImages} images per point", xLabel, "test accuracy (%)")
            {
                LogX = panel.Key != "a",
            };
            foreach (var series in panel.GroupBy(r => r.Point.Series))
            {
                var ordered = series.OrderBy(r => r.Point.Value == 0 ? 32 : r.Point.Value).ToList();
                chart.Line(series.Key, ordered.Select(r => (double)(r.Point.Value == 0 ? 32 : r.Point.Value)).ToList(),
                    ordered.Select(r => 100 * r.TestAccuracy).ToList());
            }
            string path = Path.Combine(folder, $"fig3{panel.Key}.svg");
            chart.Save(path);
            paths.Add(path);
        }
        return paths;
    }
}

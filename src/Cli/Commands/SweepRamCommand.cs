using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.Progress;
using Mbi.CoSim.Reports;

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
        var output = CommonOptions.OutFolder("fig3.csv and fig3a/b/c.png (.svg beside)", "runs/sweep-ram");
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

            var files = MbiFigures.Fig3(results, folder, options.Epochs, train.Count, seedValue);
            string csvPath = files[0];
            var charts = files.Skip(1).ToList();

            var summary = new
            {
                csv = csvPath,
                png = charts,
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
}

using System.Security.Cryptography;
using System.Text;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Core.IO;
using Mbi.Core.Progress;
using Mbi.CoSim.Reports;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi sweep-ram`: the paper's Fig. 3 as CSV + SVG, one short training per point around a base configuration (the MBI
/// preset unless told otherwise). Every finished point is journalled in --out (points.journal), so a rerun of the same
/// command continues where the last stopped; --shard K/N trains only the points i with i mod N = K-1 for `mbi merge`.
/// </summary>
internal static class SweepRamCommand
{
    public const string JournalName = "points.journal";

    public static Command Create()
    {
        var model = new RamModelOptions();
        var training = new TrainingOptionSet(defaultEpochs: 2, defaultTrainLimit: 10_000);
        var panels = new Option<string>("--panels") { Description = "Which panels of Fig. 3 to run: any of a, b, c (default abc)", DefaultValueFactory = _ => "abc" };
        var output = CommonOptions.OutFolder("fig3.csv and fig3a/b/c.png (.svg beside), and points.journal (finished points: a rerun continues)", "runs/sweep-ram");
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var mnist = CommonOptions.Mnist();
        var fresh = CommonOptions.Fresh("--out (points.journal)", "trained points");
        var shards = new ShardOptions("points");
        var command = new Command("sweep-ram", "Reproduce Fig. 3: accuracy vs glimpses, patch size, scale, patches (a), bit widths (b), hidden length and core layers (c).");
        foreach (var option in model.All.Concat(training.All)) command.Options.Add(option);
        command.Options.Add(panels); command.Options.Add(output); command.Options.Add(seed); command.Options.Add(mnist); command.Options.Add(json); command.Options.Add(fresh);
        shards.AddTo(command);
        command.SetAction(parse =>
        {
            RamConfig baseConfig = model.Read(parse);
            ulong seedValue = parse.GetValue(seed);
            TrainingOptions options = training.Read(parse, seedValue);
            string folder = OutputPaths.Folder("--out", parse.GetValue(output), "runs/sweep-ram");
            var points = RamSweep.Fig3(baseConfig, parse.GetValue(panels) ?? "abc");
            foreach (var point in points) options.CheckFits(point.Config); // e.g. --hidden-flip and the hidden-bits points: refused before any training
            using var claim = OutputPaths.Lock("--out", folder);
            var shard = shards.Begin(parse, NoDesign);
            string fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', ShardOptions.RunArguments(parse)))));
            using var journal = RamSweepJournal.Open(Path.Combine(folder, JournalName), fingerprint, points.Count, parse.GetValue(fresh));
            var data = MnistDataset.Load(parse.GetValue(mnist));
            var (train, validation) = training.Split(data, parse, seedValue);
            int owned = shard?.OwnedOf(points.Count) ?? points.Count, resumed = journal.Completed.Keys.Count(i => shard?.Owns(i) ?? true);
            Terminal.Note($"seed {seedValue}; base {baseConfig.Describe()}");
            Terminal.Note($"{points.Count} points{(shard is null ? "" : $" ({owned} in shard {shard})")}, each {options.Epochs} epochs on {train.Count} training images (batch {options.BatchSize}), tested on {data.Test.Count}");
            if (resumed > 0) Terminal.Note($"{resumed} of {owned} points read back from {journal.Path} (--fresh discards them)");

            var results = Terminal.WithProgress("sweep-ram", progress =>
            {
                var list = new List<SweepResult>();
                for (int i = 0; i < points.Count; i++)
                {
                    var point = points[i];
                    if (!(shard?.Owns(i) ?? true)) continue;
                    // A point read back was trained by an earlier run: its training time is not known here (NaN in run.json).
                    if (journal.Completed.TryGetValue(i, out var done)) { list.Add(new SweepResult(point, done.Test, done.Validation, double.NaN)); continue; }
                    progress.Report(new ProgressUpdate("points", list.Count, owned, $"{point.Parameter} = {point.ValueText} ({point.Series})"));
                    var result = RamSweep.Run(point, train, validation, data.Test, options, null);
                    journal.Append(i, result.TestAccuracy, result.ValidationAccuracy);
                    list.Add(result);
                    if (Console.IsErrorRedirected)
                        Terminal.Note($"{point.Panel} {point.Series}: {point.Parameter} = {point.ValueText}: test {100 * result.TestAccuracy:F2}% ({result.TrainSeconds:F0} s)");
                }
                progress.Report(new ProgressUpdate("points", list.Count, owned, "done"));
                return list;
            });
            if (shard is not null)
            {
                var manifest = ShardOptions.Finish(parse, shard, folder, seedValue, points.Count, NoDesign, [JournalName], "", 1, results.Where(r => !double.IsNaN(r.TrainSeconds)).Sum(r => r.TrainSeconds));
                if (parse.GetValue(json)) Terminal.PrintJson(manifest);
                return 0;
            }

            var files = MbiFigures.Fig3(results, folder, options.Epochs, train.Count, seedValue, trainSeconds: false);
            var charts = files.Skip(1).ToList();
            // How each point's training ran (seconds, read back or trained here) is not a result: run.json, never compared.
            AtomicFile.WriteAllText(Path.Combine(folder, "run.json"), Terminal.ToJson(new
            {
                points_read_back = resumed, trained_here_seconds = results.Where(r => !double.IsNaN(r.TrainSeconds)).Sum(r => r.TrainSeconds),
                train_seconds = results.Select(r => new { panel = r.Point.Panel, series = r.Point.Series, value = r.Point.ValueText,
                    seconds = double.IsNaN(r.TrainSeconds) ? (double?)null : r.TrainSeconds }).ToArray(),
            }) + "\n");
            var summary = new
            {
                csv = files[0], png = charts, seed = seedValue, epochs_per_point = options.Epochs, train_images = train.Count,
                points_read_back = resumed,
                points = results.Select(r => new
                {
                    panel = r.Point.Panel, series = r.Point.Series, parameter = r.Point.Parameter, value = r.Point.ValueText,
                    test_accuracy = r.TestAccuracy, validation_accuracy = r.ValidationAccuracy,
                    train_seconds = double.IsNaN(r.TrainSeconds) ? (double?)null : r.TrainSeconds,
                }).ToArray(),
            };
            if (parse.GetValue(json)) Terminal.PrintJson(summary);
            else
            {
                foreach (var r in results)
                    Console.WriteLine($"({r.Point.Panel}) {r.Point.Series,-22} {r.Point.Parameter,-13} {r.Point.ValueText,5}: test {100 * r.TestAccuracy:F2}%");
                Console.WriteLine($"wrote {files[0]} and {string.Join(", ", charts)}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>sweep-ram runs no circuit: its shards record this stamp in place of a design's.</summary>
    private static readonly Mbi.Circuit.Design.DesignStamp NoDesign =
        new(Convert.ToHexStringLower(SHA256.HashData("mbi sweep-ram: no circuit design"u8)), null, []);
}

using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.CoSim.Reports;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi tune-distance --lut FILE --out DIR`: Bayesian optimisation of the distance weights (a, b, c) on the
/// validation split that distillation held out (paper Fig. 4(a)): for each LUT size, lookup-only accuracy
/// with unweighted, BO-tuned and random-searched weights (same budget), validation and test.
/// </summary>
internal static class TuneDistanceCommand
{
    public static Command Create()
    {
        var lut = CommonOptions.Lut();
        var outDir = CommonOptions.OutFolder("the fig4a CSV and SVG files", "out/mbi");
        var sizes = new Option<string>("--sizes") { Description = "LUT sizes in rows (the first N rows of the table, a uniform sample); 'all' for the whole table (default 4000,16000,64000,all).", DefaultValueFactory = _ => "4000,16000,64000,all" };
        var budget = CommonOptions.Count("--budget", "Objective evaluations for BO, and the same for random search", 15, 2, 500);
        var validation = CommonOptions.Validation();
        var tuneImages = CommonOptions.Count("--tune-images", "Validation images scored per evaluation", 1000, 1, 50000);
        var testImages = CommonOptions.Count("--test-images", "Test images for the reported accuracy", 10000, 1, 10000);
        var outLut = new Option<string?>("--out-lut") { Description = "Write the table (all rows) with the BO weights of the largest size, for `mbi infer`." };
        var seed = CommonOptions.Seed();
        var splitSeed = CommonOptions.SplitSeed();
        var json = CommonOptions.Json();
        var mnist = CommonOptions.Mnist();
        var command = new Command("tune-distance", "Tune the distance weights (a, b, c) by Bayesian optimisation vs random search; accuracy vs LUT size (Fig. 4a).")
        {
            lut, outDir, sizes, budget, validation, tuneImages, testImages, outLut, seed, splitSeed, json, mnist,
        };
        command.SetAction(parse =>
        {
            ulong s = parse.GetValue(seed);
            string dir = OutputPaths.Folder("--out", parse.GetValue(outDir), "out/mbi");
            string? lutOut = parse.GetValue(outLut) is string l ? OutputPaths.File("--out-lut", l, "out/tuned.lut") : null;
            var table = LutFile.Read(parse.GetValue(lut)!);
            var (_, validationSet) = ValidationSplit.Load(parse.GetValue(mnist), parse.GetValue(validation), parse.GetValue(splitSeed) ?? s);
            int tune = parse.GetValue(tuneImages);
            if (tune > validationSet.Count) throw BadInputException.For("--tune-images", tune, $"<= --validation ({validationSet.Count})", "1000");
            var tuneSet = validationSet.Take(tune);
            var test = MnistDataset.LoadTest(parse.GetValue(mnist)).Take(parse.GetValue(testImages));
            var rows = ParseRows(parse.GetValue(sizes)!, table.Rows);
            var sensor = new QuantizedGlimpseSensor(table.Spec);
            var points = new List<TuningPoint>();
            foreach (int n in rows)
                points.Add(Terminal.WithProgress("tune", p => DistanceTuning.Tune(table.Take(n), sensor, tuneSet, test, parse.GetValue(budget), s, p)));

            MbiFigures.Fig4a(points, Path.Combine(dir, "fig4a_accuracy_vs_lut_size.csv"), Path.Combine(dir, "fig4a_accuracy_vs_lut_size.png"));
            var last = points[^1];
            MbiFigures.Convergence(last, Path.Combine(dir, "fig4a_bo_convergence.csv"), Path.Combine(dir, "fig4a_bo_convergence.png"));
            if (lutOut is not null) LutFile.Write(lutOut, table.With(last.BayesianWeights, table.Metric));

            var report = new
            {
                points = points.Select(p => new
                {
                    rows = p.Rows, storage_bytes = p.StorageBytes,
                    unweighted_validation = p.UnweightedValidation, bo_validation = p.BayesianValidation, random_validation = p.RandomValidation,
                    unweighted_test = p.UnweightedTest, bo_test = p.BayesianTest, random_test = p.RandomTest,
                    bo_weights = new { a = p.BayesianWeights.Patch, b = p.BayesianWeights.Hidden, c = p.BayesianWeights.Location },
                    random_weights = new { a = p.RandomWeights.Patch, b = p.RandomWeights.Hidden, c = p.RandomWeights.Location },
                }).ToList(),
                metric = LookupOptions.MetricName(table.Metric),
                budget = parse.GetValue(budget),
                tune_images = tune,
                test_images = test.Count,
                out_lut = lutOut,
                seed = s,
            };
            if (parse.GetValue(json)) Terminal.PrintJson(report);
            else
            {
                var inv = CultureInfo.InvariantCulture;
                foreach (var p in points)
                    Console.WriteLine(string.Format(inv, "{0,7} rows ({1:F2} MB): test accuracy unweighted {2:P2}, BO {3:P2} ({4}), random search {5:P2}; validation {6:P2} / {7:P2} / {8:P2}",
                        p.Rows, p.StorageBytes / 1e6, p.UnweightedTest, p.BayesianTest, p.BayesianWeights, p.RandomTest, p.UnweightedValidation, p.BayesianValidation, p.RandomValidation));
                Console.WriteLine($"wrote {dir}/fig4a_accuracy_vs_lut_size.csv/.png/.svg and fig4a_bo_convergence.csv/.png/.svg (paper: {PaperFigures.WeightedDistanceGain})");
                if (lutOut is not null) Console.WriteLine($"wrote {lutOut} with the BO weights");
                Terminal.Note($"seed {s}");
            }
            return 0;
        });
        return command;
    }

    private static int[] ParseRows(string text, int tableRows)
    {
        string expanded = string.Join(',', text.Split(',', StringSplitOptions.TrimEntries).Select(p => p == "all" ? tableRows.ToString(CultureInfo.InvariantCulture) : p));
        int[] sizes = SearchQualityCommand.ParseSizes(expanded, "--sizes");
        if (sizes.Max() > tableRows)
            throw BadInputException.For("--sizes", text, $"row counts between 1 and {tableRows} (the table's rows), or 'all'", "4000,16000,all");
        return [.. sizes.Order()];
    }
}

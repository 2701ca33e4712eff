using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.CoSim.Reports;

namespace Mbi.Cli.Commands;

/// <summary>
/// `mbi search-quality --lut FILE --out DIR`: the hierarchical k-means tree against brute force (paper Fig. 4(b),
/// 4(c)): per leaf size, average levels, distance computations per lookup, recall@1 and accuracy; and for the
/// default leaf size the normalised histogram of match distances, tree vs brute force.
/// </summary>
internal static class SearchQualityCommand
{
    public static Command Create()
    {
        var lut = CommonOptions.Lut();
        var outDir = CommonOptions.OutFolder("the CSV files and figures (PNG, SVG beside)", "out/mbi");
        var leafSizes = new Option<string>("--leaf-sizes") { Description = "Tree leaf sizes to compare, comma separated (default 8,16,32,64,128).", DefaultValueFactory = _ => "8,16,32,64,128" };
        var images = CommonOptions.Count("--query-images", "Images whose lookups are compared (from the start of the MNIST test set, or of the validation split with --on validation)", 2000, 1, 10000);
        var imageSet = new ImageSetOptions(
            "Images whose lookups are compared: test (the MNIST test images) or validation (the held-out training images of --split-seed: to choose a tree without the test set) (default test)",
            "With --on validation: the seed that drew the table's validation split (default 1)");
        var treeOptions = new TreeOptionSet();
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var mnist = CommonOptions.Mnist();
        var command = new Command("search-quality", "Tree vs brute-force search on real MBI lookups: levels, distance computations, recall@1, match-distance histogram (Fig. 4b, 4c).")
        {
            lut, outDir, leafSizes, images,
        };
        imageSet.AddTo(command);
        foreach (Option option in new Option[] { seed, json, mnist }) command.Options.Add(option);
        treeOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string dir = OutputPaths.Folder("--out", parse.GetValue(outDir), "out/mbi");
            int[] sizes = ParseSizes(parse.GetValue(leafSizes)!);
            bool onValidation = imageSet.OnValidation(parse);
            var fill = treeOptions.Apply(parse, new KMeansTreeOptions { LeafSize = sizes.Max() }).QueryFill; // every flag checked before any file is read
            var table = LutFile.Read(parse.GetValue(lut)!);
            fill?.CheckFor(table);
            var test = onValidation
                ? imageSet.ValidationImages(parse, parse.GetValue(mnist), images, refuseAbovePool: true)
                : MnistDataset.LoadTest(parse.GetValue(mnist)).Take(parse.GetValue(images));
            ulong s = parse.GetValue(seed);
            var sensor = new QuantizedGlimpseSensor(table.Spec);
            var brute = (BruteForceSearch)SearchFactory.Build(table, SearchKind.Brute, new KMeansTreeOptions());
            var rows = new List<(int LeafSize, int Depth, long StoredKeys, SearchComparisonResult R)>();
            foreach (int leaf in sizes)
            {
                var r = Terminal.WithProgress($"leaf {leaf}", p =>
                {
                    var tree = KMeansTree.Build(brute.Kernel, table.KeyElements, table.Rows, treeOptions.Apply(parse, new KMeansTreeOptions { LeafSize = leaf, Seed = s }), p);
                    return (tree.Depth, tree.StoredKeys, SearchComparison.Run(table, sensor, tree, brute, test, p));
                });
                rows.Add((leaf, r.Depth, r.StoredKeys, r.Item3));
            }

            MbiFigures.Fig4b(rows.Select(r => (r.LeafSize, r.Depth, r.R)).ToList(), Path.Combine(dir, "fig4b_tree_leaf_size.csv"), Path.Combine(dir, "fig4b_tree_leaf_size.png"));
            var main = rows.FirstOrDefault(r => r.LeafSize == 32);
            if (main.R is null) main = rows[0];
            MbiFigures.Fig4c(main.R.TreeDistances, main.R.BruteDistances,
                $"Fig. 4(c): match distance, tree (leaf {main.LeafSize}) vs brute force; recall@1 {100 * main.R.RecallAt1:F1}%",
                Path.Combine(dir, "fig4c_match_distance.csv"), Path.Combine(dir, "fig4c_match_distance.png"));

            var report = new
            {
                leaf_size = main.LeafSize,
                branching = parse.GetValue(treeOptions.Branching),
                budget = parse.GetValue(treeOptions.Budget),
                avg_tree_levels = main.R.AverageLevels,
                avg_distance_computations = main.R.AverageDistanceComputations,
                recall_at_1 = main.R.RecallAt1,
                mean_distance_ratio = main.R.MeanDistanceRatio,
                tree_accuracy = main.R.TreeAccuracy,
                brute_accuracy = main.R.BruteAccuracy,
                lookups = main.R.Lookups,
                lut_rows = table.Rows,
                stored_keys = main.StoredKeys,
                query_fill = fill?.Count,
                images_scored = imageSet.Set(parse),
                images = test.Count,
                split_seed = imageSet.SplitSeedUsed(parse),
                sweep = rows.Select(r => new { leaf_size = r.LeafSize, tree_depth = r.Depth, stored_keys = r.StoredKeys, avg_tree_levels = r.R.AverageLevels, avg_distance_computations = r.R.AverageDistanceComputations, recall_at_1 = r.R.RecallAt1, mean_distance_ratio = r.R.MeanDistanceRatio, tree_accuracy = r.R.TreeAccuracy }).ToList(),
                files = new[] { "fig4b_tree_leaf_size.csv", "fig4b_tree_leaf_size.png", "fig4b_tree_leaf_size.svg", "fig4c_match_distance.csv", "fig4c_match_distance.png", "fig4c_match_distance.svg" }.Select(f => Path.Combine(dir, f)).ToList(),
                seed = s,
            };
            if (parse.GetValue(json)) Terminal.PrintJson(report);
            else
            {
                var inv = CultureInfo.InvariantCulture;
                foreach (var (leaf, depth, _, r) in rows)
                    Console.WriteLine(string.Format(inv, "leaf {0,4}: depth {1}, {2:F2} levels, {3:F1} distance computations per lookup, recall@1 {4:P1}, tree/brute mean distance {5:F3}, accuracy tree {6:P2} vs brute {7:P2}",
                        leaf, depth, r.AverageLevels, r.AverageDistanceComputations, r.RecallAt1, r.MeanDistanceRatio, r.TreeAccuracy, r.BruteAccuracy));
                Console.WriteLine($"wrote {string.Join(", ", report.files)} (paper: {PaperFigures.TreeLevels.ToString(CultureInfo.InvariantCulture)} levels; tree within {100 * PaperFigures.TreeDistanceExcess:0}% of brute force)");
                Terminal.Note($"seed {s}");
            }
            return 0;
        });
        return command;
    }

    public static int[] ParseSizes(string text, string option = "--leaf-sizes")
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw BadInputException.For(option, text, "comma-separated whole numbers >= 1", "8,16,32,64");
        if (sizes.Length == 0) throw BadInputException.For(option, text, "at least one number", "8,16,32");
        return sizes;
    }
}

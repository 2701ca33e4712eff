using System.CommandLine;
using System.Globalization;
using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Mnist;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Core.Errors;
using Mbi.Core.IO;
using Mbi.CoSim.Reports.Svg;

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
        var lut = InferCommand.LutOption();
        var outDir = new Option<string>("--out") { Description = "Folder for the CSV and SVG files (default out/mbi).", DefaultValueFactory = _ => "out/mbi" };
        var leafSizes = new Option<string>("--leaf-sizes") { Description = "Tree leaf sizes to compare, comma separated (default 8,16,32,64,128).", DefaultValueFactory = _ => "8,16,32,64,128" };
        var images = CommonOptions.Count("--query-images", "Test images whose lookups are compared (from the start of the MNIST test set)", 2000, 1, 10000);
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var mnist = CommonOptions.Mnist();
        var command = new Command("search-quality", "Tree vs brute-force search on real MBI lookups: levels, distance computations, recall@1, match-distance histogram (Fig. 4b, 4c).")
        {
            lut, outDir, leafSizes, images, seed, json, mnist,
        };
        command.SetAction(parse =>
        {
            string dir = OutputPaths.Folder("--out", parse.GetValue(outDir), "out/mbi");
            int[] sizes = ParseSizes(parse.GetValue(leafSizes)!);
            var table = LutFile.Read(parse.GetValue(lut)!);
            var test = MnistDataset.LoadTest(parse.GetValue(mnist)).Take(parse.GetValue(images));
            ulong s = parse.GetValue(seed);
            var sensor = new QuantizedGlimpseSensor(table.Spec);
            var brute = (BruteForceSearch)SearchFactory.Build(table, SearchKind.Brute, new KMeansTreeOptions());
            var rows = new List<(int LeafSize, int Depth, SearchComparisonResult R)>();
            foreach (int leaf in sizes)
            {
                var r = Terminal.WithProgress($"leaf {leaf}", p =>
                {
                    var tree = KMeansTree.Build(brute.Kernel, table.KeyElements, table.Rows, new KMeansTreeOptions { LeafSize = leaf, Seed = s }, p);
                    return (tree.Depth, SearchComparison.Run(table, sensor, tree, brute, test, p));
                });
                rows.Add((leaf, r.Depth, r.Item2));
            }

            var csv = new CsvWriter("leaf_size", "tree_depth", "avg_tree_levels", "avg_distance_computations", "recall_at_1", "mean_distance_ratio", "tree_accuracy", "brute_accuracy");
            foreach (var (leaf, depth, r) in rows)
                csv.Row(leaf, depth, r.AverageLevels, r.AverageDistanceComputations, r.RecallAt1, r.MeanDistanceRatio, r.TreeAccuracy, r.BruteAccuracy);
            csv.Save(Path.Combine(dir, "fig4b_tree_leaf_size.csv"));
            new SvgChart("Fig. 4(b): k-means tree cost per lookup vs leaf size", "leaf size", "per lookup") { LogX = true, LogY = true }
                .Line("average levels (paper 3.5)", rows.Select(r => (double)r.LeafSize).ToList(), rows.Select(r => r.R.AverageLevels).ToList())
                .Line("distance computations", rows.Select(r => (double)r.LeafSize).ToList(), rows.Select(r => r.R.AverageDistanceComputations).ToList())
                .Save(Path.Combine(dir, "fig4b_tree_leaf_size.svg"));

            var main = rows.FirstOrDefault(r => r.LeafSize == 32);
            if (main.R is null) main = rows[0];
            var (centres, tree, bruteHist) = Histogram(main.R.TreeDistances, main.R.BruteDistances, 30);
            var hist = new CsvWriter("distance", "tree_fraction", "brute_fraction");
            for (int i = 0; i < centres.Length; i++) hist.Row(centres[i], tree[i], bruteHist[i]);
            hist.Save(Path.Combine(dir, "fig4c_match_distance.csv"));
            new SvgChart($"Fig. 4(c): match distance, tree (leaf {main.LeafSize}) vs brute force; recall@1 {main.R.RecallAt1:P1}", "distance D of the best match", "fraction of lookups")
                .Line("brute force", centres, bruteHist)
                .Line("k-means tree", centres, tree)
                .Save(Path.Combine(dir, "fig4c_match_distance.svg"));

            var report = new
            {
                leaf_size = main.LeafSize,
                avg_tree_levels = main.R.AverageLevels,
                avg_distance_computations = main.R.AverageDistanceComputations,
                recall_at_1 = main.R.RecallAt1,
                mean_distance_ratio = main.R.MeanDistanceRatio,
                tree_accuracy = main.R.TreeAccuracy,
                brute_accuracy = main.R.BruteAccuracy,
                lookups = main.R.Lookups,
                lut_rows = table.Rows,
                sweep = rows.Select(r => new { leaf_size = r.LeafSize, tree_depth = r.Depth, avg_tree_levels = r.R.AverageLevels, avg_distance_computations = r.R.AverageDistanceComputations, recall_at_1 = r.R.RecallAt1, mean_distance_ratio = r.R.MeanDistanceRatio, tree_accuracy = r.R.TreeAccuracy }).ToList(),
                files = new[] { "fig4b_tree_leaf_size.csv", "fig4b_tree_leaf_size.svg", "fig4c_match_distance.csv", "fig4c_match_distance.svg" }.Select(f => Path.Combine(dir, f)).ToList(),
                seed = s,
            };
            if (parse.GetValue(json)) Terminal.PrintJson(report);
            else
            {
                var inv = CultureInfo.InvariantCulture;
                foreach (var (leaf, depth, r) in rows)
                    Console.WriteLine(string.Format(inv, "leaf {0,4}: depth {1}, {2:F2} levels, {3:F1} distance computations per lookup, recall@1 {4:P1}, tree/brute mean distance {5:F3}, accuracy tree {6:P2} vs brute {7:P2}",
                        leaf, depth, r.AverageLevels, r.AverageDistanceComputations, r.RecallAt1, r.MeanDistanceRatio, r.TreeAccuracy, r.BruteAccuracy));
                Console.WriteLine($"wrote {string.Join(", ", report.files)} (paper: 3.5 levels; tree within 10% of brute force)");
                Terminal.Note($"seed {s}");
            }
            return 0;
        });
        return command;
    }

    private static (double[] Centres, double[] A, double[] B) Histogram(double[] a, double[] b, int bins)
    {
        double max = Math.Max(a.Max(), b.Max());
        double width = max > 0 ? max / bins : 1;
        var ha = new double[bins];
        var hb = new double[bins];
        foreach (double v in a) ha[Math.Min(bins - 1, (int)(v / width))] += 1.0 / a.Length;
        foreach (double v in b) hb[Math.Min(bins - 1, (int)(v / width))] += 1.0 / b.Length;
        return ([.. Enumerable.Range(0, bins).Select(i => (i + 0.5) * width)], ha, hb);
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

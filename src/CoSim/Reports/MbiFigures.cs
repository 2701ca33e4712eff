using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Core.IO;
using Mbi.Core.Statistics;
using Mbi.CoSim.Reports.Svg;

namespace Mbi.CoSim.Reports;

/// <summary>
/// The algorithm figures (Fig. 3, 4(a), 4(c), 5) as CSV + SVG, written one way whether a single command
/// (sweep-ram, tune-distance, search-quality, sweep-threshold) or the whole reproduction asks for them.
/// Callers choose the file names; each method returns the paths it wrote.
/// </summary>
internal static class MbiFigures
{
    /// <summary>Fig. 3: one CSV row per trained point, one SVG per panel (fig3a.svg...); bit widths plot full precision at 32.</summary>
    public static IReadOnlyList<string> Fig3(IReadOnlyList<SweepResult> results, string folder, int epochs, int trainImages, ulong seed)
    {
        Directory.CreateDirectory(folder);
        var csv = new CsvWriter("panel", "series", "parameter", "value", "test_accuracy", "validation_accuracy", "train_seconds", "epochs", "train_images", "seed", "configuration");
        foreach (var r in results)
            csv.Row(r.Point.Panel, r.Point.Series, r.Point.Parameter, r.Point.ValueText, r.TestAccuracy, r.ValidationAccuracy, r.TrainSeconds,
                epochs, trainImages, seed, r.Point.Config.Describe());
        var paths = new List<string> { Path.Combine(folder, "fig3.csv") };
        csv.Save(paths[0]);
        foreach (var panel in results.GroupBy(r => r.Point.Panel))
        {
            string xLabel = panel.Key switch { "a" => "parameter value", "b" => "bits (32 = full precision)", _ => "hidden length" };
            var chart = new SvgChart($"Fig. 3({panel.Key}): test accuracy, {epochs} epochs on {trainImages} images per point", xLabel, "test accuracy (%)")
            {
                LogX = panel.Key != "a",
            };
            foreach (var series in panel.GroupBy(r => r.Point.Series))
            {
                var ordered = series.OrderBy(r => PlottedValue(r.Point)).ToList();
                chart.Line(series.Key, ordered.Select(r => PlottedValue(r.Point)).ToList(), ordered.Select(r => 100 * r.TestAccuracy).ToList());
            }
            string path = Path.Combine(folder, $"fig3{panel.Key}.svg");
            chart.Save(path);
            paths.Add(path);
        }
        return paths;
    }

    private static double PlottedValue(SweepPoint point) => point.Value == 0 ? 32 : point.Value;

    /// <summary>Fig. 4(a): lookup-only test accuracy vs LUT size for unweighted, BO-weighted and random-search weights.</summary>
    public static void Fig4a(IReadOnlyList<TuningPoint> points, string csvPath, string svgPath)
    {
        var csv = new CsvWriter("rows", "storage_bytes", "unweighted_validation", "bo_validation", "random_validation",
            "unweighted_test", "bo_test", "random_test", "bo_a", "bo_b", "bo_c", "random_a", "random_b", "random_c");
        foreach (var p in points)
            csv.Row(p.Rows, p.StorageBytes, p.UnweightedValidation, p.BayesianValidation, p.RandomValidation, p.UnweightedTest, p.BayesianTest, p.RandomTest,
                p.BayesianWeights.Patch, p.BayesianWeights.Hidden, p.BayesianWeights.Location, p.RandomWeights.Patch, p.RandomWeights.Hidden, p.RandomWeights.Location);
        csv.Save(csvPath);
        var x = points.Select(p => (double)p.Rows).ToList();
        new SvgChart("Fig. 4(a): lookup-only test accuracy vs LUT size (exact search)", "LUT rows", "test accuracy, %") { LogX = true }
            .Line("BO-weighted distance", x, points.Select(p => 100 * p.BayesianTest).ToList())
            .Line("random-search weights (same budget)", x, points.Select(p => 100 * p.RandomTest).ToList())
            .Line("unweighted (a = b = c)", x, points.Select(p => 100 * p.UnweightedTest).ToList())
            .Save(svgPath);
    }

    /// <summary>Fig. 4(a)'s optimiser: best validation accuracy so far per evaluation, BO against random search, at one LUT size.</summary>
    public static void Convergence(TuningPoint point, string csvPath, string svgPath)
    {
        var convergence = new CsvWriter("trial", "bo_best_validation", "random_best_validation");
        var bo = point.Bayesian.BestSoFar();
        var random = point.Random.BestSoFar();
        for (int i = 0; i < bo.Count; i++) convergence.Row(i + 1, bo[i], random[i]);
        convergence.Save(csvPath);
        var trials = Enumerable.Range(1, bo.Count).Select(i => (double)i).ToList();
        new SvgChart($"BO vs random search on {point.Rows} rows: best validation accuracy so far", "objective evaluations", "validation accuracy, %")
            .Line("Bayesian optimisation (GP + EI)", trials, bo.Select(v => 100 * v).ToList())
            .Line("random search", trials, random.Select(v => 100 * v).ToList())
            .Save(svgPath);
    }

    /// <summary>Fig. 4(b): per tree leaf size, the tree's depth, levels and distance computations per lookup, recall@1 and accuracy.</summary>
    public static void Fig4b(IReadOnlyList<(int LeafSize, int Depth, SearchComparisonResult R)> rows, string csvPath, string svgPath)
    {
        var csv = new CsvWriter("leaf_size", "tree_depth", "avg_tree_levels", "avg_distance_computations", "recall_at_1", "mean_distance_ratio", "tree_accuracy", "brute_accuracy");
        foreach (var (leaf, depth, r) in rows)
            csv.Row(leaf, depth, r.AverageLevels, r.AverageDistanceComputations, r.RecallAt1, r.MeanDistanceRatio, r.TreeAccuracy, r.BruteAccuracy);
        csv.Save(csvPath);
        var x = rows.Select(r => (double)r.LeafSize).ToList();
        new SvgChart("Fig. 4(b): k-means tree cost per lookup vs leaf size", "leaf size", "per lookup") { LogX = true, LogY = true }
            .Line($"average levels (paper {PaperFigures.TreeLevels:0.0})", x, rows.Select(r => r.R.AverageLevels).ToList())
            .Line("distance computations", x, rows.Select(r => r.R.AverageDistanceComputations).ToList())
            .Save(svgPath);
    }

    /// <summary>Mixed-MBI weight tuning: each trial's weights and validation share served by lookups, and the best so far.</summary>
    public static void MixedTuning(MixedTuning tuning, double targetAccuracy, string csvPath, string svgPath)
    {
        var csv = new CsvWriter("trial", "a", "b", "c", "validation_mbi_fraction", "best_so_far");
        var bestSoFar = tuning.Bayesian.BestSoFar();
        for (int i = 0; i < tuning.Bayesian.Trials.Count; i++)
        {
            var w = DistanceTuning.FromLog(tuning.Bayesian.Trials[i].X);
            csv.Row(i + 1, w.Patch, w.Hidden, w.Location, tuning.Bayesian.Trials[i].Value, bestSoFar[i]);
        }
        csv.Save(csvPath);
        var trials = Enumerable.Range(1, bestSoFar.Count).Select(i => (double)i).ToList();
        new SvgChart($"Mixed MBI tuning: validation images served by lookups at >= {100 * targetAccuracy:F0}% accuracy", "objective evaluations", "% served by MBI")
            .Line("best so far", trials, bestSoFar.Select(v => 100 * v).ToList())
            .Points("trial", trials, tuning.Bayesian.Trials.Select(t => 100 * t.Value).ToList())
            .Save(svgPath);
    }

    /// <summary>
    /// Fig. 4(c): the best-match distance the tree found against brute force's, as the fraction of lookups per bin
    /// (both over one range, 0 .. the largest distance either found).
    /// </summary>
    public static void Fig4c(IReadOnlyList<double> treeDistances, IReadOnlyList<double> bruteDistances, string title, string csvPath, string svgPath,
        int bins = 30)
    {
        double top = Math.Max(treeDistances.DefaultIfEmpty(0).Max(), bruteDistances.DefaultIfEmpty(0).Max());
        var tree = Distribution.Histogram(treeDistances, bins, 0, top);
        var brute = Distribution.Histogram(bruteDistances, bins, 0, top);
        var csv = new CsvWriter("distance", "tree_fraction", "brute_fraction");
        for (int i = 0; i < bins; i++) csv.Row(tree.Centres[i], tree.Fractions[i], brute.Fractions[i]);
        csv.Save(csvPath);
        new SvgChart(title, "distance D of the best match", "fraction of lookups")
            .Line("brute force", tree.Centres, brute.Fractions)
            .Line("k-means tree", tree.Centres, tree.Fractions)
            .Save(svgPath);
    }

    /// <summary>
    /// Fig. 5: mixed-MBI accuracy and the share of images served by lookups per threshold, with the RAM alone and the
    /// paper's point (a point where the weights are the paper's a = b = c, else only its accuracy as a line).
    /// </summary>
    public static void Fig5(IReadOnlyList<MixedPoint> points, double ramAccuracy, bool unweighted, string title, string csvPath, string svgPath)
    {
        var csv = new CsvWriter("threshold", "accuracy", "mbi_fraction", "mbi_accuracy_on_served", "ram_accuracy_on_rest");
        foreach (var p in points) csv.Row(p.Threshold, p.Accuracy, p.MbiFraction, p.MbiAccuracyOnServed, p.ModelAccuracyOnRest);
        csv.Save(csvPath);
        var x = points.Select(p => p.Threshold).ToList();
        var chart = new SvgChart(title, "threshold T (distance D)", "%") { YMin = 0, YMax = 100 }
            .Line("accuracy", x, points.Select(p => 100 * p.Accuracy).ToList())
            .Line("images served by MBI", x, points.Select(p => 100 * p.MbiFraction).ToList())
            .HorizontalMark(100 * ramAccuracy, $"RAM alone {100 * ramAccuracy:F2}%");
        // The paper's T is on the unweighted scale; with other weights only its accuracy is comparable.
        if (unweighted)
            chart.Points($"paper, {PaperFigures.Mixed}", [PaperFigures.MixedThreshold, PaperFigures.MixedThreshold],
                [100 * PaperFigures.MixedAccuracy, 100 * PaperFigures.MixedMbiFraction]);
        else
            chart.HorizontalMark(100 * PaperFigures.MixedAccuracy, $"paper, {PaperFigures.Mixed}");
        chart.Save(svgPath);
    }
}

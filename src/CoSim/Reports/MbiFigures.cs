using Mbi.Algorithm.Memorization;
using Mbi.Algorithm.Ram;
using Mbi.Algorithm.Search;
using Mbi.Core.IO;
using Mbi.Core.Statistics;
using Mbi.CoSim.Reports.Charts;

namespace Mbi.CoSim.Reports;

/// <summary>
/// The algorithm figures (Fig. 3, 4(a), 4(c), 5) as CSV + PNG (SVG beside, drawn by <see cref="AlgorithmFigures"/>
/// with ScottPlot), written one way whether a single command (sweep-ram, tune-distance, search-quality,
/// sweep-threshold) or the whole reproduction asks for them. Callers choose the file names (a figure path's
/// extension is replaced by .png and .svg); each method returns the paths it wrote.
/// </summary>
internal static class MbiFigures
{
    /// <summary>Fig. 3: one CSV row per trained point, one SVG per panel (fig3a.svg...); bit widths plot full precision at 32.</summary>
    /// <param name="trainSeconds">Whether fig3.csv carries each point's training time (`mbi sweep-ram` leaves it to run.json, so
    /// that fig3.csv is the same bytes however the sweep was split or resumed).</param>
    public static IReadOnlyList<string> Fig3(IReadOnlyList<SweepResult> results, string folder, int epochs, int trainImages, ulong seed, bool trainSeconds = true)
    {
        Directory.CreateDirectory(folder);
        string[] columns = ["panel", "series", "parameter", "value", "test_accuracy", "validation_accuracy", "train_seconds", "epochs", "train_images", "seed", "configuration"];
        var csv = new CsvWriter(trainSeconds ? columns : [.. columns.Where(c => c != "train_seconds")]);
        foreach (var r in results)
        {
            object?[] row = [r.Point.Panel, r.Point.Series, r.Point.Parameter, r.Point.ValueText, r.TestAccuracy, r.ValidationAccuracy, r.TrainSeconds,
                epochs, trainImages, seed, r.Point.Config.Describe()];
            csv.Row(trainSeconds ? row : [.. row[..6], .. row[7..]]);
        }
        var paths = new List<string> { Path.Combine(folder, "fig3.csv") };
        csv.Save(paths[0]);
        foreach (var panel in results.GroupBy(r => r.Point.Panel))
        {
            string xLabel = panel.Key switch { "a" => "parameter value", "b" => "bits (32 = full precision)", _ => "hidden length" };
            var chart = AlgorithmFigures.Fig3Panel($"Fig. 3({panel.Key}): test accuracy, {epochs} epochs on {trainImages} images per point", xLabel,
                panel.Select(r => (r.Point.Series, new SeededPoint(PlottedValue(r.Point), seed, 100 * r.TestAccuracy))), logX: panel.Key != "a");
            paths.Add(Chart.Save(chart, folder, $"fig3{panel.Key}"));
        }
        return paths;
    }

    private static double PlottedValue(SweepPoint point) => point.Value == 0 ? 32 : point.Value;

    /// <summary>Fig. 4(a): lookup-only test accuracy vs LUT size for unweighted, BO-weighted and random-search weights.</summary>
    public static void Fig4a(IReadOnlyList<TuningPoint> points, string csvPath, string figurePath)
    {
        var csv = new CsvWriter("rows", "storage_bytes", "unweighted_validation", "bo_validation", "random_validation",
            "unweighted_test", "bo_test", "random_test", "bo_a", "bo_b", "bo_c", "random_a", "random_b", "random_c");
        foreach (var p in points)
            csv.Row(p.Rows, p.StorageBytes, p.UnweightedValidation, p.BayesianValidation, p.RandomValidation, p.UnweightedTest, p.BayesianTest, p.RandomTest,
                p.BayesianWeights.Patch, p.BayesianWeights.Hidden, p.BayesianWeights.Location, p.RandomWeights.Patch, p.RandomWeights.Hidden, p.RandomWeights.Location);
        csv.Save(csvPath);
        Save(AlgorithmFigures.Fig4a("Fig. 4(a): lookup-only test accuracy vs LUT size (exact search)",
            [.. points.Select(p => new AlgorithmFigures.LutSizePoint(p.Rows, 0, p.UnweightedTest, p.BayesianTest, p.RandomTest))]), figurePath);
    }

    /// <summary>Fig. 4(a)'s optimiser: best validation accuracy so far per evaluation, BO against random search, at one LUT size.</summary>
    public static void Convergence(TuningPoint point, string csvPath, string figurePath)
    {
        var convergence = new CsvWriter("trial", "bo_best_validation", "random_best_validation");
        var bo = point.Bayesian.BestSoFar();
        var random = point.Random.BestSoFar();
        for (int i = 0; i < bo.Count; i++) convergence.Row(i + 1, bo[i], random[i]);
        convergence.Save(csvPath);
        Save(AlgorithmFigures.Convergence($"BO vs random search on {point.Rows} rows: best validation accuracy so far", "validation accuracy (%)",
            [("Bayesian optimisation (GP + EI)", [.. bo.Select(v => 100 * v)]), ("random search", [.. random.Select(v => 100 * v)])]), figurePath);
    }

    /// <summary>Fig. 4(b): per tree leaf size, the tree's depth, levels and distance computations per lookup, recall@1 and accuracy.</summary>
    public static void Fig4b(IReadOnlyList<(int LeafSize, int Depth, SearchComparisonResult R)> rows, string csvPath, string figurePath)
    {
        var csv = new CsvWriter("leaf_size", "tree_depth", "avg_tree_levels", "avg_distance_computations", "recall_at_1", "mean_distance_ratio", "tree_accuracy", "brute_accuracy");
        foreach (var (leaf, depth, r) in rows)
            csv.Row(leaf, depth, r.AverageLevels, r.AverageDistanceComputations, r.RecallAt1, r.MeanDistanceRatio, r.TreeAccuracy, r.BruteAccuracy);
        csv.Save(csvPath);
        Save(AlgorithmFigures.Fig4b([.. rows.Select(r => (double)r.LeafSize)], [.. rows.Select(r => r.R.AverageLevels)],
            [.. rows.Select(r => r.R.AverageDistanceComputations)]), figurePath);
    }

    /// <summary>Mixed-MBI weight tuning: each trial's weights and validation share served by lookups, and the best so far.</summary>
    public static void MixedTuning(MixedTuning tuning, double targetAccuracy, string csvPath, string figurePath)
    {
        var csv = new CsvWriter("trial", "a", "b", "c", "validation_mbi_fraction", "best_so_far");
        var bestSoFar = tuning.Bayesian.BestSoFar();
        for (int i = 0; i < tuning.Bayesian.Trials.Count; i++)
        {
            var w = DistanceTuning.FromLog(tuning.Bayesian.Trials[i].X);
            csv.Row(i + 1, w.Patch, w.Hidden, w.Location, tuning.Bayesian.Trials[i].Value, bestSoFar[i]);
        }
        csv.Save(csvPath);
        Save(AlgorithmFigures.Convergence($"Mixed MBI tuning: validation images served by lookups at >= {100 * targetAccuracy:F0}% accuracy", "% served by MBI",
            [("best so far", [.. bestSoFar.Select(v => 100 * v)])], [.. tuning.Bayesian.Trials.Select(t => 100 * t.Value)]), figurePath);
    }

    /// <summary>
    /// Fig. 4(c): the best-match distance the tree found against brute force's, as the fraction of lookups per bin
    /// (both over one range, 0 .. the largest distance either found).
    /// </summary>
    public static void Fig4c(IReadOnlyList<double> treeDistances, IReadOnlyList<double> bruteDistances, string title, string csvPath, string figurePath,
        int bins = 30)
    {
        double top = Math.Max(treeDistances.DefaultIfEmpty(0).Max(), bruteDistances.DefaultIfEmpty(0).Max());
        var tree = Distribution.Histogram(treeDistances, bins, 0, top);
        var brute = Distribution.Histogram(bruteDistances, bins, 0, top);
        var csv = new CsvWriter("distance", "tree_fraction", "brute_fraction");
        for (int i = 0; i < bins; i++) csv.Row(tree.Centres[i], tree.Fractions[i], brute.Fractions[i]);
        csv.Save(csvPath);
        Save(AlgorithmFigures.Fig4c(title, "distance D of the best match", tree.Centres, brute.Fractions, tree.Fractions), figurePath);
    }

    /// <summary>
    /// Fig. 5: mixed-MBI accuracy and the share of images served by lookups per threshold, with the RAM alone and the
    /// paper's point (a point where the weights are the paper's a = b = c, else only its accuracy as a line).
    /// <paramref name="gate"/>, if given, names the gate swept (a last CSV column "gate"); <paramref name="thresholdAxis"/>,
    /// if given, labels the x axis (what T bounds) instead of the match distance.
    /// </summary>
    public static void Fig5(IReadOnlyList<MixedPoint> points, double ramAccuracy, bool unweighted, string title, string csvPath, string figurePath,
        string? gate = null, string? thresholdAxis = null)
    {
        var csv = gate is null ? new CsvWriter("threshold", "accuracy", "mbi_fraction", "mbi_accuracy_on_served", "ram_accuracy_on_rest")
            : new CsvWriter("threshold", "accuracy", "mbi_fraction", "mbi_accuracy_on_served", "ram_accuracy_on_rest", "gate");
        foreach (var p in points)
            if (gate is null) csv.Row(p.Threshold, p.Accuracy, p.MbiFraction, p.MbiAccuracyOnServed, p.ModelAccuracyOnRest);
            else csv.Row(p.Threshold, p.Accuracy, p.MbiFraction, p.MbiAccuracyOnServed, p.ModelAccuracyOnRest, gate);
        csv.Save(csvPath);
        // The paper's T is on the unweighted scale; with other weights only its accuracy is comparable (AlgorithmFigures.Fig5).
        Save(AlgorithmFigures.Fig5(title, [.. points.Select(p => p.Threshold)], [.. points.Select(p => p.Accuracy)], [.. points.Select(p => p.MbiFraction)],
            ramAccuracy, unweighted, thresholdAxis), figurePath);
    }

    /// <summary>Writes <paramref name="plot"/> as PNG and SVG named after <paramref name="figurePath"/> (its extension replaced); returns the PNG.</summary>
    private static string Save(ScottPlot.Plot plot, string figurePath) =>
        Chart.Save(plot, Path.GetDirectoryName(Path.GetFullPath(figurePath))!, Path.GetFileNameWithoutExtension(figurePath));
}

using Mbi.CoSim.Energy;
using Mbi.CoSim.Reports.Charts;
using NUnit.Framework;

namespace Mbi.CoSim.Tests.Reports;

/// <summary>
/// Redraws the figures docs/ embeds from the data shipped beside them (no SPICE, no training): run by hand after a change
/// to the figure code, `dotnet test tests/CoSim -c Release --filter FullyQualifiedName~DocsFigures`, and commit the PNG/SVG.
/// </summary>
[TestFixture, Explicit("rewrites files under docs/"), Category("Measurement")]
public sealed class DocsFigures
{
    [Test]
    public void When_Run_Expect_CircuitRunFiguresRedrawn()
    {
        string folder = Path.Combine(Repo(), "docs", "circuit", "mc16-12t");
        for (int mode = 1; mode <= 2; mode++)
        {
            StaircaseFigure.Write(StaircaseData.Read(folder, mode), folder, $"levels-bits{mode}", $"steps-bits{mode}");
        }
    }

    /// <summary>`mbi tail`'s failure-probability figures from the tail.json beside them.</summary>
    [Test]
    public void When_Run_Expect_TailFiguresRedrawn()
    {
        foreach (string run in new[] { "session6-60mV", "session6-30mV" })
        {
            string folder = Path.Combine(Repo(), "docs", "tail", run);
            TailFigure.Write(Mbi.CoSim.Tail.TailOutput.Read(folder), folder);
        }
    }

    /// <summary>Fig. 6(c) from the per-comparison table of docs/energy-bands.md (values as printed there, 3 significant digits).</summary>
    [Test]
    public void When_Run_Expect_EnergyBreakdownRedrawn()
    {
        var (bands, total) = EnergyTable();
        Chart.Save(EnergyFigure.PerComparison(bands, total, "spice"), Path.Combine(Repo(), "docs", "energy"), "fig6c-per-comparison");
    }

    /// <summary>Fig. 3 (docs/algorithm and docs/reproduce-full), Fig. 4(a-c), Fig. 5, the tuning traces and accuracy over dies from their CSVs.</summary>
    [Test]
    public void When_Run_Expect_AlgorithmFiguresRedrawn()
    {
        string docs = Path.Combine(Repo(), "docs");
        foreach (string dir in new[] { "algorithm", "reproduce-full" })
        {
            var fig3 = Csv(Path.Combine(docs, dir, "fig3.csv"));
            foreach (var panel in fig3.GroupBy(r => r["panel"]))
            {
                string xLabel = panel.Key switch { "a" => "parameter value", "b" => "bits (32 = full precision)", _ => "hidden length" };
                var points = panel.Select(r => (r["series"], new SeededPoint(r["value"] is "fp32" or "0" && panel.Key == "b" ? 32 : D(r["value"]),
                    r.TryGetValue("seed", out var seed) ? ulong.Parse(seed, Inv) : 1, 100 * D(r["test_accuracy"])))).ToList();
                string runs = r0(panel) is var first && first.TryGetValue("epochs", out var e) ? $"{e} epochs on {first["train_images"]} images per point" : "short training per point";
                Chart.Save(AlgorithmFigures.Fig3Panel($"Fig. 3({panel.Key}): test accuracy, {runs}", xLabel, points, logX: panel.Key != "a" && dir == "algorithm"),
                    Path.Combine(docs, dir), $"fig3{panel.Key}");
            }
        }

        var fig4a = Csv(Path.Combine(docs, "mbi", "fig4a", "fig4a_accuracy_vs_lut_size.csv"));
        Chart.Save(AlgorithmFigures.Fig4a("Fig. 4(a): lookup-only test accuracy vs LUT size (exact search), seed 1",
            [.. fig4a.Select(r => new AlgorithmFigures.LutSizePoint(long.Parse(r["rows"], Inv), 1, D(r["unweighted_test"]), D(r["bo_test"]), D(r["random_test"])))]),
            Path.Combine(docs, "mbi", "fig4a"), "fig4a_accuracy_vs_lut_size");
        var convergence = Csv(Path.Combine(docs, "mbi", "fig4a", "fig4a_bo_convergence.csv"));
        Chart.Save(AlgorithmFigures.Convergence($"BO vs random search on {fig4a[^1]["rows"]} rows: best validation accuracy so far", "validation accuracy (%)",
            [("Bayesian optimisation (GP + EI)", [.. convergence.Select(r => 100 * D(r["bo_best_validation"]))]), ("random search", [.. convergence.Select(r => 100 * D(r["random_best_validation"]))])]),
            Path.Combine(docs, "mbi", "fig4a"), "fig4a_bo_convergence");
        var full4a = Csv(Path.Combine(docs, "reproduce-full", "fig4a.csv"));
        Chart.Save(AlgorithmFigures.Fig4a("Fig. 4(a): lookup-only accuracy vs LUT size (brute force, Eq. 1), seed 1",
            [.. full4a.Select(r => new AlgorithmFigures.LutSizePoint(long.Parse(r["rows"], Inv), 1, D(r["unweighted_test"]), D(r["bayesian_test"]), D(r["random_test"])))]),
            Path.Combine(docs, "reproduce-full"), "fig4a");

        var leaf = Csv(Path.Combine(docs, "mbi", "fig4bc", "fig4b_tree_leaf_size.csv"));
        Chart.Save(AlgorithmFigures.Fig4b([.. leaf.Select(r => D(r["leaf_size"]))], [.. leaf.Select(r => D(r["avg_tree_levels"]))],
            [.. leaf.Select(r => D(r["avg_distance_computations"]))]), Path.Combine(docs, "mbi", "fig4bc"), "fig4b_tree_leaf_size");
        var match = Csv(Path.Combine(docs, "mbi", "fig4bc", "fig4c_match_distance.csv"));
        var main = leaf.FirstOrDefault(r => r["leaf_size"] == "32") ?? leaf[0];
        Chart.Save(AlgorithmFigures.Fig4c(FormattableString.Invariant($"Fig. 4(c): match distance, tree (leaf {main["leaf_size"]}) vs brute force; recall@1 {100 * D(main["recall_at_1"]):F1} %"),
            "distance D of the best match", [.. match.Select(r => D(r["distance"]))], [.. match.Select(r => D(r["brute_fraction"]))], [.. match.Select(r => D(r["tree_fraction"]))]),
            Path.Combine(docs, "mbi", "fig4bc"), "fig4c_match_distance");

        foreach (var (folder, name, title) in new[] { ("mbi/fig5-best", "fig5_threshold", "Fig. 5: mixed MBI vs threshold T (1.3M rows, tune-mixed weights)"),
                     ("mbi/fig5-paper-setup", "fig5_threshold", "Fig. 5: mixed MBI vs threshold T (paper set-up)"), ("reproduce-full", "fig5", "Fig. 5: mixed MBI vs threshold T") })
        {
            var rows = Csv(Path.Combine(docs, folder, name + ".csv"));
            // The RAM alone is the curve's point where no image is served by MBI, where the run has one.
            double? ram = rows.FirstOrDefault(r => D(r["mbi_fraction"]) == 0) is { } none ? D(none["accuracy"]) : null;
            // These runs' T is not on the paper's unweighted scale (tuned weights, normalised Eq. 1): only the accuracy is marked.
            Chart.Save(AlgorithmFigures.Fig5(title, [.. rows.Select(r => D(r["threshold"]))], [.. rows.Select(r => D(r["accuracy"]))],
                [.. rows.Select(r => D(r["mbi_fraction"]))], ram, paperScale: false), Path.Combine(docs, folder), name);
        }
        var tuning = Csv(Path.Combine(docs, "mbi", "mixed-tuning", "mixed_tuning.csv"));
        Chart.Save(AlgorithmFigures.Convergence("Mixed MBI tuning: validation images served by lookups at >= 95.5% mixed accuracy (tune-mixed --target 0.955)", "% served by MBI",
            [("best so far", [.. tuning.Select(r => 100 * D(r["best_so_far"]))])], [.. tuning.Select(r => 100 * D(r["validation_mbi_fraction"]))]),
            Path.Combine(docs, "mbi", "mixed-tuning"), "mixed_tuning");

        var dies = Csv(Path.Combine(docs, "reproduce-full", "fig6-variation.csv"));
        Chart.Save(AlgorithmFigures.AccuracyOverDies($"Lookup-only MBI accuracy over {dies.Count} dies (sigma(Vth) 60 mV, compact model)",
            [("binary coding", [.. dies.Select(r => D(r["mbi_accuracy"]))], null)], bins: 12), Path.Combine(docs, "reproduce-full"), "fig6-variation");
    }

    private static Dictionary<string, string> r0(IEnumerable<Dictionary<string, string>> rows) => rows.First();

    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    private static double D(string text) => text == "NaN" ? double.NaN : double.Parse(text, Inv);

    /// <summary>A CSV with a header; the last column may hold a quoted text with commas (fig3.csv's configuration).</summary>
    private static List<Dictionary<string, string>> Csv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split(',', header.Length);
            return header.Select((h, i) => (h, i < cells.Length ? cells[i] : "")).ToDictionary(p => p.h, p => p.Item2);
        })];
    }

    /// <summary>The per-comparison bands of docs/energy-bands.md: one row per component and the total.</summary>
    internal static (List<ComponentBand> Bands, ComponentBand Total) EnergyTable()
    {
        string doc = Path.Combine(Repo(), "docs", "energy-bands.md");
        var rows = File.ReadAllLines(doc).SkipWhile(l => !l.StartsWith("| component | group | min | typical | max |", StringComparison.Ordinal))
            .Skip(2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Split('|').Select(c => c.Trim().Trim('*')).ToArray()).ToList();
        var bands = rows.Where(r => r[1] != "total").Select(r => new ComponentBand(r[1], r[2], Joules(r[3]), Joules(r[4]), Joules(r[5]), "", "", "", Joules(r[6]), "")).ToList();
        var t = rows.Single(r => r[1] == "total");
        Assert.That(bands, Has.Count.GreaterThan(5), $"the per-comparison table of {doc}");
        return (bands, new ComponentBand("total", "", Joules(t[3]), Joules(t[4]), Joules(t[5]), "", "", "", Joules(t[6]), ""));
    }

    private static double Joules(string text)
    {
        if (text is "-" or "0" or "") return 0;
        var parts = text.Split(' ');
        double v = double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        return v * parts[1] switch { "fJ" => 1e-15, "pJ" => 1e-12, "nJ" => 1e-9, "aJ" => 1e-18, "J" => 1, _ => throw new FormatException(text) };
    }

    internal static string Repo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Mbi.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Mbi.sln not found above " + AppContext.BaseDirectory);
    }
}
